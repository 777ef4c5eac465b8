package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/dialog"
	"github.com/lumodash/lumodash/ui/uitest"
)

// harness is a dashboard with scripted runners on a Bus, driven by the shared test driver;
// each message is settled (its commands run, their events delivered) before the next.
type harness struct {
	t       *testing.T
	m       *Model
	d       *uitest.Driver
	runners map[string]*scriptedRunner
}

// isTick keeps the clock tick from being re-armed: the tests pin the clock.
func isTick(msg tea.Msg) bool { _, ok := msg.(tickMsg); return ok }

func newHarness(t *testing.T) *harness {
	bus := session.NewBus()
	h := &harness{t: t, runners: map[string]*scriptedRunner{}}
	for _, name := range []string{"research-analyst", "junior-analyst"} {
		r := &scriptedRunner{bus: bus, agent: name}
		if name == "research-analyst" {
			r.start = startEvents(name, "agt_7f3a", []string{"read:documents", "mcp:financial"}, budget(61_000, 100_000))
			r.answer = finishedEvents()[3:]
		} else {
			r.start = deniedEvents()[:3]
			r.answer = deniedEvents()[4:]
		}
		h.runners[name] = r
	}
	opts := Options{Bus: bus, Agents: []string{"research-analyst", "junior-analyst"}, Agent: "research-analyst", Theme: "dark",
		NewRunner: func(agent string) (Runner, error) { return h.runners[agent], nil }}
	m, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	m.ctx.Now = func() time.Time { return at(3) }
	m.ctx.Location = time.UTC
	h.m = m
	h.d = uitest.New(t, m, uitest.Options{Bus: bus, Width: 120, Height: 40, Ignore: isTick})
	h.d.Settle()
	return h
}

// send delivers msg and settles what follows from it.
func (h *harness) send(msg tea.Msg) {
	h.d.Send(msg)
	h.d.Settle()
}

func (h *harness) screen() string { h.d.Settle(); return h.d.Screen() }

func (h *harness) keys(ks ...string) {
	for _, k := range ks {
		h.send(uitest.Key(k))
	}
}

func TestSendPromptFromSuggestion(t *testing.T) {
	h := newHarness(t)
	if h.m.runner == nil {
		t.Fatal("runner not ready after start")
	}
	h.keys("right", "enter") // accept the seed prompt, send it
	s := h.screen()
	for _, want := range []string{"you › Search documents for Q3", "Q3 summary", "search_company_documents", "XCHG"} {
		if !strings.Contains(s, want) {
			t.Errorf("after sending, screen lacks %q:\n%s", want, s)
		}
	}
	if h.m.running {
		t.Error("turn still marked running after Ask returned")
	}
	// history: ↑ brings the prompt back
	h.keys("up")
	if got := h.m.input.ti.Value(); got != seedPrompt {
		t.Errorf("history ↑ = %q", got)
	}
}

func TestFocusAndDetails(t *testing.T) {
	h := newHarness(t)
	h.keys("right", "enter", "tab")
	if h.m.focus != focusConversation {
		t.Fatalf("tab: focus = %d, want conversation", h.m.focus)
	}
	h.keys("tab")
	if h.m.focus != focusLog {
		t.Fatalf("tab tab: focus = %d, want log", h.m.focus)
	}
	// walk up to the exchange row and open it
	for i := 0; i < 30; i++ {
		if r, _ := h.m.log.Selected(); r.Label == "XCHG" {
			break
		}
		h.keys("k")
	}
	h.keys("enter") // the exchange belongs to a call: its trace, the exchange selected
	if _, ok := h.m.dialogs[len(h.m.dialogs)-1].(*dialog.Trace); !ok || len(h.m.dialogs) != 1 {
		t.Fatalf("enter on a call's row opened %d dialogs, not its trace", len(h.m.dialogs))
	}
	h.keys("enter") // the selected step's details, on top of the trace
	if len(h.m.dialogs) != 2 {
		t.Fatalf("enter in the trace opened %d dialogs", len(h.m.dialogs))
	}
	s := h.screen()
	for _, want := range []string{"XCHG · details", "aud", "urn:mcp:financial-data", "scope", "financial:read", "exp"} {
		if !strings.Contains(s, want) {
			t.Errorf("details lack %q:\n%s", want, s)
		}
	}
	h.keys("esc", "esc")
	if len(h.m.dialogs) != 0 {
		t.Error("esc esc did not close the details and the trace")
	}
	h.keys("t", "t") // filters: gate, then AUTH
	if h.m.log.Filter() != "AUTH" {
		t.Errorf("filter = %q", h.m.log.Filter())
	}
	h.keys("c")
	if h.m.log.Len() != 0 {
		t.Error("c did not clear the log")
	}
	h.keys("tab")
	if h.m.focus != focusInput {
		t.Error("focus did not wrap to the input")
	}
}

func TestSwitchAgent(t *testing.T) {
	h := newHarness(t)
	old := h.runners["research-analyst"]
	h.keys("ctrl+a")
	if _, ok := h.m.dialogs[len(h.m.dialogs)-1].(*dialog.AgentPicker); !ok {
		t.Fatal("ctrl+a did not open the agent picker")
	}
	h.keys("enter") // preselected: the next agent
	if !old.closed {
		t.Error("old runner not closed")
	}
	if h.m.agent != "junior-analyst" || h.m.runner != h.runners["junior-analyst"] {
		t.Fatalf("agent = %q", h.m.agent)
	}
	if s := h.screen(); !strings.Contains(s, "switched to junior-analyst: authenticated, ready") || strings.Contains(s, "re-authenticating") {
		t.Errorf("the switch note did not say it was done:\n%s", s)
	}
	h.keys("right", "enter")
	s := h.screen()
	for _, want := range []string{"junior-analyst", "✗ denied", "DENY", "✗ mcp:financial", "denied · can request"} {
		if !strings.Contains(s, want) {
			t.Errorf("after switching, screen lacks %q:\n%s", want, s)
		}
	}
}

func TestCtrlCCancelsThenQuits(t *testing.T) {
	h := newHarness(t)
	h.runners["research-analyst"].block = true
	h.keys("right")
	_, cmd := h.m.Update(uitest.Key("enter"))
	if !h.m.running {
		t.Fatal("not running after enter")
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	_, c := h.m.Update(uitest.Key("ctrl+c"))
	if c != nil {
		t.Fatal("first ctrl+c during a turn must cancel, not quit")
	}
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Ask was not cancelled")
	}
	h.send(msg)
	if h.m.running {
		t.Error("still running after cancellation")
	}
	if !strings.Contains(h.screen(), "request cancelled") {
		t.Error("no cancellation note")
	}
	_, c = h.m.Update(uitest.Key("ctrl+c"))
	if c == nil {
		t.Fatal("second ctrl+c should quit")
	}
	if _, ok := c().(tea.QuitMsg); !ok {
		t.Error("second ctrl+c did not return tea.Quit")
	}
}

func TestQueueKeepsOrderAndDropsNothing(t *testing.T) {
	got := make(chan tea.Msg, 100_000)
	q := newQueue(func(m tea.Msg) { got <- m })
	defer q.stop()
	const n = 20_000
	go func() {
		for i := 1; i <= n; i++ {
			q.Emit(session.Event{Seq: int64(i)})
		}
	}()
	next := int64(1)
	deadline := time.After(5 * time.Second)
	for next <= n {
		select {
		case m := <-got:
			for _, e := range m.(eventsMsg) {
				if e.Seq != next {
					t.Fatalf("event %d arrived when %d was expected", e.Seq, next)
				}
				next++
			}
		case <-deadline:
			t.Fatalf("only %d of %d events arrived", next-1, n)
		}
	}
}

// TestQueueCoalescesToFrames: events arriving faster than the frame rate reach the program
// at most one batch per frame, all of them, in order.
func TestQueueCoalescesToFrames(t *testing.T) {
	type batch struct {
		at time.Time
		n  int
	}
	got := make(chan batch, 10_000)
	q := newQueue(func(m tea.Msg) { got <- batch{time.Now(), len(m.(eventsMsg))} })
	defer q.stop()
	const n = 300
	go func() {
		for i := 1; i <= n; i++ {
			q.Emit(session.Event{Kind: session.KindModelDelta, Seq: int64(i)})
			time.Sleep(200 * time.Microsecond) // a fast stream: many chunks per frame
		}
	}()
	var batches []batch
	deadline := time.After(10 * time.Second)
	for total := 0; total < n; {
		select {
		case b := <-got:
			batches = append(batches, b)
			total += b.n
		case <-deadline:
			t.Fatalf("only %d of %d events arrived", total, n)
		}
	}
	for i := 1; i < len(batches); i++ {
		if gap := batches[i].at.Sub(batches[i-1].at); gap < frameInterval*9/10 {
			t.Fatalf("batch %d came %v after the one before, within a frame (%v)", i, gap, frameInterval)
		}
	}
	if len(batches) >= n/2 {
		t.Errorf("%d batches for %d events: not coalesced", len(batches), n)
	}
}
