package sidebar

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// TestGaugesRoundByOneRule: 15,599 of 100,000 tokens reads 15.6k and 16% in the full
// sidebar and in its one-line summary, in colour and flat; a cost without a price says why.
func TestGaugesRoundByOneRule(t *testing.T) {
	s := state.New()
	s.Apply(session.Event{Kind: session.KindBudgetUpdate, Budget: &auth.BudgetPolicy{
		MaxTokensPerDay: 100_000, TokensUsedToday: 15_599, MaxAPICallsPerHour: 100, APICallsThisHour: 99,
		TokensResetAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}})
	s.Apply(session.Event{Kind: session.KindModelResponse, Usage: &session.Usage{PromptTokens: 1_000, CompletionTokens: 234}, Cost: &session.Cost{Note: session.NoteUnpriced}})
	g := Gauges(s, Limits{})
	if g[0].Amount != "15.6k/100k" || g[1].Amount != "99/100" || g[2].Amount != "1.2k (no cap)" || g[3].Amount != "unpriced" || g[3].Limit != 0 {
		t.Fatalf("gauges %+v", g)
	}
	for _, flat := range []bool{false, true} {
		ctx := uictx.New(themes.Dark(), flat, 80)
		ctx.Location = time.UTC
		full := ansi.Strip(strings.Join(Budget(ctx, s, Limits{}, 48), "\n"))
		for _, want := range []string{"15.6k/100k", "16%", "99%", "WARN", "00:00", "unpriced"} {
			if !strings.Contains(full, want) {
				t.Errorf("flat %v: sidebar lacks %q:\n%s", flat, want, full)
			}
		}
		line := ansi.Strip(strings.Join(Summary(ctx, s, Limits{}, 120), "\n"))
		if !strings.Contains(line, "tokens/day") || !strings.Contains(line, "16%") || !strings.Contains(line, "99%") {
			t.Errorf("flat %v: summary line %q", flat, line)
		}
	}
}
