package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui/dialog"
)

// jitPendingEvents: the junior analyst's financial call became a JIT request awaiting review.
func jitPendingEvents() []session.Event {
	ev := deniedEvents()[:6] // start, prompt, call, denied check (JIT available)
	return append(ev,
		session.Event{Kind: session.KindJITRequested, Time: at(1.5), CallID: "c1", Tool: "query_financial_mcp", Capability: "mcp:financial",
			RequestID: "jit_4666279581aa", Risk: "high", Status: "requested", Text: "The analyst's tool query_financial_mcp needs 'mcp:financial' to answer: metric=EBITDA"},
		session.Event{Kind: session.KindJITPending, Time: at(1.6), CallID: "c1", Tool: "query_financial_mcp", Capability: "mcp:financial",
			RequestID: "jit_4666279581aa", Risk: "high", Status: "pending", Deadline: at(1.6).Add(5 * time.Minute)},
	)
}

func jitQuestion() tools.JITQuestion {
	return tools.JITQuestion{Tool: "query_financial_mcp", CallID: "c1", Capability: "mcp:financial", Risk: "high",
		RequestID: "jit_4666279581aa", Deadline: at(1.6).Add(5 * time.Minute),
		Justification: "The analyst's tool query_financial_mcp needs 'mcp:financial' to answer: metric=EBITDA, period=Q3"}
}

// A question from the runner opens a dialog that ignores keys typed before it settled; once
// armed, one key answers and the blocked runner goroutine gets the decision.
func TestJITReviewDialogKeyFlow(t *testing.T) {
	for _, c := range []struct {
		review  bool
		key     string
		approve bool
	}{{true, "a", true}, {true, "d", false}, {false, "y", true}, {false, "n", false}} {
		t.Run(fmt.Sprintf("review=%v/%s", c.review, c.key), func(t *testing.T) {
			h := newHarness(t)
			now := at(3)
			h.m.ctx.Now = func() time.Time { return now }
			esc := NewEscalation("Acme Security Operator")
			h.m.opts.Escalation = esc
			delivered := make(chan tea.Msg, 1)
			esc.Attach(func(msg tea.Msg) { delivered <- msg })
			type answer struct {
				ok  bool
				err error
			}
			got := make(chan answer, 1)
			go func() {
				if c.review {
					d, err := esc.Review(context.Background(), jitQuestion())
					got <- answer{d.Approve, err}
					return
				}
				ok, err := esc.Confirm(context.Background(), jitQuestion())
				got <- answer{ok, err}
			}()
			h.send(<-delivered)
			screen := h.screen()
			title := "Request just-in-time access?"
			if c.review {
				title = "approval needed"
			}
			if !strings.Contains(screen, title) || !strings.Contains(screen, "keys ignored for a moment") {
				t.Fatalf("dialog not shown disarmed:\n%s", screen)
			}
			// Keys typed in the quiet period do nothing and restart it.
			h.keys(c.key, c.key)
			now = now.Add(dialog.JITQuietPeriod / 2)
			h.keys(c.key)
			now = now.Add(dialog.JITQuietPeriod / 2)
			h.keys(c.key)
			select {
			case a := <-got:
				t.Fatalf("answered while disarmed: %+v", a)
			default:
			}
			now = now.Add(dialog.JITQuietPeriod)
			if s := h.screen(); strings.Contains(s, "keys ignored") || !strings.Contains(s, "ctrl+c cancels the request") {
				t.Fatalf("not armed:\n%s", s)
			}
			h.keys("x") // an unrelated key leaves it open
			h.keys(c.key)
			select {
			case a := <-got:
				if a.err != nil || a.ok != c.approve {
					t.Errorf("answer %+v, want %v", a, c.approve)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("the runner goroutine got no answer")
			}
			if len(h.m.dialogs) != 0 {
				t.Errorf("dialog still open")
			}
		})
	}
}

// The dialog closes when the request is decided elsewhere; the pending card counts down and
// an approval shows the capability as temporarily granted with its TTL.
func TestJITPendingCardAndGrant(t *testing.T) {
	m := newTestModel(t, "dark", 120, 36, jitPendingEvents())
	m.openJITDialog(jitAskMsg{q: jitQuestion(), review: true, reply: make(chan jitAnswer, 1)})
	plain := ansi.Strip(m.Render())
	for _, want := range []string{"JIT pending", "mcp:financial · risk high", "4m59s left", "approval needed"} {
		if !strings.Contains(plain, want) {
			t.Errorf("screen lacks %q:\n%s", want, plain)
		}
	}
	m.Update(eventsMsg{
		{Kind: session.KindJITApproved, Time: at(2), Capability: "mcp:financial", RequestID: "jit_4666279581aa", TTL: 5 * time.Minute,
			Deadline: at(2).Add(5 * time.Minute), Reason: "approved by the operator in lumodash", Status: "approved"},
		{Kind: session.KindCapabilityCheck, Time: at(2.1), CallID: "c1", Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: yes(), Reason: "granted just in time · expires in 5m0s"},
		{Kind: session.KindToolResult, Time: at(2.2), CallID: "c1", Tool: "query_financial_mcp", Status: "ok", Text: "Acme Corp EBITDA, Q3 2026: $4.21M", Count: 1},
	})
	plain = ansi.Strip(m.Render())
	if len(m.dialogs) != 0 || strings.Contains(plain, "JIT pending") {
		t.Errorf("dialog or card left after the decision:\n%s", plain)
	}
	for _, want := range []string{"◷ mcp:financial", "JIT grant, 4m59s left", "granted for 5m"} {
		if !strings.Contains(plain, want) {
			t.Errorf("screen lacks %q:\n%s", want, plain)
		}
	}
	m.Update(session.Event{Kind: session.KindJITCompleted, Time: at(3)})
	if strings.Contains(ansi.Strip(m.Render()), "◷ mcp") {
		t.Error("grant still shown after the task completed")
	}
}

func TestJITDialogViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 36}} {
		for _, theme := range []string{"dark", "light"} {
			for _, armed := range []bool{false, true} {
				t.Run(fmt.Sprintf("%dx%d/%s/armed=%v", size[0], size[1], theme, armed), func(t *testing.T) {
					m := newTestModel(t, theme, size[0], size[1], jitPendingEvents())
					m.opts.Escalation = NewEscalation("Acme Security Operator")
					m.openJITDialog(jitAskMsg{q: jitQuestion(), review: true, reply: make(chan jitAnswer, 1)})
					if armed {
						m.ctx.Now = func() time.Time { return at(3).Add(time.Second) }
					}
					screen := pinned(t, m)
					checkGeometry(t, screen, size[0], size[1])
					golden.RequireEqual(t, screen)
				})
			}
		}
	}
}

// The reviewer picks the grant length with ←/→ before approving; the decision carries it.
func TestJITReviewChoosesGrant(t *testing.T) {
	h := newHarness(t)
	now := at(3)
	h.m.ctx.Now = func() time.Time { return now }
	esc := NewEscalation("Acme Security Operator")
	h.m.opts.Escalation = esc
	delivered := make(chan tea.Msg, 1)
	esc.Attach(func(msg tea.Msg) { delivered <- msg })
	got := make(chan tools.JITDecision, 1)
	go func() {
		d, _ := esc.Review(context.Background(), jitQuestion())
		got <- d
	}()
	h.send(<-delivered)
	now = now.Add(2 * dialog.JITQuietPeriod)
	if s := h.screen(); !strings.Contains(s, "5m  (←/→ to change)") {
		t.Fatalf("grant choice not shown:\n%s", s)
	}
	h.keys("right", "right")
	if s := h.screen(); !strings.Contains(s, "15m  (←/→ to change)") {
		t.Fatalf("grant not moved to 15m:\n%s", s)
	}
	h.keys("a")
	select {
	case d := <-got:
		if !d.Approve || d.TTL != 15*time.Minute || !strings.Contains(d.Notes, "for 15m") {
			t.Errorf("decision %+v, want approval for 15m", d)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no decision")
	}
}
