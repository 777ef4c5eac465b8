package financialmcp

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLookup: any input either resolves to a dataset value or fails with one of the two typed
// errors; never a panic, and the canonical period parses back to itself.
func FuzzLookup(f *testing.F) {
	for _, s := range [][2]string{{"EBITDA", "Q3 2026"}, {"revenue", "FY2025"}, {"opex", ""}, {"churn", "Q3"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, metric, period string) {
		v, err := Lookup(metric, period)
		if err != nil {
			if !errors.Is(err, ErrUnknownMetric) && !errors.Is(err, ErrUnknownPeriod) {
				t.Fatalf("Lookup(%q, %q): untyped error %v", metric, period, err)
			}
			if !utf8.ValidString(err.Error()) && utf8.ValidString(metric) && utf8.ValidString(period) {
				t.Fatalf("invalid UTF-8 in error for valid input")
			}
			if len(err.Error()) > 800 {
				t.Fatalf("error message of %d bytes echoes too much input", len(err.Error()))
			}
			return
		}
		if v.Display == "" || v.Company != Company || strings.TrimSpace(v.Label) == "" {
			t.Fatalf("Lookup(%q, %q) = %+v", metric, period, v)
		}
		again, err := Lookup(v.Metric, v.Period)
		if err != nil || again != v {
			t.Fatalf("canonical form %q/%q does not round-trip: %+v, %v", v.Metric, v.Period, again, err)
		}
	})
}
