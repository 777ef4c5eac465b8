package present

import "github.com/charmbracelet/x/ansi"

// Truncate cuts s (which may hold styling) to at most w cells as ansi.StringWidth counts
// them — by grapheme cluster, as terminals draw — ending in tail when it cuts. ansi.Truncate
// alone counts a cluster that starts with an ASCII character (a keycap, 1️⃣: "1", U+FE0F,
// U+20E3) one cell narrower than StringWidth does, which pushed a pane's right border one
// cell out; cutting again until StringWidth agrees keeps every line within w.
func Truncate(s string, w int, tail string) string {
	if w <= 0 {
		return ""
	}
	limit := w
	for {
		out := ansi.Truncate(s, limit, tail)
		over := ansi.StringWidth(out) - w
		if over <= 0 || limit <= 1 {
			if over > 0 {
				return ansi.Truncate(s, 0, "")
			}
			return out
		}
		limit = max(limit-over, 1)
	}
}
