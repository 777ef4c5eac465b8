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
		m.CycleFilter()
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

func TestDetailsNeverShowRawToken(t *testing.T) {
	e := ev(1, session.KindTokenExchange)
	e.Err = &session.ErrorInfo{Code: "invalid_target", Message: "no \x1b[31mway", Status: 400}
	r, _ := RowFor(e)
	var all strings.Builder
	for _, f := range Details(r) {
		all.WriteString(f.Name + "=" + f.Value + "\n")
	}
	if strings.Contains(all.String(), "\x1b") {
		t.Error("details carry an escape sequence")
	}
	if !strings.Contains(all.String(), "invalid_target: no way (HTTP 400)") {
		t.Errorf("details lack the error:\n%s", all.String())
	}
}

func TestFormatting(t *testing.T) {
	if Count(1234567) != "1,234,567" || Count(-1000) != "-1,000" || Count(12) != "12" {
		t.Error("Count")
	}
	if CostText(session.Cost{}) != "unpriced" || CostText(session.Cost{Note: "local (free)"}) != "local (free)" {
		t.Error("an unpriced cost must never read $0.00")
	}
	if Remaining(59*time.Minute+30*time.Second) != "59m" || Remaining(90*time.Second) != "1m30s" {
		t.Error("Remaining")
	}
}
