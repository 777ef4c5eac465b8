package logview

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/uictx"
)

func ev(i int, kind session.Kind) session.Event {
	t := true
	return session.Event{Seq: int64(i), Kind: kind, Time: time.Unix(int64(i), 0).UTC(), Capability: "read:documents", Allowed: &t, Audience: "urn:x"}
}

func TestRingIsBoundedAndFollows(t *testing.T) {
	m := New(10)
	for i := 1; i <= 25; i++ {
		m.Add(ev(i, session.KindCapabilityCheck))
	}
	m.Add(session.Event{Kind: session.KindModelDelta}) // not a log row
	if m.Len() != 10 {
		t.Fatalf("Len = %d, want 10", m.Len())
	}
	r, ok := m.Selected()
	if !ok || r.Event.Seq != 25 {
		t.Fatalf("follow should select the newest row, got %d", r.Event.Seq)
	}
	m.Move(-3)
	if r, _ := m.Selected(); r.Event.Seq != 22 || m.Follow {
		t.Fatalf("after ↑3: seq %d follow %v", r.Event.Seq, m.Follow)
	}
	m.Add(ev(26, session.KindCapabilityCheck))
	if r, _ := m.Selected(); r.Event.Seq != 22 {
		t.Fatalf("paused selection moved to %d", r.Event.Seq)
	}
	m.Move(-100)
	if r, _ := m.Selected(); r.Event.Seq != 17 {
		t.Fatalf("top of the window = %d, want 17", r.Event.Seq)
	}
	m.End()
	if r, _ := m.Selected(); r.Event.Seq != 26 || !m.Follow {
		t.Fatal("End should follow the newest row")
	}
}

func TestFilterAndView(t *testing.T) {
	m := New(100)
	for i := 1; i <= 30; i++ {
		k := session.KindCapabilityCheck
		if i%3 == 0 {
			k = session.KindTokenExchange
		}
		m.Add(ev(i, k))
	}
	for m.Filter() != "XCHG" {
		m.CycleFilter(1)
	}
	ctx := uictx.New(themes.Dark(), false, 80)
	ctx.Location = time.UTC
	out := ansi.Strip(m.View(ctx, 60, 5))
	if strings.Contains(out, "CAP ") {
		t.Errorf("filtered view shows other kinds:\n%s", out)
	}
	if lines := strings.Split(out, "\n"); len(lines) != 5 || !strings.Contains(lines[4], "00:00:30") {
		t.Errorf("view should end at the newest exchange:\n%s", out)
	}
	m.Clear()
	if _, ok := m.Selected(); ok || m.Len() != 0 {
		t.Error("Clear left rows")
	}
}
