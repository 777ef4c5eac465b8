package logview

import (
	"fmt"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/session"
)

// Count formats n with thousands separators: 61,000.
func Count(n int64) string { return numfmt.Group(n) }

// Millis formats a call's duration: <1 ms, 12 ms, 1.2 s (Duration beyond a minute).
func Millis(d time.Duration) string { return Duration(d) }

// Duration is the one duration format of the log and its details: <1 ms, 12 ms, 1.2 s,
// and from a minute on the compact Remaining form (4m30s, 15m, 2h05m).
func Duration(d time.Duration) string {
	switch {
	case d > 0 && d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return Remaining(d)
}

// Remaining formats a remaining duration compactly: 59m, 4m30s, 2h05m, 12s.
func Remaining(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < 10*time.Minute:
		m := int(d.Minutes())
		return fmt.Sprintf("%dm%02ds", m, int(d.Seconds())-60*m)
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	h := int(d.Hours())
	return fmt.Sprintf("%dh%02dm", h, int(d.Minutes())-60*h)
}

// CostText renders a cost as session.Cost does: "$0.0021", "local (free)" or "unpriced";
// usage without a price is never shown as $0.00.
func CostText(c session.Cost) string { return c.String() }

func until(from, to time.Time) string {
	if to.IsZero() {
		return "?"
	}
	return Remaining(to.Sub(from))
}

func limitText(n int64) string {
	if n <= 0 {
		return "∞"
	}
	return Count(n)
}

func errText(e *session.ErrorInfo) string {
	s := e.Message
	if e.Code != "" {
		s = e.Code + ": " + s
	}
	if e.Status != 0 {
		s = fmt.Sprintf("%s (HTTP %d)", s, e.Status)
	}
	return s
}
