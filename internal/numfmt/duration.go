package numfmt

import (
	"fmt"
	"time"
)

// Duration formats a length of time — a call's duration, a time left, a token's lifetime, a
// JIT grant — the one way lumodash writes time spans: <1ms, 12ms, 1.5s, 45s, 4m30s, 15m, 2h05m,
// 3d04h. The precision falls as the span grows (seconds are dropped from 10 minutes on,
// minutes from a day on) and zero trailing units are left out (5m, 1h). A span of zero or
// less reads 0s: time left never goes negative.
func Duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond/2:
		return "<1ms"
	}
	if ms := d.Round(time.Millisecond); ms < time.Second {
		return fmt.Sprintf("%dms", ms.Milliseconds())
	}
	if tenths := d.Round(100 * time.Millisecond); tenths < 10*time.Second {
		return decimal(tenths.Seconds(), 1) + "s"
	}
	if s := d.Round(time.Second); s < time.Minute {
		return fmt.Sprintf("%ds", int64(s/time.Second))
	} else if s < 10*time.Minute {
		return pair(int64(s/time.Second), 60, "m", "s")
	}
	if m := d.Round(time.Minute); m < time.Hour {
		return fmt.Sprintf("%dm", int64(m/time.Minute))
	} else if m < 24*time.Hour {
		return pair(int64(m/time.Minute), 60, "h", "m")
	}
	return pair(int64(d.Round(time.Hour)/time.Hour), 24, "d", "h")
}

// pair writes n small units as big and small units, "4m30s", leaving out a zero small part.
func pair(n, per int64, big, small string) string {
	if n%per == 0 {
		return fmt.Sprintf("%d%s", n/per, big)
	}
	return fmt.Sprintf("%d%s%02d%s", n/per, big, n%per, small)
}
