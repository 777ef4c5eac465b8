package sidebar

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

func TestContextGaugeWords(t *testing.T) {
	request := func(s *state.State, tokens, window int64, source string) {
		s.Apply(session.Event{Kind: session.KindModelRequest, Context: &session.ContextUse{Tokens: tokens, Window: window, Source: source}})
	}
	s := state.New()
	ctx := uictx.New(themes.Dark(), false, 80)
	if lines := Context(ctx, s, 30); lines != nil {
		t.Fatalf("a gauge before any request: %q", lines)
	}
	request(s, 1_200, 0, "")
	if got := ansi.Strip(strings.Join(Context(ctx, s, 40), "\n")); !strings.HasPrefix(got, "context ") || !strings.HasSuffix(got, " 1.2k (window unknown)") || strings.Contains(got, "\n") {
		t.Errorf("unknown window: %q", got)
	}
	s.Apply(session.Event{Kind: session.KindSessionStart, Parts: []session.Part{{Role: "model", Embedded: true}}})
	if got := ContextGauge(s).Amount; got != "1.2k (no window)" {
		t.Errorf("the demo model has no window: %q", got)
	}
	request(s, 15_000, 16_384, "--context-window")
	for flat, want := range map[bool][]string{false: {"15k/16.4k", "92% WARN", "from --context-window"}, true: {"context: 92% 15k/16.4k WARN", "from --context-window"}} {
		ctx := uictx.New(themes.Dark(), flat, 80)
		got := ansi.Strip(strings.Join(Context(ctx, s, 30), "\n"))
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("flat %v: %q lacks %q", flat, got, w)
			}
		}
	}
	s.Apply(session.Event{Kind: session.KindBudgetUpdate, Budget: &auth.BudgetPolicy{MaxTokensPerDay: 100_000}})
	if line := ansi.Strip(strings.Join(Summary(ctx, s, Limits{}, 200), "\n")); !strings.Contains(line, "context 92%") {
		t.Errorf("the stacked summary lacks the context: %q", line)
	}
}
