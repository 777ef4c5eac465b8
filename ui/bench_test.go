package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"fmt"
	"github.com/lumodash/lumodash/session/sessiontest"
	"testing"
	"time"

	"github.com/lumodash/lumodash/session"
)

// syntheticEvents makes n events of the kinds a long session produces (log rows, tool calls,
// streamed deltas and answers), with realistic sizes.
func syntheticEvents(n int) []session.Event {
	base := finishedEvents()
	out := make([]session.Event, 0, n)
	for i := 0; len(out) < n; i++ {
		e := base[i%len(base)]
		e.Seq = int64(i + 1)
		e.Time = t0.Add(time.Duration(i) * time.Millisecond)
		if e.CallID != "" {
			e.CallID = fmt.Sprintf("c%d", i)
		}
		out = append(out, e)
	}
	return out
}

func benchView(b *testing.B, n int) {
	m := newTestModel(b, "dark", 160, 48, syntheticEvents(n))
	m.Render() // warm caches as a running program would have
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkView100(b *testing.B)    { benchView(b, 100) }
func BenchmarkView100000(b *testing.B) { benchView(b, 100_000) }

// benchFrame measures what a live session costs per event: one Update (a new log row, which
// drops the frame cache) and the View that follows it.
func benchFrame(b *testing.B, n int) {
	ev := syntheticEvents(n + 1000)
	m := newTestModel(b, "dark", 160, 48, ev[:n])
	m.Render()
	b.ReportAllocs()
	b.ResetTimer()
	i := n
	for b.Loop() {
		m.Update(ev[n+i%1000])
		_ = m.View()
		i++
	}
}

func BenchmarkFrame100(b *testing.B)    { benchFrame(b, 100) }
func BenchmarkFrame100000(b *testing.B) { benchFrame(b, 100_000) }

func BenchmarkIngest100000(b *testing.B) {
	ev := syntheticEvents(100_000)
	b.ReportAllocs()
	for b.Loop() {
		m := newTestModel(b, "dark", 160, 48, nil)
		for _, e := range ev {
			m.Update(e)
		}
	}
	b.ReportMetric(float64(len(ev)*b.N)/b.Elapsed().Seconds(), "events/s")
}

// TestLargeSessionStaysBounded: memory windows hold, and a huge session renders like a small one.
func TestLargeSessionStaysBounded(t *testing.T) {
	m := newTestModel(t, "dark", 160, 48, syntheticEvents(100_000))
	if m.log.Len() > 5000 {
		t.Errorf("log holds %d rows, want at most 5000", m.log.Len())
	}
	if n := len(m.conv.Blocks()); n > 2000 {
		t.Errorf("conversation holds %d blocks, want at most 2000", n)
	}
	checkGeometry(t, m.Render(), 160, 48)
}

// BenchmarkReplay100k: a generated 100,000-event transcript. first-frame is the time from
// opening the file to the first frame drawn, loading the whole transcript first (load-all,
// as replay did) or reading it as it plays (stream); peak-RSS is a whole replay at --speed 0
// in a process of its own (none: the process doing nothing).
func BenchmarkReplay100k(b *testing.B) {
	path := sessiontest.WriteTranscript(b, 100_000)
	for _, how := range []string{"load-all", "stream"} {
		b.Run("first-frame/"+how, func(b *testing.B) {
			for b.Loop() {
				m, closeSrc := replayModel(b, how, path, 1)
				_, cmd := m.Update(m.replay.read()())
				m.Update(cmd())
				if m.replay.played != 1 {
					b.Fatalf("played %d", m.replay.played)
				}
				_ = m.View()
				closeSrc()
			}
		})
	}
	for _, how := range []string{"none", "load-all", "stream"} {
		b.Run("peak-RSS/"+how, func(b *testing.B) {
			var mib float64
			for b.Loop() {
				mib = sessiontest.PeakRSS(b, "TestReplayPeakChild", how, path)
			}
			b.ReportMetric(mib, "peak-MiB")
		})
	}
}

// TestReplayPeakChild is BenchmarkReplay100k's child process: it plays the whole
// transcript and prints its peak RSS (skipped in ordinary runs).
func TestReplayPeakChild(t *testing.T) {
	how, path := sessiontest.PeakCase()
	if how == "" {
		t.Skip("a child of BenchmarkReplay100k")
	}
	if how == "none" { // the process alone: what the others add to it
		sessiontest.PrintPeakRSS(t)
		return
	}
	m, closeSrc := replayModel(t, how, path, 0)
	defer closeSrc()
	playReplay(t, m)
	_ = m.View()
	sessiontest.PrintPeakRSS(t)
}

func replayModel(tb testing.TB, how, path string, speed float64) (*Model, func()) {
	opts := Options{Theme: "dark", ReplaySpeed: speed}
	closeSrc := func() {}
	if how == "load-all" {
		ev, err := session.ReadTranscript(path)
		if err != nil {
			tb.Fatal(err)
		}
		opts.Replay = ev
	} else {
		src, err := session.OpenTranscript(path)
		if err != nil {
			tb.Fatal(err)
		}
		opts.ReplayFrom, closeSrc = src, func() { src.Close() }
	}
	m, err := New(context.Background(), opts)
	if err != nil {
		tb.Fatal(err)
	}
	m.ctx.Now = func() time.Time { return sessiontest.Start }
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	return m, closeSrc
}
