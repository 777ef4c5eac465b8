package ui

import (
	"testing"
	"time"
)

// BenchmarkSteadyFrame: a finished session of 100 events at 160×48 and nothing happening.
// frozen-clock is the View of a cached frame (as BenchmarkView100); tick is what the running
// program does every second: the clock advances, the 1 Hz tick arrives, the frame is drawn.
// Both run interleaved in one loop (the same machine load); tick/frozen is their ratio, and
// changed/tick the share of ticks whose frame differs from the one before (the clock's
// readings in it changed: the token's time left, the burn rate and when tokens run out).
func BenchmarkSteadyFrame(b *testing.B) {
	frozen, ticking := newTestModel(b, "dark", 160, 48, syntheticEvents(100)), newTestModel(b, "dark", 160, 48, syntheticEvents(100))
	now := at(3)
	ticking.ctx.Now = func() time.Time { return now }
	frozen.Render()
	ticking.Render()
	var tf, tt, tsame time.Duration
	last, changed := ticking.Render(), 0
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		_ = frozen.View()
		t1 := time.Now()
		now = now.Add(time.Second)
		ticking.Update(tickMsg(now))
		v := ticking.View()
		tf, tt = tf+t1.Sub(t0), tt+time.Since(t1)
		if v.Content != last {
			last, changed = v.Content, changed+1
		} else {
			tsame += time.Since(t1)
		}
	}
	b.ReportMetric(float64(changed)/float64(b.N), "changed/tick")
	if same := b.N - changed; same > 0 {
		b.ReportMetric(float64(tsame.Nanoseconds())/float64(same), "ns/unchanged-tick-frame")
	}
	b.ReportMetric(float64(tf.Nanoseconds())/float64(b.N), "ns/frozen-frame")
	b.ReportMetric(float64(tt.Nanoseconds())/float64(b.N), "ns/tick-frame")
	b.ReportMetric(float64(tt)/float64(tf), "tick/frozen")
}
