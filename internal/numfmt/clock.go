package numfmt

import "time"

// TimeOfDay formats t as a wall-clock time to the second, 15:04:05, in t's own zone (convert
// it first); --:--:-- when t is unknown.
func TimeOfDay(t time.Time) string {
	if t.IsZero() {
		return "--:--:--"
	}
	return t.Format("15:04:05")
}

// HourMinute formats t as a wall-clock time to the minute, 15:04, where seconds would be
// noise (when a budget resets); --:-- when t is unknown.
func HourMinute(t time.Time) string {
	if t.IsZero() {
		return "--:--"
	}
	return t.Format("15:04")
}

// StampLayout is the one absolute time format: UTC, to the second.
const StampLayout = "2006-01-02 15:04:05 UTC"

// Stamp formats t as an absolute UTC time, 2026-11-27 12:28:51 UTC; "unknown" when t is.
func Stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(StampLayout)
}
