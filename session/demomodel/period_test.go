package demomodel

import (
	"fmt"
	"strings"
	"testing"
)

func TestReadPeriods(t *testing.T) {
	for _, c := range []struct {
		in          string
		contextYear int
		want        string // period args, then flags
	}{
		{"revenue in Q2 2025", 0, "2025-Q2"},
		{"revenue in 2025-Q2", 0, "2025-Q2"},
		{"revenue in 2025 Q2", 0, "2025-Q2"},
		{"the second quarter of 2025", 0, "2025-Q2"},
		{"the 3rd quarter 2026", 0, "2026-Q3"},
		{"Q3 FY26 and FY25 Q1", 0, "2026-Q3 2025-Q1"},
		{"Q3'26", 0, "2026-Q3"},
		{"from Q2 to Q3 2026", 0, "2026-Q2 2026-Q3"},
		{"Q1–Q3 2026", 0, "2026-Q1 2026-Q2 2026-Q3"},
		{"from Q3 2025 through Q2 2026", 0, "2025-Q3 2025-Q4 2026-Q1 2026-Q2"},
		{"between Q1 2024 and Q3 2026", 0, "2024-Q1 2026-Q3"},
		{"across FY2024, FY2025 and FY2026", 0, "FY2024 FY2025 FY2026"},
		{"from FY2024 to FY2026", 0, "FY2024 FY2025 FY2026"},
		{"fiscal year 2025 versus fiscal 2024", 0, "FY2025 FY2024"},
		{"in 2025", 0, "FY2025"},
		{"H1 2026", 0, "2026-Q1 2026-Q2"},
		{"the second half of 2025", 0, "2025-Q3 2025-Q4"},
		{"Q3", 0, "Q3"},
		{"Q4 vs Q1", 0, "Q4 Q1"},
		{"and for Q4?", 2026, "2026-Q4"},
		{"Q2 2025 and Q3", 0, "2025-Q2 2025-Q3"},
		{"last quarter", 0, "(latest)"},
		{"the last three quarters", 0, "lastN=3"},
		{"past 4 quarters", 0, "lastN=4"},
		{"Q3 2026 year over year", 0, "2026-Q3 yoy"},
		{"Q2 2026 versus the previous quarter", 0, "2026-Q2 qoq"},
		{"sequentially", 0, "qoq"},
		{"Q9 2026 or quarter 5", 0, "FY2026"},
	} {
		a := readPeriods(c.in, c.contextYear)
		var got []string
		for _, p := range a.list {
			if p.latest {
				got = append(got, "(latest)")
			} else {
				got = append(got, p.arg())
			}
		}
		if a.lastN > 0 {
			got = append(got, fmt.Sprintf("lastN=%d", a.lastN))
		}
		if a.yoy {
			got = append(got, "yoy")
		}
		if a.qoq {
			got = append(got, "qoq")
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("readPeriods(%q) = %q, want %q", c.in, s, c.want)
		}
	}
}

func TestPeriodArithmetic(t *testing.T) {
	q := period{year: 2026, q: 1}
	if got := q.back(1).arg(); got != "2025-Q4" {
		t.Errorf("back(1) of 2026-Q1 = %s", got)
	}
	if got := q.back(4).arg(); got != "2025-Q1" {
		t.Errorf("back(4) of 2026-Q1 = %s", got)
	}
	if got := (period{year: 2026}).back(1).arg(); got != "FY2025" {
		t.Errorf("back(1) of FY2026 = %s", got)
	}
	first, last := period{year: 2024, q: 1}, period{year: 2026, q: 3}
	for in, want := range map[period]string{
		{year: 2026, q: 4}: "2025-Q4", {year: 2027, q: 1}: "2026-Q1", {year: 2023, q: 2}: "2024-Q2",
		{year: 2028}: "FY2026", {year: 2020}: "FY2024",
	} {
		if got := nearest(in, first, last).arg(); got != want {
			t.Errorf("nearest(%s) = %s, want %s", in.arg(), got, want)
		}
	}
}
