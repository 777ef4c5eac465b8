package numfmt

import (
	"math"
	"testing"
)

func TestGroup(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 12: "12", 999: "999", 1000: "1,000", 61000: "61,000", 100000: "100,000",
		1234567: "1,234,567", -1000: "-1,000", -999: "-999",
		math.MaxInt64: "9,223,372,036,854,775,807", math.MinInt64: "-9,223,372,036,854,775,808",
	} {
		if got := Group(n); got != want {
			t.Errorf("Group(%d) = %q, want %q", n, got, want)
		}
	}
}
