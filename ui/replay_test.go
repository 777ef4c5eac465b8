package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/ui/uitest"
)

func TestReplay(t *testing.T) {
	ev := finishedEvents()
	for _, speed := range []float64{0, 1000} {
		m, err := New(context.Background(), Options{Replay: ev, ReplaySpeed: speed, Theme: "dark"})
		if err != nil {
			t.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		var cmd tea.Cmd = func() tea.Msg { return replayMsg{next: 0} }
		for i := 0; cmd != nil && i < 10*len(ev); i++ {
			_, cmd = m.Update(cmd())
		}
		if m.replayAt != len(ev) {
			t.Fatalf("speed %v: replayed %d of %d events", speed, m.replayAt, len(ev))
		}
		s := ansi.Strip(m.Render())
		for _, want := range []string{"replay done", "Q3 summary", "prompts are not sent"} {
			if !strings.Contains(s, want) {
				t.Errorf("speed %v: replay screen lacks %q", speed, want)
			}
		}
		if f := s[strings.LastIndex(strings.TrimRight(s, "\n"), "\n")+1:]; strings.Contains(f, "send") || strings.Contains(f, "agent") {
			t.Errorf("speed %v: replay footer offers keys that do nothing: %q", speed, f)
		}
		m.Update(uitest.Key("enter")) // sending is refused, not crashed
	}
}
