package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/uitest"
)

// compareHarness is compare mode on two scripted runners, each on a bus of its own: the
// research analyst answers, the junior analyst's financial query is denied.
type compareHarness struct {
	c       *Compare
	d       *uitest.Driver
	runners [2]*scriptedRunner
}

func newCompareHarness(t *testing.T, w, h int, block bool) *compareHarness {
	t.Helper()
	ch := &compareHarness{}
	research := &scriptedRunner{bus: session.NewBus(), agent: "research-analyst", block: block, asked: make(chan string, 4),
		start:  startEvents("research-analyst", "agt_7f3a", []string{"read:documents", "mcp:financial"}, budget(61_000, 100_000)),
		answer: finishedEvents()[4:]}
	junior := &scriptedRunner{bus: session.NewBus(), agent: "junior-analyst", block: block, asked: make(chan string, 4),
		start: deniedEvents()[:3], answer: deniedEvents()[4:]}
	ch.runners = [2]*scriptedRunner{research, junior}
	var sides [2]Options
	for i, r := range ch.runners {
		sides[i] = Options{Bus: r.bus, Agent: r.agent, Theme: "dark", Agents: []string{"research-analyst", "junior-analyst"},
			NewRunner: func(string) (Runner, error) { return r, nil }}
	}
	c, err := NewCompare(context.Background(), sides)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range c.sides {
		m.ctx.Now = func() time.Time { return at(3) }
		m.ctx.Location = time.UTC
	}
	ch.c = c
	routes := make([]uitest.Route, 2)
	for i, r := range ch.runners {
		routes[i] = uitest.Route{Bus: r.bus, Wrap: func(e session.Event) tea.Msg { return CompareEvent(i, e) }}
	}
	ch.d = uitest.New(t, c, uitest.Options{Routes: routes, Width: w, Height: h,
		Ignore: func(msg tea.Msg) bool { s, ok := msg.(sideMsg); return ok && isTick(s.msg) }})
	ch.d.Settle()
	return ch
}

func (ch *compareHarness) keys(ks ...string) {
	for _, k := range ks {
		ch.d.Send(uitest.Key(k))
		ch.d.Settle()
	}
}

// Golden views of compare mode after the seed prompt: side by side at 160×48, stacked at
// 80×24; and with the junior analyst's JIT question open, titled with its agent.
func TestCompareViews(t *testing.T) {
	for _, size := range []struct{ w, h int }{{160, 48}, {80, 24}} {
		for _, scenario := range []string{"answered", "jit_dialog"} {
			t.Run(fmt.Sprintf("%s/%dx%d", scenario, size.w, size.h), func(t *testing.T) {
				ch := newCompareHarness(t, size.w, size.h, false)
				ch.keys("right", "enter")
				if scenario == "jit_dialog" {
					ch.d.Send(sideMsg{side: 1, msg: jitAskMsg{q: jitQuestion(), reply: make(chan jitAnswer, 1)}})
					ch.d.Settle()
				}
				screen := ch.d.Screen()
				checkGeometry(t, ch.c.Render(), size.w, size.h)
				halves := compareHalves(screen, size.w, ch.c.sideBySide())
				for i, want := range []string{"✓ mcp:financial", "✗ mcp:financial"} {
					if scenario == "answered" && !strings.Contains(halves[i], want) {
						t.Errorf("side %d lacks %q:\n%s", i, want, halves[i])
					}
				}
				if ch.c.sideBySide() && scenario == "answered" && strings.Count(screen, "you › Search documents") != 2 {
					t.Errorf("the prompt is not on both sides:\n%s", screen)
				}
				if scenario == "jit_dialog" && !strings.Contains(screen, "Request just-in-time access? · junior-analyst") {
					t.Errorf("the JIT dialog does not say it is the junior analyst's:\n%s", screen)
				}
				golden.RequireEqual(t, pinnedFrame(t, ch.c.View().Content))
			})
		}
	}
}

// compareHalves splits a screen into the two sides' text: left and right columns, or the
// top and bottom halves of the rows above the prompt.
func compareHalves(screen string, w int, beside bool) [2]string {
	lines := strings.Split(screen, "\n")
	var out [2]strings.Builder
	body := lines[:len(lines)-4]
	for i, l := range body {
		r := []rune(l)
		switch {
		case beside:
			half := min(w/2, len(r))
			out[0].WriteString(string(r[:half]) + "\n")
			out[1].WriteString(string(r[half:]) + "\n")
		case i < len(body)/2:
			out[0].WriteString(l + "\n")
		default:
			out[1].WriteString(l + "\n")
		}
	}
	return [2]string{out[0].String(), out[1].String()}
}

// One prompt typed once reaches both sessions; ctrl+c cancels both running requests, and
// quits once none runs.
func TestComparePromptReachesBothAndCtrlCCancelsBoth(t *testing.T) {
	ch := newCompareHarness(t, 160, 48, true)
	ch.d.Type("What was EBITDA in Q3?")
	ch.keys("enter")
	for i, r := range ch.runners {
		select {
		case got := <-r.asked:
			if got != "What was EBITDA in Q3?" {
				t.Errorf("side %d was asked %q", i, got)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("side %d (%s) was never asked", i, r.agent)
		}
	}
	screen := ch.d.Screen()
	if n := strings.Count(screen, "you › What was EBITDA in Q3?"); n != 2 {
		t.Errorf("the prompt shows %d times, want once per side:\n%s", n, screen)
	}
	if !ch.c.sides[0].running || !ch.c.sides[1].running {
		t.Fatal("not both requests are running")
	}
	ch.keys("ctrl+c")
	screen = ch.d.Pump(10*time.Second, func(s string) bool { return strings.Count(s, "request cancelled") == 2 })
	if ch.d.Quit() {
		t.Fatal("ctrl+c quit while requests were running")
	}
	ch.keys("ctrl+c")
	if !ch.d.Quit() {
		t.Errorf("ctrl+c with nothing running did not quit:\n%s", screen)
	}
}

// Tab walks the focus through each side's conversation and log and back to the prompt; keys
// go to the focused side only, and esc returns to the prompt.
func TestCompareFocusWalk(t *testing.T) {
	ch := newCompareHarness(t, 160, 48, false)
	ch.keys("right", "enter")
	want := []struct {
		side int
		pane focusArea
	}{{0, focusConversation}, {0, focusLog}, {1, focusConversation}, {1, focusLog}}
	for _, w := range want {
		ch.keys("tab")
		for i, m := range ch.c.sides {
			if focused := m.focus != focusInput; focused != (i == w.side) || (focused && m.focus != w.pane) {
				t.Fatalf("after tab: side %d focus %v, want side %d on %v", i, m.focus, w.side, w.pane)
			}
		}
	}
	ch.keys("t") // the log filter of the focused side (junior analyst) only
	if ch.c.sides[1].log.Title() == ch.c.sides[0].log.Title() {
		t.Errorf("t did not reach the focused log: %q vs %q", ch.c.sides[1].log.Title(), ch.c.sides[0].log.Title())
	}
	ch.keys("esc")
	if ch.c.focus != compareInput || !ch.c.input.ti.Focused() {
		t.Errorf("esc left the focus on %v", ch.c.focus)
	}
}

// A JIT question from the junior analyst's session opens on its side and takes the keys
// there: y answers that side's question, whatever the focus.
func TestCompareJITDialogAnswersItsSide(t *testing.T) {
	ch := newCompareHarness(t, 160, 48, false)
	reply := make(chan jitAnswer, 1)
	ch.d.Send(sideMsg{side: 1, msg: jitAskMsg{q: jitQuestion(), reply: reply}})
	ch.d.Settle()
	if len(ch.c.sides[1].dialogs) != 1 || len(ch.c.sides[0].dialogs) != 0 {
		t.Fatalf("dialogs: left %d, right %d; want the right side's only", len(ch.c.sides[0].dialogs), len(ch.c.sides[1].dialogs))
	}
	ch.c.sides[1].ctx.Now = func() time.Time { return at(5) } // past the dialog's quiet period
	ch.keys("y")
	select {
	case a := <-reply:
		if !a.ok {
			t.Error("y answered no")
		}
	default:
		t.Fatal("y did not answer the junior analyst's question")
	}
	if len(ch.c.sides[1].dialogs) != 0 || ch.c.input.ti.Value() != "" {
		t.Errorf("after y: %d dialogs left, prompt %q (the key must not reach the prompt)", len(ch.c.sides[1].dialogs), ch.c.input.ti.Value())
	}
}
