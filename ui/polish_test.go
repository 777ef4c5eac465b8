package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/dialog"
)

// screenLines renders the model and returns its plain-text lines.
func screenLines(m *Model) []string { return strings.Split(ansi.Strip(m.Render()), "\n") }

// TestCostNeverZeroDollars: a local model's cost reads "local (free)" and an unpriced
// model's "unpriced", in the log's MODEL rows and the sidebar, never "$0.0000".
func TestCostNeverZeroDollars(t *testing.T) {
	for _, tc := range []struct {
		name string
		cost session.Cost
		want string
	}{
		{"local", session.Cost{Priced: true, Note: session.NoteLocal}, "local (free)"},
		{"unpriced", session.Cost{Note: session.NoteUnpriced}, "unpriced"},
		{"priced", session.Cost{Priced: true, USD: 0.0021}, "$0.0021"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := startEvents("research-analyst", "agt_7f3a", []string{"read:documents"}, budget(1000, 100_000))
			c := tc.cost
			ev = append(ev, session.Event{Kind: session.KindModelResponse, Time: at(1), Model: "demo-analyst", Turn: 1,
				Usage: &session.Usage{PromptTokens: 339, CompletionTokens: 26}, Cost: &c, Duration: 65 * time.Millisecond},
				session.Event{Kind: session.KindRequestFinish, Time: at(1.1), Outcome: session.OutcomeOK,
					SessionUse: &session.Usage{PromptTokens: 339, CompletionTokens: 26}, SessionCost: &c})
			m := newTestModel(t, "dark", 120, 36, ev)
			plain := ansi.Strip(m.Render())
			if strings.Contains(plain, "$0.0000") && tc.want != "$0.0000" {
				t.Errorf("screen shows $0.0000 for a %s cost:\n%s", tc.name, plain)
			}
			var model, side bool
			for _, l := range screenLines(m) {
				if strings.Contains(l, "MODEL") && strings.Contains(l, "· "+tc.want) {
					model = true
				}
				if strings.Contains(l, "session cost") && strings.Contains(l, tc.want) {
					side = true
				}
			}
			if !model || !side {
				t.Errorf("want %q in the MODEL row (%v) and the sidebar (%v):\n%s", tc.want, model, side, plain)
			}
		})
	}
}

// TestHeaderCompactAndComplete: the parts line names each part once with its label, fits,
// and drops hosts (never labels) when narrow; the first line keeps the status.
func TestHeaderCompactAndComplete(t *testing.T) {
	for _, w := range []int{160, 120, 80, 60} {
		m := newTestModel(t, "dark", w, 36, midRunEvents())
		lines := screenLines(m)
		l1, l2 := lines[0], lines[1]
		if !strings.HasSuffix(strings.TrimRight(l1, " "), "idle") {
			t.Errorf("%d cols: header line 1 lost its status: %q", w, l1)
		}
		if strings.Contains(l2, "…") || countWord(l2, "model") != 1 {
			t.Errorf("%d cols: parts line truncated or repeats model: %q", w, l2)
		}
		for _, want := range []string{"auth EMBEDDED", "mcp EMBEDDED", "model demomodel EMBEDDED"} {
			if !strings.Contains(l2, want) {
				t.Errorf("%d cols: parts line lacks %q: %q", w, want, l2)
			}
		}
		if w >= 120 && !strings.Contains(l2, "127.0.0.1:41234") {
			t.Errorf("%d cols: room for hosts, but they were dropped: %q", w, l2)
		}
	}
}

// TestSessionTokensLine: without --max-tokens the sidebar says the session's tokens on one
// untruncated line ("(no cap)" where it fits); with it, a gauge shows the share used.
func TestSessionTokensLine(t *testing.T) {
	for _, w := range []int{80, 120, 160} {
		m := newTestModel(t, "dark", w, 36, midRunEvents())
		var found bool
		lines := screenLines(m)
		for i, l := range lines {
			if strings.Contains(l, "session tokens") {
				found = true
				// On a narrow sidebar the amount goes right-aligned on the next line.
				both := l
				if i+1 < len(lines) && !strings.Contains(l, "853") {
					both += "\n" + lines[i+1]
				}
				want := "853 (no cap)"
				if w < 100 { // a narrow sidebar keeps the line whole by leaving out "(no cap)"
					want = "session tokens       853"
				}
				if !strings.Contains(both, want) || strings.Contains(both, "…") {
					t.Errorf("%d cols: session tokens line %q", w, both)
				}
			}
		}
		if !found {
			t.Errorf("%d cols: no session tokens line", w)
		}
	}
	m := newTestModel(t, "dark", 120, 36, nil)
	m.limits.MaxTokens = 2000
	m.Update(eventsMsg(midRunEvents()))
	plain := ansi.Strip(m.Render())
	if !strings.Contains(plain, "853/2k") || !strings.Contains(plain, "43%") {
		t.Errorf("with --max-tokens the session gauge should show 853/2k at 43%%:\n%s", plain)
	}
}

// TestSubMillisecondDurations: a call faster than a millisecond reads "<1ms", not "0ms".
func TestSubMillisecondDurations(t *testing.T) {
	ev := midRunEvents()
	for i := range ev {
		if ev[i].Kind == session.KindToolResult || ev[i].Kind == session.KindMCPCall {
			ev[i].Duration = 300 * time.Microsecond
		}
	}
	m := newTestModel(t, "dark", 160, 48, ev)
	plain := ansi.Strip(m.Render())
	if strings.Contains(plain, " 0ms") || strings.Contains(plain, " 0s") {
		t.Errorf("screen shows 0ms:\n%s", plain)
	}
	if strings.Count(plain, "<1ms") < 3 {
		t.Errorf("want <1ms on both tool calls and the MCP row:\n%s", plain)
	}
}

// TestBudgetDialogExplainsStop: the dialog carries the guard's own reason, so "the next
// call would not fit" makes sense next to a gauge below 100%.
func TestBudgetDialogExplainsStop(t *testing.T) {
	m := newTestModel(t, "dark", 120, 36, exhaustedEvents())
	if len(m.dialogs) == 0 {
		t.Fatal("no budget dialog opened")
	}
	d, ok := m.dialogs[len(m.dialogs)-1].(*dialog.Budget)
	if !ok {
		t.Fatalf("top dialog is %T", m.dialogs[len(m.dialogs)-1])
	}
	body := ansi.Strip(strings.Join(d.Lines(m.ctx, 60), " "))
	for _, want := range []string{"The next model call needs about 967 tokens but only 635 of 100,000 tokens remain", "Resets: 00:00 UTC"} {
		if !strings.Contains(body, want) {
			t.Errorf("dialog lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "budget exhausted: tokens/day") || strings.Contains(body, "resets at 2026") {
		t.Errorf("dialog repeats the prefix or the reset time:\n%s", body)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
}

func countWord(s, word string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if f == word {
			n++
		}
	}
	return n
}
