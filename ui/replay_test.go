package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/sessiontest"
	"github.com/lumodash/lumodash/ui/uitest"
)

// playReplay runs the replay's commands in turn, as the program would (timers fire at
// once), until it stops asking for more.
func playReplay(t testing.TB, m *Model) {
	t.Helper()
	cmd := m.replay.read()
	for i := 0; cmd != nil; i++ {
		if i > 1_000_000 {
			t.Fatal("the replay never ends")
		}
		_, cmd = m.Update(cmd())
	}
}

func TestReplay(t *testing.T) {
	ev := finishedEvents()
	for _, speed := range []float64{0, 1000} {
		m, err := New(context.Background(), Options{Replay: ev, ReplaySpeed: speed, Theme: "dark"})
		if err != nil {
			t.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		playReplay(t, m)
		if m.replay.played != len(ev) || m.ReplayErr() != nil {
			t.Fatalf("speed %v: replayed %d of %d events (%v)", speed, m.replay.played, len(ev), m.ReplayErr())
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

// TestReplayStreamsTranscript: a transcript read as it plays shows everything up to a bad
// line, then says which line and why; the replay's error says it too. A truncated last line
// is a warning after all complete events, and no error.
func TestReplayStreamsTranscript(t *testing.T) {
	ok := `{"v":1,"kind":"prompt","seq":1,"text":"first prompt"}` + "\n" +
		`{"v":1,"kind":"model.delta","seq":2,"text":"streamed words"}` + "\n"
	for _, tc := range []struct {
		name, tail, want string
		played           int
		isErr            bool
	}{
		{"end", "", "", 2, false},
		{"garbage", "garbage\n" + ok, "t.jsonl line 3 is not a lumodash event", 2, true},
		{"future", `{"v":9,"kind":"prompt","seq":3}` + "\n", "line 3 has schema version 9", 2, true},
		{"truncated", ok + `{"v":1,"kind":"mod`, "replay ended early: transcript t.jsonl line 5: transcript ends with an incomplete line", 4, false},
	} {
		for _, speed := range []float64{0, 1000} {
			src := session.NewTranscriptReader(strings.NewReader(ok+tc.tail), "t.jsonl")
			m, err := New(context.Background(), Options{ReplayFrom: src, ReplaySpeed: speed, Theme: "dark"})
			if err != nil {
				t.Fatal(err)
			}
			m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
			playReplay(t, m)
			s := ansi.Strip(m.Render())
			if m.replay.played != tc.played || !strings.Contains(s, "first prompt") {
				t.Errorf("%s/%v: played %d, want %d\n%s", tc.name, speed, m.replay.played, tc.played, s)
			}
			err = m.ReplayErr()
			if (err != nil) != tc.isErr || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("%s/%v: error %v, want one saying %q: %v", tc.name, speed, err, tc.want, tc.isErr)
			}
			if !strings.Contains(strings.Join(strings.Fields(s), " "), tc.want) {
				t.Errorf("%s/%v: the screen should say %q:\n%s", tc.name, speed, tc.want, s)
			}
			if done := strings.Contains(s, fmt.Sprintf("replay done · %d events", tc.played)); done == tc.isErr {
				t.Errorf("%s/%v: header wrong for the outcome:\n%s", tc.name, speed, s)
			}
		}
	}
}

// TestReplayKeepsWindows: a 100k-event transcript played from its file leaves the
// dashboard holding only its windows.
func TestReplayKeepsWindows(t *testing.T) {
	if testing.Short() {
		t.Skip("plays 100,000 events")
	}
	src, err := session.OpenTranscript(sessiontest.WriteTranscript(t, 100_000))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	m, _ := New(context.Background(), Options{ReplayFrom: src, Theme: "dark"})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	playReplay(t, m)
	if m.replay.played != 100_000 || m.log.Len() > 5000 || len(m.conv.Blocks()) > 2000 {
		t.Errorf("played %d, log %d rows, conversation %d blocks", m.replay.played, m.log.Len(), len(m.conv.Blocks()))
	}
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "replay done · 100000 events") {
		t.Errorf("final screen:\n%s", s)
	}
}
