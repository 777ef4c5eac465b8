package state

import (
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
)

func TestCapabilityMarksAndToken(t *testing.T) {
	s := New()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s.Apply(session.Event{Kind: session.KindAuthToken, Status: "obtained", Time: now,
		Token: &auth.TokenSummary{ExpiresAt: now.Add(time.Hour), Claims: auth.Claims{IssuedAt: now}}})
	s.Apply(session.Event{Kind: session.KindAuthToken, Status: "renewed", Time: now.Add(time.Hour),
		Token: &auth.TokenSummary{ExpiresAt: now.Add(2 * time.Hour), Claims: auth.Claims{IssuedAt: now.Add(time.Hour)}}})
	left, frac, ok := s.TokenLeft(now.Add(90 * time.Minute))
	if !ok || left != 30*time.Minute || frac != 0.5 || s.Renewals != 1 {
		t.Fatalf("token: left %v frac %v renewals %d", left, frac, s.Renewals)
	}
	s.Apply(session.Event{Kind: session.KindInfoRefreshed, Info: &auth.Info{Capabilities: []string{"read:documents"}}})
	f := false
	s.Apply(session.Event{Kind: session.KindCapabilityCheck, Capability: "mcp:financial", Allowed: &f, JITAvailable: true})
	marks := s.CapabilityMarks()
	if len(marks) != 2 || !marks[0].Held || marks[1].Name != "mcp:financial" || !marks[1].Denied || !marks[1].JIT || !marks[1].Checking {
		t.Fatalf("marks = %+v", marks)
	}
	s.Apply(session.Event{Kind: session.KindToolResult})
	if s.CapabilityMarks()[1].Checking {
		t.Error("checking mark survived the tool result")
	}
}

func TestSessionUsageAndCost(t *testing.T) {
	s := New()
	s.Apply(session.Event{Kind: session.KindModelResponse, Usage: &session.Usage{PromptTokens: 10, CompletionTokens: 5}, Cost: &session.Cost{USD: 0.01, Priced: true}})
	s.Apply(session.Event{Kind: session.KindModelResponse, Usage: &session.Usage{PromptTokens: 1, CompletionTokens: 1}, Cost: &session.Cost{Note: "unpriced"}})
	if s.SessionUsage.Total() != 17 || s.SessionCost.Priced || s.SessionCost.Note != "unpriced" {
		t.Fatalf("usage %d cost %+v", s.SessionUsage.Total(), s.SessionCost)
	}
	s.Apply(session.Event{Kind: session.KindBudgetUpdate, SessionUse: &session.Usage{PromptTokens: 100}})
	if s.SessionUsage.Total() != 100 {
		t.Error("the runner's session usage is authoritative")
	}
	s.Apply(session.Event{Kind: session.KindBudgetExhausted, Limit: "tokens/day"})
	if s.Exhausted == nil || s.Exhausted.Limit != "tokens/day" {
		t.Error("exhaustion not recorded")
	}
}

// TestRequestUsageLiveAndBurnRate: the request's usage grows with each model turn while it
// runs and is the request's own total once it ends; the burn rate counts the session's
// tokens over its time (at least a minute) and says when the daily budget runs out at it.
func TestRequestUsageLiveAndBurnRate(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	s := New()
	s.Apply(session.Event{Kind: session.KindSessionStart, Time: t0, Capabilities: []string{"mcp:financial", "read:documents"}})
	s.Apply(session.Event{Kind: session.KindInfoRefreshed, Info: &auth.Info{Capabilities: []string{"read:documents"},
		Budget: auth.BudgetPolicy{MaxTokensPerDay: 100_000, TokensUsedToday: 40_000}, JITRequestable: []auth.JITOffer{{Capability: "mcp:financial", Risk: "high"}}}})
	s.Apply(session.Event{Kind: session.KindPrompt, Time: t0.Add(time.Minute)})
	turn := func(n int64) {
		s.Apply(session.Event{Kind: session.KindModelResponse, Usage: &session.Usage{PromptTokens: n, CompletionTokens: 100},
			Cost: &session.Cost{USD: 0.001, Priced: true}, SessionUse: &session.Usage{PromptTokens: s.SessionUsage.PromptTokens + n, CompletionTokens: s.SessionUsage.CompletionTokens + 100}})
	}
	turn(900)
	if r := s.Request; r.Turns != 1 || r.Usage.Total() != 1000 || r.Done || r.Cost.USD != 0.001 {
		t.Fatalf("after turn 1: %+v", r)
	}
	turn(1900)
	if r := s.Request; r.Turns != 2 || r.Usage.Total() != 3000 || r.Cost.USD != 0.002 {
		t.Fatalf("after turn 2: %+v", r)
	}
	s.Apply(session.Event{Kind: session.KindRequestFinish, Usage: &session.Usage{PromptTokens: 2800, CompletionTokens: 200}})
	if !s.Request.Done || s.Request.Usage.Total() != 3000 {
		t.Errorf("finished request %+v", s.Request)
	}
	rate, _ := s.BurnRate(t0.Add(10 * time.Second)) // under a minute: per the first minute
	if rate != 3000 {
		t.Errorf("rate in the first minute %v, want 3000/min", rate)
	}
	rate, out := s.BurnRate(t0.Add(3 * time.Minute))
	if rate != 1000 || !out.Equal(t0.Add(3*time.Minute+60*time.Minute)) {
		t.Errorf("rate %v, runs out %v; want 1000/min and an hour later", rate, out)
	}
	marks := s.CapabilityMarks()
	if len(marks) != 2 || marks[1].Name != "mcp:financial" || marks[1].Held || !marks[1].Required || !marks[1].JIT || marks[1].Risk != "high" {
		t.Errorf("a tool's capability the agent lacks, before any attempt: %+v", marks)
	}
}
