package financialmcp

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// period is a parsed period: one quarter (q 1–4) or a fiscal year (q 0).
type period struct {
	year, q int
}

func quarterID(year, q int) string { return fmt.Sprintf("%d-Q%d", year, q) }

func (p period) id() string {
	if p.q == 0 {
		return fmt.Sprintf("FY%d", p.year)
	}
	return quarterID(p.year, p.q)
}

// label is the human form; a fiscal year with missing quarters says it is year to date.
func (p period) label(qs []quarter) string {
	if p.q != 0 {
		return fmt.Sprintf("Q%d %d", p.q, p.year)
	}
	if len(qs) < 4 {
		return fmt.Sprintf("FY%d year to date (Q%d–Q%d)", p.year, qs[0].Q, qs[len(qs)-1].Q)
	}
	return p.id()
}

// quarters returns the dataset rows the period covers, or an error naming the covered range.
func (p period) quarters() ([]quarter, error) {
	var out []quarter
	for _, q := range quarters {
		if q.Year == p.year && (p.q == 0 || q.Q == p.q) {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no data for %s; the dataset covers %s", ErrUnknownPeriod, p.id(), coverage())
	}
	return out, nil
}

func coverage() string {
	first, last := quarters[0], quarters[len(quarters)-1]
	return fmt.Sprintf("%s … %s (FY%d–FY%d)", quarterID(first.Year, first.Q), quarterID(last.Year, last.Q), first.Year, last.Year)
}

// Period patterns, matched against the lower-cased input with separators removed, so
// "2026-Q3", "Q3 2026", "Q3-2026", "q3/2026" and "FY2026 Q3" all reach the same pattern.
var (
	periodSeparators = strings.NewReplacer(" ", "", "\t", "", "-", "", "_", "", "/", "", ",", "", ".", "", "'", "")
	reQuarterOnly    = regexp.MustCompile(`^q([1-4])$`)
	reYearQuarter    = regexp.MustCompile(`^(?:fy)?(\d{4})q([1-4])$`)
	reQuarterYear    = regexp.MustCompile(`^q([1-4])(?:fy)?(\d{4})$`)
	reShortFYQuarter = regexp.MustCompile(`^fy(\d{2})q([1-4])$`)
	reQuarterShortFY = regexp.MustCompile(`^q([1-4])fy(\d{2})$`)
	reYear           = regexp.MustCompile(`^(?:fy)?(\d{4})$`)
	reShortFY        = regexp.MustCompile(`^fy(\d{2})$`)
	latestWords      = map[string]bool{"": true, "latest": true, "current": true, "latestquarter": true,
		"lastquarter": true, "currentquarter": true, "mostrecent": true, "mostrecentquarter": true}
)

// parsePeriod accepts the forms documented on Lookup. It does not check the range.
func parsePeriod(s string) (period, error) {
	if len(s) > 64 {
		return period{}, periodError(s)
	}
	c := periodSeparators.Replace(strings.ToLower(strings.TrimSpace(s)))
	last := quarters[len(quarters)-1]
	switch {
	case latestWords[c]:
		return period{last.Year, last.Q}, nil
	case reQuarterOnly.MatchString(c):
		q := atoi(reQuarterOnly.FindStringSubmatch(c)[1])
		for i := len(quarters) - 1; i >= 0; i-- {
			if quarters[i].Q == q {
				return period{quarters[i].Year, q}, nil
			}
		}
	case reYearQuarter.MatchString(c):
		m := reYearQuarter.FindStringSubmatch(c)
		return period{atoi(m[1]), atoi(m[2])}, nil
	case reQuarterYear.MatchString(c):
		m := reQuarterYear.FindStringSubmatch(c)
		return period{atoi(m[2]), atoi(m[1])}, nil
	case reShortFYQuarter.MatchString(c):
		m := reShortFYQuarter.FindStringSubmatch(c)
		return period{2000 + atoi(m[1]), atoi(m[2])}, nil
	case reQuarterShortFY.MatchString(c):
		m := reQuarterShortFY.FindStringSubmatch(c)
		return period{2000 + atoi(m[2]), atoi(m[1])}, nil
	case reYear.MatchString(c):
		return period{atoi(reYear.FindStringSubmatch(c)[1]), 0}, nil
	case reShortFY.MatchString(c):
		return period{2000 + atoi(reShortFY.FindStringSubmatch(c)[1]), 0}, nil
	}
	return period{}, periodError(s)
}

func periodError(s string) error {
	return fmt.Errorf("%w: %q is not a period; use a quarter (\"2026-Q3\", \"Q3 2026\", \"Q3\" for the latest Q3), "+
		"a fiscal year (\"FY2025\") or \"latest\"; the dataset covers %s", ErrUnknownPeriod, clip(s), coverage())
}

// atoi is only called on regexp digit groups, which always parse.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
