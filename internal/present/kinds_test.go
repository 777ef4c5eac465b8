package present

import (
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// TestEveryKindHasAnEntry fails when a session.Kind has no presentation: adding a kind
// means adding its entry (see the package doc).
func TestEveryKindHasAnEntry(t *testing.T) {
	for _, k := range session.Kinds {
		en, ok := entries[k]
		if !ok {
			t.Errorf("kind %q has no entry in the presentation table", k)
			continue
		}
		if en.level == nil || en.summary == nil {
			t.Errorf("kind %q: entry without level or summary", k)
		}
		if en.label == "" && k != session.KindPrompt {
			t.Errorf("kind %q has no label", k)
		}
		if len(en.label) > LabelWidth {
			t.Errorf("label %q is wider than LabelWidth", en.label)
		}
	}
	if len(entries) != len(session.Kinds) {
		t.Errorf("%d entries for %d kinds: an entry for a kind session does not list", len(entries), len(session.Kinds))
	}
}

var (
	t0  = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)
	yes = func() *bool { b := true; return &b }()
	no  = func() *bool { b := false; return &b }()
)

// summaryCase is one event and how every surface shows it.
type summaryCase struct {
	name    string
	e       session.Event
	label   string
	level   Level
	summary string
	log     bool
	plain   bool
	note    string // "" when the conversation has none
}

func summaryCases() []summaryCase {
	tok := &auth.TokenSummary{Fingerprint: "9f86d081", ExpiresAt: t0.Add(time.Hour), Scope: "financial:read"}
	fail := &session.ErrorInfo{Code: "invalid_client", Message: "Client authentication failed", Status: 401}
	use := &session.Usage{PromptTokens: 812, CompletionTokens: 41}
	local := &session.Cost{Priced: true, Note: session.NoteLocal}
	return []summaryCase{
		{"session start", session.Event{Kind: session.KindSessionStart, Session: "s-1", Model: "demo", Agent: &session.AgentRef{Name: "junior-analyst"},
			Parts: []session.Part{{Role: "auth", Name: "LumoAuth", Embedded: true}}},
			LabelSession, Info, "start · junior-analyst · model demo · session s-1 · auth LumoAuth (embedded)", true, true, ""},
		{"session start with a denied MCP server", session.Event{Kind: session.KindSessionStart, Model: "demo", Agent: &session.AgentRef{Name: "j"},
			Parts: []session.Part{{Role: "mcp", Name: "everything", Status: "denied", Reason: "delegation_not_allowed"}, {Role: "mcp", Name: "crm", Status: "reachable"}},
			Tools: []tools.Listing{{Name: "everything__echo"}, {Name: "crm__find"}}},
			LabelSession, Info, "start · j · model demo · mcp everything DENIED (delegation_not_allowed; its tools are offered and denied at the gate) · mcp crm (reachable) · 2 tools", true, true, ""},
		{"session start naming its model once", session.Event{Kind: session.KindSessionStart, Model: "demo", Agent: &session.AgentRef{Name: "a"},
			Parts: []session.Part{{Role: "auth", Name: "LumoAuth"}, {Role: "model", Name: "demo", Embedded: true}}},
			LabelSession, Info, "start · a · auth LumoAuth · model demo (embedded)", true, true, ""},
		{"session finish ok", session.Event{Kind: session.KindSessionFinish, Outcome: session.OutcomeOK, SessionUse: use, SessionCost: local},
			LabelSession, Info, "finish · ok · 853 tokens (812 in / 41 out) · local (free)", true, true, ""},
		{"session finish cancelled", session.Event{Kind: session.KindSessionFinish, Outcome: session.OutcomeCancelled},
			LabelSession, Warn, "finish · cancelled · 0 tokens · no usage", true, true, "session ended: cancelled"},
		{"prompt", session.Event{Kind: session.KindPrompt, Text: "What was EBITDA?"},
			"", Quiet, "you › What was EBITDA?", false, true, ""},
		{"request finish", session.Event{Kind: session.KindRequestFinish, Outcome: session.OutcomeOK, Usage: use, Cost: local, SessionUse: use, SessionCost: local},
			LabelDone, OK, "ok · request 853 tokens (812 in / 41 out) · local (free) · session 853 tokens (812 in / 41 out) · local (free)", false, true, ""},
		{"request finish failed", session.Event{Kind: session.KindRequestFinish, Outcome: session.OutcomeModelError, Err: &session.ErrorInfo{Code: "http_500", Message: "down"}},
			LabelDone, Error, "model_error · request 0 tokens · no usage · session 0 tokens · no usage · http_500: down", false, true, ""},
		{"request finish over budget", session.Event{Kind: session.KindRequestFinish, Outcome: session.OutcomeBudgetExhausted, Err: &session.ErrorInfo{Message: "said by BUDGET"}},
			LabelDone, Error, "budget_exhausted · request 0 tokens · no usage · session 0 tokens · no usage", false, true, ""},

		{"token obtained", session.Event{Kind: session.KindAuthToken, Time: t0, Status: session.TokenObtained, Token: tok},
			LabelAuth, OK, "client_credentials obtained · exp 1h · fp 9f86d081 · scope financial:read", true, true, ""},
		{"token failed", session.Event{Kind: session.KindAuthToken, Status: session.TokenFailed, Err: fail},
			LabelAuth, Error, "client_credentials failed · invalid_client: Client authentication failed (HTTP 401)", true, true, ""},
		{"userinfo", session.Event{Kind: session.KindInfoRefreshed, Info: &auth.Info{Capabilities: []string{"read:documents"},
			Budget: auth.BudgetPolicy{MaxTokensPerDay: 100_000, TokensUsedToday: 4200}}},
			LabelInfo, Quiet, "userinfo · 1 capability: read:documents · tokens 4,200/100,000 today", true, true, ""},

		{"check allowed", session.Event{Kind: session.KindCapabilityCheck, Tool: "search", Capability: "read:documents", Allowed: yes, Reason: "agent holds 'read:documents'"},
			LabelCheck, OK, "read:documents → allow · search · agent holds 'read:documents'", true, true, ""},
		{"check denied", session.Event{Kind: session.KindCapabilityCheck, Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: no, Reason: "agent lacks 'mcp:financial'", JITAvailable: true},
			LabelCheck, Error, "mcp:financial → DENY · JIT available · query_financial_mcp · agent lacks 'mcp:financial'", true, true, ""},
		{"exchange new", session.Event{Kind: session.KindTokenExchange, Time: t0, Audience: "urn:mcp:financial-data", Status: session.ExchangeNew,
			Token: &auth.TokenSummary{Fingerprint: "ab12", ExpiresAt: t0.Add(5 * time.Minute)}},
			LabelExchange, Info, "urn:mcp:financial-data · new · exp 5m · fp ab12", true, true, ""},
		{"exchange failed", session.Event{Kind: session.KindTokenExchange, Audience: "urn:x", Status: session.ExchangeFailed, Err: &session.ErrorInfo{Code: "invalid_target", Message: "unknown audience", Status: 400}},
			LabelExchange, Error, "urn:x · failed · invalid_target: unknown audience (HTTP 400)", true, true, ""},
		{"exchange of an event without status", session.Event{Kind: session.KindTokenExchange, Audience: "urn:x", Cached: true},
			LabelExchange, Info, "urn:x · cached", true, true, ""},
		{"mcp ok", session.Event{Kind: session.KindMCPCall, Server: "financial", Tool: "get_metric", Status: session.Status(tools.MCPOK), Duration: 12 * time.Millisecond},
			LabelMCP, OK, "financial get_metric → ok · 12ms", true, true, ""},
		{"mcp refused", session.Event{Kind: session.KindMCPCall, Server: "financial", Tool: "get_metric", Status: session.Status(tools.MCPHTTPStatus(403)), Duration: 3 * time.Millisecond},
			LabelMCP, Error, "financial get_metric → http 403 · 3ms", true, true, ""},
		{"mcp progress", session.Event{Kind: session.KindMCPProgress, Server: "everything", Tool: "trigger-long-running-operation", CallID: "c1", Count: 3, Percent: 60},
			LabelMCP, Quiet, "everything progress 3 (60%) · trigger-long-running-operation", true, true, "everything progress 3 (60%) · trigger-long-running-operation"},
		{"mcp log", session.Event{Kind: session.KindMCPMessage, Server: "everything", Endpoint: "notifications/message", Status: "info", Text: "roots updated"},
			LabelMCP, Quiet, "everything log info: roots updated", true, true, ""},
		{"mcp request declined", session.Event{Kind: session.KindMCPMessage, Server: "everything", Endpoint: "sampling/createMessage", Status: "declined", Text: "no"},
			LabelMCP, Warn, "everything sampling/createMessage declined: no", true, true, ""},
		{"tool call", session.Event{Kind: session.KindToolCall, Tool: "search", Args: `{"query":"Q3 performance"}`},
			LabelTool, Quiet, `search("Q3 performance")`, false, true, ""},
		{"tool result ok", session.Event{Kind: session.KindToolResult, Tool: "search", Status: session.Status(tools.StatusOK), Count: 3, Duration: 38 * time.Millisecond, Text: "the hits"},
			LabelTool, OK, "search ✓ allowed · 3 results · 38ms", true, true, ""},
		{"tool result denied", session.Event{Kind: session.KindToolResult, Tool: "fin", Status: session.Status(tools.StatusDenied), Text: "Error: Agent lacks 'mcp:financial'."},
			LabelTool, Error, "fin ✗ denied · Error: Agent lacks 'mcp:financial'.", true, true, ""},

		{"model request", session.Event{Kind: session.KindModelRequest, Model: "gpt-4o-mini", Turn: 2},
			LabelModel, Quiet, "gpt-4o-mini turn 2 · request", false, false, ""},
		{"model delta", session.Event{Kind: session.KindModelDelta, Text: "Q3"}, LabelModel, Quiet, "Q3", false, false, ""},
		{"model response", session.Event{Kind: session.KindModelResponse, Model: "demo", Turn: 1, Usage: use, Cost: &session.Cost{Note: session.NoteUnpriced}, Duration: 400 * time.Millisecond},
			LabelModel, Quiet, "demo turn 1 · 853 tokens (812 in / 41 out) · 400ms · unpriced", true, true, ""},
		{"model retry", session.Event{Kind: session.KindModelRetry, Turn: 1, Attempt: 2, Delay: 1500 * time.Millisecond, Err: &session.ErrorInfo{Code: "http_429", Message: "slow down", Status: 429}},
			LabelModel, Error, "turn 1 · retry 2 in 1.5s · http_429: slow down (HTTP 429)", true, true, ""},
		{"model notice", session.Event{Kind: session.KindModelNotice, Status: session.NoticeStreamOptions, Text: "the server rejects stream_options (HTTP 400): asking again without it"},
			LabelModel, Info, "the server rejects stream_options (HTTP 400): asking again without it", true, true, ""},
		{"context trimmed", session.Event{Kind: session.KindContextTrim, Count: 7, Text: "left out: the tool calls and results of 2 earlier requests (their answers kept) — 7 messages, to fit the 16,384-token context window (vLLM /v1/models max_model_len)"},
			LabelModel, Info, "left out: the tool calls and results of 2 earlier requests (their answers kept) — 7 messages, to fit the 16,384-token context window (vLLM /v1/models max_model_len)", true, true, ""},

		{"budget update", session.Event{Kind: session.KindBudgetUpdate, Budget: &auth.BudgetPolicy{MaxTokensPerDay: 100_000, TokensUsedToday: 61_853, APICallsThisHour: 12}},
			LabelBudget, Quiet, "tokens 61,853/100,000 today · calls 12/∞ this hour", true, false, ""},
		{"budget warning", session.Event{Kind: session.KindBudgetWarning, Limit: "tokens/day", Percent: 85.4},
			LabelBudget, Warn, "tokens/day at 85%", true, true, ""},
		{"budget exhausted", session.Event{Kind: session.KindBudgetExhausted, Time: t0, Limit: "tokens/day", ResetsAt: t0.Add(14*time.Hour + 29*time.Minute)},
			LabelBudget, Error, "tokens/day exhausted · resets in 14h29m", true, true, "budget exhausted: tokens/day · resets in 14h29m"},
		{"budget exhausted in the guard's words", session.Event{Kind: session.KindBudgetExhausted, Time: t0, Limit: "tokens/day", ResetsAt: t0.Add(time.Hour),
			Text: "budget exhausted: tokens/day — the next model call needs about 967 tokens but only 635 of 100,000 tokens remain (the agent's daily token budget); resets at 2026-11-27 10:30:00 UTC (in 1h)"},
			LabelBudget, Error, "tokens/day exhausted · resets in 1h · the next model call needs about 967 tokens but only 635 of 100,000 tokens remain (the agent's daily token budget)", true, true,
			"budget exhausted: tokens/day · resets in 1h · the next model call needs about 967 tokens but only 635 of 100,000 tokens remain (the agent's daily token budget)"},
		{"session budget exhausted", session.Event{Kind: session.KindBudgetExhausted, Limit: "session tokens",
			Text: "budget exhausted: session tokens — 300 of 300 tokens used (--max-tokens); a new session starts from zero, or raise --max-tokens"},
			LabelBudget, Error, "session tokens exhausted · 300 of 300 tokens used (--max-tokens); a new session starts from zero, or raise --max-tokens", true, true,
			"budget exhausted: session tokens · 300 of 300 tokens used (--max-tokens); a new session starts from zero, or raise --max-tokens"},

		{"jit requested", session.Event{Kind: session.KindJITRequested, Tool: "fin", Capability: "mcp:financial", Risk: "high", RequestID: "jit_1", Text: "need Q3"},
			LabelJIT, Warn, "requested mcp:financial for fin · risk high · jit_1 · “need Q3”", true, true, "JIT: requested mcp:financial for fin (risk high)"},
		{"jit pending", session.Event{Kind: session.KindJITPending, Time: t0, Capability: "mcp:financial", RequestID: "jit_1", Risk: "high", Deadline: t0.Add(4*time.Minute + 59*time.Second)},
			LabelJIT, Warn, "pending jit_1 · mcp:financial · risk high · decide within 4m59s", true, true, "JIT: mcp:financial awaits a human decision"},
		{"jit approved", session.Event{Kind: session.KindJITApproved, Capability: "mcp:financial", RequestID: "jit_1", TTL: 5 * time.Minute, Reason: "ok for Q3"},
			LabelJIT, OK, "approved jit_1 · mcp:financial granted for 5m · ok for Q3", true, true, "JIT: mcp:financial granted for 5m; retrying the call (ok for Q3)"},
		{"jit timed out", session.Event{Kind: session.KindJITDenied, Capability: "mcp:financial", RequestID: "jit_1", Status: session.Status(tools.JITStageTimeout), Reason: "no decision within 5m"},
			LabelJIT, Error, "timeout jit_1 · no decision within 5m", true, true, "JIT: timeout: no decision within 5m"},
		{"jit completed", session.Event{Kind: session.KindJITCompleted, Text: "task t_1: done"},
			LabelJIT, Quiet, "completed · grants revoked", true, true, ""},
		{"jit completion failed", session.Event{Kind: session.KindJITCompleted, Err: &session.ErrorInfo{Message: "unreachable"}},
			LabelJIT, Error, "completed · grants revoked · unreachable", true, true, "JIT: completing the task failed: unreachable"},
		{"jit call", session.Event{Kind: session.KindJITCall, Status: "status", HTTPStatus: 200, Text: "pending · risk high", Endpoint: "GET /jit/requests/jit_1"},
			LabelJIT, Quiet, "status 200 · pending · risk high · GET /jit/requests/jit_1", true, false, ""},
		{"jit call failed", session.Event{Kind: session.KindJITCall, Status: "status", Endpoint: "GET /jit/requests/jit_1", Err: &session.ErrorInfo{Message: "EOF"}},
			LabelJIT, Error, "status · GET /jit/requests/jit_1 · EOF", true, true, ""},

		{"usage reported", session.Event{Kind: session.KindUsageReported, Status: session.UsageOK},
			LabelUsage, Quiet, "usage reported", true, false, ""},
		{"usage unsupported", session.Event{Kind: session.KindUsageReported, Status: session.UsageUnsupported, Text: "no usage endpoint"},
			LabelUsage, Warn, "usage not reported · unsupported · no usage endpoint", true, true, ""},
		{"error", session.Event{Kind: session.KindError, Err: &session.ErrorInfo{Code: "timeout", Message: "no answer"}},
			LabelError, Error, "timeout: no answer", true, true, "error: no answer"},
	}
}

// TestEverySummary pins how each kind reads on every surface; it must cover every kind.
func TestEverySummary(t *testing.T) {
	covered := map[session.Kind]bool{}
	for _, c := range summaryCases() {
		covered[c.e.Kind] = true
		e := c.e
		if got := Label(e.Kind); got != c.label {
			t.Errorf("%s: label %q, want %q", c.name, got, c.label)
		}
		if got := LevelOf(e); got != c.level {
			t.Errorf("%s: level %d, want %d", c.name, got, c.level)
		}
		if got := Summary(e); got != c.summary {
			t.Errorf("%s: summary\n got %q\nwant %q", c.name, got, c.summary)
		}
		if InLog(e) != c.log || InPlain(e) != c.plain {
			t.Errorf("%s: in log %v, in plain %v; want %v, %v", c.name, InLog(e), InPlain(e), c.log, c.plain)
		}
		note, level, ok := Note(e)
		if note != c.note || ok != (c.note != "") || ok && level != c.level {
			t.Errorf("%s: note %q (level %d, %v), want %q", c.name, note, level, ok, c.note)
		}
	}
	for _, k := range session.Kinds {
		if !covered[k] {
			t.Errorf("no case for kind %q", k)
		}
	}
}

func TestUnknownKindsAndUntrustedText(t *testing.T) {
	future := session.Event{Kind: "future.kind", Text: "x"}
	if InLog(future) || InPlain(future) || Label(future.Kind) != "" || LevelOf(future) != Quiet || Summary(future) != "future.kind" {
		t.Errorf("an unknown kind (a newer transcript) must be shown nowhere and never panic")
	}
	if _, _, ok := Note(future); ok {
		t.Error("an unknown kind has no note")
	}
	e := session.Event{Kind: session.KindCapabilityCheck, Tool: "t\x1b[2J", Capability: "c\n2", Allowed: no, Reason: "r\x1b]8;;http://evil\x07"}
	if got := Summary(e); got != "c 2 → DENY · t · r" {
		t.Errorf("summary %q: control sequences and line breaks must go", got)
	}
	n := session.Event{Kind: session.KindError, Err: &session.ErrorInfo{Message: "bad\x1b[31m\nthing"}}
	if got, _, _ := Note(n); got != "error: bad thing" {
		t.Errorf("note %q", got)
	}
}

func TestRepeatedAndCoalesces(t *testing.T) {
	poll := session.Event{Kind: session.KindJITCall, Status: "status", HTTPStatus: 200, Text: "pending · risk high", Endpoint: "GET /api/x"}
	if got := Repeated(poll, 7); got != "status 200 · pending · risk high ×7 · GET /api/x" {
		t.Errorf("repeated poll %q", got)
	}
	if Repeated(poll, 1) != Summary(poll) {
		t.Error("one repetition is the plain summary")
	}
	if got := Repeated(session.Event{Kind: session.KindError, Err: &session.ErrorInfo{Message: "x"}}, 2); got != "x ×2" {
		t.Errorf("repeated error %q", got)
	}
	other := poll
	other.Text = "approved"
	failed := poll
	failed.Err = &session.ErrorInfo{Message: "EOF"}
	if !Coalesces(poll, poll) || Coalesces(poll, other) || Coalesces(poll, failed) || Coalesces(failed, failed) {
		t.Error("only identical successful polls coalesce")
	}
}

func TestLevels(t *testing.T) {
	for o, want := range map[session.Outcome]Level{
		session.OutcomeOK: OK, session.OutcomeCancelled: Warn, session.OutcomeMaxTurns: Warn,
		session.OutcomeDenied: Error, session.OutcomeBudgetExhausted: Error, session.OutcomeToolFailed: Error,
	} {
		if got := OutcomeLevel(o); got != want {
			t.Errorf("OutcomeLevel(%s) = %d, want %d", o, got, want)
		}
	}
	for _, c := range []struct {
		pct  float64
		want Level
	}{{0, OK}, {79.9, OK}, {80, Warn}, {99.9, Warn}, {100, Error}, {250, Error}} {
		if got := GaugeLevel(c.pct, 80); got != c.want {
			t.Errorf("GaugeLevel(%v) = %d, want %d", c.pct, got, c.want)
		}
	}
	if Quiet.Problem() || OK.Problem() || !Warn.Problem() || !Error.Problem() {
		t.Error("Problem")
	}
}
