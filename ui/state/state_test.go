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
