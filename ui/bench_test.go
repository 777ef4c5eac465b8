package ui

import (
	"fmt"
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
