package present

import (
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

func reportEvents() []session.Event {
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	use := &session.Usage{PromptTokens: 812, CompletionTokens: 41}
	local := &session.Cost{Priced: true, Note: session.NoteLocal}
	return []session.Event{
		{Kind: session.KindSessionStart, Time: at(0), Session: "s-1", Model: "demo", Agent: &session.AgentRef{Name: "Junior Analyst", ID: "agt_2c9e"},
			Parts: []session.Part{{Role: "auth", Name: "LumoAuth", Host: "127.0.0.1:1", Embedded: true}}},
		{Kind: session.KindPrompt, Time: at(1), Text: "# Q3?\nand `EBITDA` \x1b[2J"},
		{Kind: session.KindToolCall, CallID: "c1", Tool: "query_financial_mcp", Args: `{"metric":"EBITDA"}`},
		{Kind: session.KindCapabilityCheck, CallID: "c1", Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: no, Reason: "agent lacks 'mcp:financial'", JITAvailable: true},
		{Kind: session.KindToolResult, CallID: "c1", Tool: "query_financial_mcp", Status: session.Status(tools.StatusDenied), Text: "Error: ```lacks``` it"},
		{Kind: session.KindToolCall, CallID: "c2", Tool: "get", Args: `{}`},
		{Kind: session.KindCapabilityCheck, CallID: "c2", Tool: "get", Capability: "read:documents", Allowed: yes},
		{Kind: session.KindTokenExchange, Time: at(2), CallID: "c2", Tool: "get", Audience: "urn:mcp:financial-data", Status: session.ExchangeNew,
			Token: &auth.TokenSummary{Fingerprint: "ab12", ExpiresAt: at(302)}},
		{Kind: session.KindMCPCall, CallID: "c2", Server: "financial-data", Tool: "get_metric", Status: session.Status(tools.MCPOK), Duration: 12 * time.Millisecond},
		{Kind: session.KindToolResult, CallID: "c2", Tool: "get", Status: session.Status(tools.StatusOK), Count: 1, Duration: 61 * time.Millisecond, Text: "42"},
		{Kind: session.KindModelRetry, Attempt: 1},
		{Kind: session.KindModelResponse, Usage: use, Cost: local},
		{Kind: session.KindRequestFinish, Outcome: session.OutcomeDenied, Text: "I could not <b>query</b>.", Usage: use, Cost: local},
		{Kind: session.KindError, Err: &session.ErrorInfo{Code: "x`y", Message: "*boom*"}},
		{Kind: session.KindSessionFinish, Time: at(3.5), Outcome: session.OutcomeDenied},
	}
}

func TestMarkdownReport(t *testing.T) {
	md := Markdown(session.Summarize(reportEvents()))
	t.Log("\n" + md)
	for _, want := range []string{
		"# lumodash session s-1\n",
		"- **Agent:** Junior Analyst (agt\\_2c9e)\n",
		"- **Started:** 2026-11-27 09:30:00 UTC · **duration** 3.5s\n",
		"- **Usage:** 853 tokens (812 in / 41 out) · **cost** local (free)\n",
		"| auth | LumoAuth | 127.0.0.1:1 | embedded |\n",
		"> \\# Q3?\n> and \\`EBITDA\\` \n",
		"### Tool call `query_financial_mcp` (c1)",
		"- Capability check: mcp:financial → DENY · JIT available · query\\_financial\\_mcp · agent lacks 'mcp:financial'\n",
		"- Result: **denied** · 0s\n\n````text\nError: ```lacks``` it\n````\n",
		"- Token exchange: urn:mcp:financial-data · new · exp 5m · fp ab12\n",
		"- MCP call: financial-data get\\_metric → ok · 12ms\n",
		"- Result: **allowed** · 1 result · 61ms\n",
		"\n**Answer**\n\nI could not &lt;b>query&lt;/b>.\n",
		"*Outcome denied · 1 model turn · 1 retry · 853 tokens (812 in / 41 out) · local (free)*\n",
		"## Errors\n\n- `x'y` \\*boom\\*\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(md, "\x1b") {
		t.Error("an escape sequence reached the report")
	}
}
