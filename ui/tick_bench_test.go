package ui

import (
	"testing"
	"time"
)

// BenchmarkSteadyFrame: a finished session of 100 events at 160×48 and nothing happening.
// frozen-clock is the View of a cached frame (BenchmarkView100); tick is what the running
// program does every second: the clock advances, the 1 Hz tick arrives, the frame is drawn.
func BenchmarkSteadyFrame(b *testing.B) {
	for _, how := range []string{"frozen-clock", "tick"} {
		b.Run(how, func(b *testing.B) {
			m := newTestModel(b, "dark", 160, 48, syntheticEvents(100))
			now := at(3)
			m.ctx.Now = func() time.Time { return now }
			m.Render()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if how == "tick" {
					now = now.Add(time.Second)
					m.Update(tickMsg(now))
				}
				_ = m.View()
			}
		})
	}
}
