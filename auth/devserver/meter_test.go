package devserver

import (
	"net/url"
	"testing"
	"time"
)

func budgetOf(t *testing.T, s *Server, tok string) map[string]any {
	t.Helper()
	r := callJSON(t, "GET", api(s)+"/oauth/userinfo", tok, nil)
	if r.status != 200 {
		t.Fatalf("userinfo with a spent budget = %d %v", r.status, r.body)
	}
	bp, _ := r.body["budget_policy"].(map[string]any)
	return bp
}

func TestTokenBudgetSpentAnswers429UntilUTCMidnight(t *testing.T) {
	s, clock := startTest(t, nil)
	tok := tokenFor(t, s, "capped-analyst")
	if r := exchange(t, s, tok, "urn:mcp:financial-data"); r.status != 200 {
		t.Fatalf("exchange below the limit = %d %v", r.status, r.body)
	}
	usage := map[string]any{"model": "gpt-4o-mini", "prompt_tokens": 800, "completion_tokens": 200}
	if r := callJSON(t, "POST", api(s)+"/agents/me/usage", tok, usage); r.status != 200 {
		t.Fatalf("usage = %d %v", r.status, r.body)
	}
	spent := []reply{
		exchange(t, s, tok, "urn:mcp:financial-data"),
		callJSON(t, "POST", api(s)+"/agents/ask", tok, map[string]any{"action": "read:documents"}),
		callJSON(t, "POST", api(s)+"/agents/me/usage", tok, usage),
		callJSON(t, "POST", api(s)+"/jit/task", tok, map[string]any{"name": "x"}),
	}
	for i, r := range spent {
		wantError(t, r, 429, "budget_exceeded", "tokens/day", "100000 of 100000", "resets at 2026-11-28T00:00:00Z")
		if r.header.Get("Retry-After") != "43200" {
			t.Errorf("call %d: Retry-After = %q", i, r.header.Get("Retry-After"))
		}
	}
	// The dashboard can still sign in and show the spent budget.
	tok = tokenFor(t, s, "capped-analyst")
	if bp := budgetOf(t, s, tok); bp["tokens_used_today"] != 100000.0 {
		t.Errorf("tokens_used_today = %v", bp["tokens_used_today"])
	}
	clock.Advance(12 * time.Hour) // 00:00 UTC: a new day
	tok = tokenFor(t, s, "capped-analyst")
	if r := exchange(t, s, tok, "urn:mcp:financial-data"); r.status != 200 {
		t.Fatalf("exchange after midnight = %d %v", r.status, r.body)
	}
	if bp := budgetOf(t, s, tok); bp["tokens_used_today"] != 0.0 || bp["tokens_reset_at"] != "2026-11-29T00:00:00Z" {
		t.Errorf("after midnight: %v", bp)
	}
}

func TestCallBudgetResetsAtTheTopOfTheHour(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Agents = []AgentConfig{{ClientID: "busy", Capabilities: []string{"read:documents"},
		Budget: BudgetConfig{MaxAPICallsPerHour: 4, APICallsThisHour: 1}}}
	s, clock := startTest(t, &cfg)
	tok := tokenFor(t, s, "busy") // call 2
	ask := func() reply {
		return callJSON(t, "POST", api(s)+"/agents/ask", tok, map[string]any{"action": "read:documents"})
	}
	if r := ask(); r.status != 200 { // call 3
		t.Fatalf("ask = %d %v", r.status, r.body)
	}
	if r := ask(); r.status != 200 { // call 4
		t.Fatalf("ask = %d %v", r.status, r.body)
	}
	wantError(t, ask(), 429, "budget_exceeded", "calls/hour", "4 of 4", "resets at 2026-11-27T13:00:00Z")
	if bp := budgetOf(t, s, tok); bp["api_calls_this_hour"] != 5.0 { // userinfo is served and counted
		t.Errorf("api_calls_this_hour = %v", bp["api_calls_this_hour"])
	}
	clock.Advance(59*time.Minute + 59*time.Second)
	wantError(t, ask(), 429, "budget_exceeded", "calls/hour")
	clock.Advance(time.Second)
	tok = tokenFor(t, s, "busy") // the old token expired with the hour
	if r := ask(); r.status != 200 {
		t.Fatalf("ask after the hour = %d %v", r.status, r.body)
	}
	if bp := budgetOf(t, s, tok); bp["api_calls_this_hour"] != 3.0 || bp["calls_reset_at"] != "2026-11-27T14:00:00Z" {
		t.Errorf("after the hour: %v", bp)
	}
}

func TestClientCredentialsWorkWithSpentBudget(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Agents = []AgentConfig{{ClientID: "spent", Budget: BudgetConfig{MaxAPICallsPerHour: 1, APICallsThisHour: 1}}}
	s, _ := startTest(t, &cfg)
	id, secret, _ := s.Credentials("spent")
	r := postForm(t, api(s)+"/oauth/token", url.Values{"grant_type": {"client_credentials"}}, []string{id, secret})
	if r.status != 200 {
		t.Fatalf("client credentials with a spent budget = %d %v", r.status, r.body)
	}
}
