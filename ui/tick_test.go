package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/session"
)

// TestTickRedrawsOnlyWhatShowsTheClock: the 1 Hz tick changes no state, so the conversation
// and the log are not drawn again and a second that changes nothing on screen gives the
// very same frame; when the token's time left reads differently, the header follows.
func TestTickRedrawsOnlyWhatShowsTheClock(t *testing.T) {
	m := newTestModel(t, "dark", 160, 48, finishedEvents())
	now := at(3)
	m.ctx.Now = func() time.Time { return now }
	first := m.Render()
	rev, body := m.cache.rev, m.cache.steady["body"]
	m.conv.InvalidateStyles() // a redraw of the conversation would now draw it afresh
	now = now.Add(time.Second)
	m.Update(tickMsg(now))
	if got := m.Render(); got != first || m.cache.rev != rev || m.cache.steady["body"] != body {
		t.Fatalf("a tick that changes nothing redrew the frame (rev %d → %d)", rev, m.cache.rev)
	}
	header := func() string { return ansi.Strip(m.Render()[:strings.IndexByte(m.Render(), '\n')]) }
	before := header()
	now = now.Add(25 * time.Minute)
	m.Update(tickMsg(now))
	if after := header(); after == before || !strings.Contains(after, "token 35m") {
		t.Errorf("25 minutes later the header still reads %q (was %q)", after, before)
	}
}

// TestTickRedrawsTheSidebarOnlyWhenItReadsDifferently: the sidebar is drawn again on a tick
// only when what it shows of the clock reads differently: a steady second keeps it (a
// marked copy of it survives), a just-in-time grant's countdown redraws it as it counts.
func TestTickRedrawsTheSidebarOnlyWhenItReadsDifferently(t *testing.T) {
	m := newTestModel(t, "dark", 160, 48, finishedEvents())
	now := at(3)
	m.ctx.Now = func() time.Time { return now }
	m.Render()
	const mark = "a sidebar kept from the last frame"
	sideAfterTick := func(d time.Duration) string {
		e := m.cache.parts["side"]
		e.text = mark
		m.cache.parts["side"] = e
		now = now.Add(d)
		m.Update(tickMsg(now))
		m.Render()
		return m.cache.parts["side"].text
	}
	if got := sideAfterTick(time.Second); got != mark {
		t.Errorf("a steady second redrew the sidebar")
	}
	m.Update(session.Event{Kind: session.KindJITApproved, Time: now, Capability: "hr:headcount", RequestID: "jit_1", TTL: 5 * time.Minute,
		Deadline: now.Add(5 * time.Minute), Status: "approved"})
	m.Render()
	if got := sideAfterTick(time.Second); got == mark || !strings.Contains(ansi.Strip(got), "4m59s left") {
		t.Errorf("the grant's countdown did not redraw the sidebar: %q", ansi.Strip(got))
	}
}
