package ui

import (
	"context"
	"slices"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
)

// t0 is the fixed clock of the view tests.
var t0 = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

func at(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

var parts = []session.Part{
	{Role: "auth", Name: "devserver", Host: "127.0.0.1:41234", Embedded: true},
	{Role: "mcp", Name: "financialmcp", Host: "127.0.0.1:41235", Embedded: true},
	{Role: "model", Name: "demomodel", Host: "127.0.0.1:41236", Embedded: true},
}

func token(aud, scope string, issued time.Time, life time.Duration) *auth.TokenSummary {
	return &auth.TokenSummary{
		Fingerprint: "9f86d081",
		Claims: auth.Claims{Issuer: "http://127.0.0.1:41234/orgs/acme-corp/api/v1", Subject: "agt_7f3a",
			Audience: []string{aud}, Scope: scope, ClientID: "research-analyst", Org: "acme-corp",
			IssuedAt: issued, ExpiresAt: issued.Add(life)},
		ExpiresAt: issued.Add(life), Scope: scope,
	}
}

func budget(used, max int64) auth.BudgetPolicy {
	return auth.BudgetPolicy{MaxTokensPerDay: max, TokensUsedToday: used, MaxAPICallsPerHour: 100, APICallsThisHour: 12,
		TokensResetAt: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), CallsResetAt: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)}
}

// startEvents is a session start as the runner emits it.
func startEvents(agent, id string, caps []string, b auth.BudgetPolicy) []session.Event {
	issuer := "http://127.0.0.1:41234/orgs/acme-corp/api/v1"
	return []session.Event{
		{Kind: session.KindSessionStart, Time: at(0), Agent: &session.AgentRef{Name: agent, ID: id, ClientID: agent, Organization: "acme-corp"}, Model: "demo-analyst", Parts: parts,
			Capabilities: []string{"mcp:financial", "read:documents"}},
		{Kind: session.KindAuthToken, Time: at(0.1), Status: "obtained", Token: token(issuer, "", at(0.1), time.Hour), Endpoint: "POST /orgs/acme-corp/api/v1/oauth/token", HTTPStatus: 200, Duration: 12 * time.Millisecond},
		{Kind: session.KindInfoRefreshed, Time: at(0.2), Info: &auth.Info{Name: agent, AgentID: id, Capabilities: caps, Budget: b, Organization: "acme-corp",
			JITRequestable: offers(caps)}, Endpoint: "GET /orgs/acme-corp/api/v1/oauth/userinfo", HTTPStatus: 200},
	}
}

// offers are the JIT offers of the embedded server for an agent holding caps.
func offers(caps []string) []auth.JITOffer {
	if slices.Contains(caps, "mcp:financial") {
		return nil
	}
	return []auth.JITOffer{{Capability: "mcp:financial", Risk: "high"}}
}

// pricedEvents is midRunEvents on a priced model (gpt-4o-mini), two minutes into the
// session: the request's cost and the burn rate show while it runs.
func pricedEvents() []session.Event {
	ev := midRunEvents()
	for i := range ev {
		if ev[i].Kind == session.KindModelResponse {
			ev[i].Cost = &session.Cost{USD: 0.000146, Priced: true}
		}
		ev[i].Time = ev[i].Time.Add(-2 * time.Minute)
		if ev[i].Kind == session.KindSessionStart {
			ev[i].Time = ev[i].Time.Add(-time.Minute)
		}
	}
	return ev
}

const seedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."

// midRunEvents: the seed prompt, both tools allowed, the answer streaming.
func midRunEvents() []session.Event {
	ev := startEvents("research-analyst", "agt_7f3a", []string{"read:documents", "mcp:financial"}, budget(61_000, 100_000))
	return append(ev,
		session.Event{Kind: session.KindPrompt, Time: at(1), Text: seedPrompt},
		session.Event{Kind: session.KindModelRequest, Time: at(1), Model: "demo-analyst", Turn: 1},
		session.Event{Kind: session.KindModelResponse, Time: at(1.4), Model: "demo-analyst", Turn: 1, Usage: &session.Usage{PromptTokens: 812, CompletionTokens: 41}, Cost: &session.Cost{Note: "local (free)"}, Duration: 400 * time.Millisecond},
		session.Event{Kind: session.KindToolCall, Time: at(1.4), CallID: "c1", Tool: "search_company_documents", Args: `{"query":"Q3 performance"}`},
		session.Event{Kind: session.KindCapabilityCheck, Time: at(1.41), CallID: "c1", Tool: "search_company_documents", Capability: "read:documents", Allowed: yes(), Reason: "capability held"},
		session.Event{Kind: session.KindToolResult, Time: at(1.45), CallID: "c1", Tool: "search_company_documents", Status: "ok", Count: 3, Duration: 38 * time.Millisecond},
		session.Event{Kind: session.KindToolCall, Time: at(1.9), CallID: "c2", Tool: "query_financial_mcp", Args: `{"metric":"EBITDA","period":"Q3"}`},
		session.Event{Kind: session.KindCapabilityCheck, Time: at(1.91), CallID: "c2", Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: yes(), Reason: "capability held"},
		session.Event{Kind: session.KindTokenExchange, Time: at(1.93), CallID: "c2", Tool: "query_financial_mcp", Audience: "urn:mcp:financial-data", Token: token("urn:mcp:financial-data", "financial:read", at(1.93), 5*time.Minute), Endpoint: "POST /orgs/acme-corp/api/v1/oauth/token", HTTPStatus: 200, Duration: 9 * time.Millisecond},
		session.Event{Kind: session.KindMCPCall, Time: at(1.95), CallID: "c2", Server: "financial", Tool: "get_metric", Status: "ok", HTTPStatus: 200, Duration: 12 * time.Millisecond,
			Args: `{"metric":"EBITDA","period":"Q3"}`, Text: "Acme Corp EBITDA, Q3 2026: $4.21M", Token: token("urn:mcp:financial-data", "financial:read", at(1.93), 5*time.Minute)},
		session.Event{Kind: session.KindToolResult, Time: at(1.96), CallID: "c2", Tool: "query_financial_mcp", Status: "ok", Count: 1, Duration: 61 * time.Millisecond},
		session.Event{Kind: session.KindBudgetUpdate, Time: at(1.97), Budget: ptr(budget(61_853, 100_000))},
		session.Event{Kind: session.KindModelRequest, Time: at(2), Model: "demo-analyst", Turn: 2},
		session.Event{Kind: session.KindModelDelta, Time: at(2.1), Text: "Q3 FY2026 revenue grew **12%** year on year; "},
		session.Event{Kind: session.KindModelDelta, Time: at(2.2), Text: "EBITDA was $4.1M (margin 18%)."},
	)
}

// finishedEvents completes midRunEvents with the final answer.
func finishedEvents() []session.Event {
	ev := midRunEvents()
	return append(ev, session.Event{Kind: session.KindModelResponse, Time: at(2.5), Model: "demo-analyst", Turn: 2,
		Text:  "## Q3 summary\n\n- Revenue grew **12%** year on year.\n- EBITDA was **$4.1M** (margin 18%).\n\nSources: 3 documents, financial MCP.",
		Usage: &session.Usage{PromptTokens: 1020, CompletionTokens: 88}, Cost: &session.Cost{Note: "local (free)"}, Duration: 500 * time.Millisecond},
		session.Event{Kind: session.KindRequestFinish, Time: at(2.5), Outcome: session.OutcomeOK, Usage: &session.Usage{PromptTokens: 1832, CompletionTokens: 129},
			Cost: &session.Cost{Note: "local (free)"}})
}

// deniedEvents: junior-analyst lacks mcp:financial (requestable through JIT).
func deniedEvents() []session.Event {
	ev := startEvents("junior-analyst", "agt_2c9e", []string{"read:documents"}, budget(4_200, 100_000))
	return append(ev,
		session.Event{Kind: session.KindPrompt, Time: at(1), Text: seedPrompt},
		session.Event{Kind: session.KindToolCall, Time: at(1.4), CallID: "c1", Tool: "query_financial_mcp", Args: `{"metric":"EBITDA"}`},
		session.Event{Kind: session.KindCapabilityCheck, Time: at(1.41), CallID: "c1", Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: no(), Reason: "agent lacks capability mcp:financial", JITAvailable: true},
		session.Event{Kind: session.KindToolResult, Time: at(1.42), CallID: "c1", Tool: "query_financial_mcp", Status: "denied", Text: "Error: Agent lacks 'mcp:financial' capability."},
	)
}

// exhaustedEvents: capped-analyst runs out of its daily token budget.
func exhaustedEvents() []session.Event {
	ev := startEvents("capped-analyst", "agt_5d1b", []string{"read:documents", "mcp:financial"}, budget(99_000, 100_000))
	return append(ev,
		session.Event{Kind: session.KindPrompt, Time: at(1), Text: seedPrompt},
		session.Event{Kind: session.KindModelResponse, Time: at(1.4), Model: "demo-analyst", Turn: 1, Usage: &session.Usage{PromptTokens: 900, CompletionTokens: 140}, Cost: &session.Cost{Note: "local (free)"}, Duration: 400 * time.Millisecond},
		session.Event{Kind: session.KindBudgetWarning, Time: at(1.41), Limit: "tokens/day", Percent: 99, Budget: ptr(budget(99_365, 100_000))},
		session.Event{Kind: session.KindBudgetExhausted, Time: at(1.42), Limit: "tokens/day", Percent: 99.365, ResetsAt: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC),
			Text: "budget exhausted: tokens/day — the next model call needs about 967 tokens but only 635 of 100,000 tokens remain (the agent's daily token budget); resets at 2026-03-15 00:00 UTC (in 14h29m)"},
	)
}

func ptr[T any](v T) *T { return &v }

// scriptedRunner replays a fixed event script on the Bus, as a runner would.
type scriptedRunner struct {
	bus     *session.Bus
	agent   string
	start   []session.Event
	answer  []session.Event
	block   bool // Ask waits for cancellation
	asked   chan string
	closed  bool
	started bool
}

func (r *scriptedRunner) Start(context.Context) error {
	r.started = true
	for _, e := range r.start {
		r.bus.Emit(e)
	}
	return nil
}

func (r *scriptedRunner) Ask(ctx context.Context, prompt string) session.Outcome {
	if r.asked != nil {
		r.asked <- prompt
	}
	r.bus.Emit(session.Event{Kind: session.KindPrompt, Text: prompt})
	if r.block {
		<-ctx.Done()
		return session.OutcomeCancelled
	}
	for _, e := range r.answer {
		r.bus.Emit(e)
	}
	return session.OutcomeOK
}

func (r *scriptedRunner) Close() error { r.closed = true; return nil }
