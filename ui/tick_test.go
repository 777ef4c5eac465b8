package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
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
