package present

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestTruncateFitsByGraphemeCluster(t *testing.T) {
	for _, s := range []string{"1️⃣1️⃣1️⃣1️⃣ keycaps", "👩‍👩‍👧‍👦 family 🇯🇵 flag", "e\u0301\u0302 combining", "\x1b[1m#️⃣*️⃣ bold\x1b[0m"} {
		for w := 1; w <= ansi.StringWidth(s)+1; w++ {
			got := Truncate(s, w, "…")
			if sw := ansi.StringWidth(got); sw > w {
				t.Errorf("Truncate(%q, %d) = %q, %d cells", s, w, got, sw)
			}
			if w >= ansi.StringWidth(s) && ansi.Strip(got) != ansi.Strip(s) {
				t.Errorf("Truncate(%q, %d) cut what fits: %q", s, w, got)
			}
		}
	}
}
