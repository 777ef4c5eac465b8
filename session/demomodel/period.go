package demomodel

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// period is a period as a question names it: a quarter (q 1–4) or a fiscal year (q 0).
// year 0 leaves the year to the tool ("Q3" is the latest Q3); latest is the latest quarter.
type period struct {
	year, q int
	latest  bool
}

// arg spells the period the way the financial tool's schema documents it; "" is the latest.
func (p period) arg() string {
	switch {
	case p.latest:
		return ""
	case p.q == 0:
		return fmt.Sprintf("FY%d", p.year)
	case p.year == 0:
		return fmt.Sprintf("Q%d", p.q)
	}
	return fmt.Sprintf("%d-Q%d", p.year, p.q)
}

// label is how a person writes the period: "Q3 2026", "FY2025", "the latest quarter".
func (p period) label() string {
	switch {
	case p.latest:
		return "the latest quarter"
	case p.year == 0: // "Q3": the tool takes the latest Q3
		return p.arg() + " (latest)"
	case p.q == 0:
		return p.arg()
	}
	return fmt.Sprintf("Q%d %d", p.q, p.year)
}

func (p period) resolved() bool { return !p.latest && p.year != 0 }

// back is the period n steps earlier: quarters for a quarter, years for a fiscal year.
func (p period) back(n int) period {
	if p.q == 0 {
		return period{year: p.year - n}
	}
	i := p.year*4 + p.q - 1 - n
	return period{year: i / 4, q: i%4 + 1}
}

// order sorts periods in time; a fiscal year sorts after its last quarter.
func (p period) order() int {
	if p.q == 0 {
		return p.year*10 + 5
	}
	return p.year*10 + p.q
}

// periodAsk is what a question says about periods.
type periodAsk struct {
	list     []period // the periods named, in order, ranges expanded
	lastN    int      // "last three quarters": n quarters ending at the latest
	yoy, qoq bool     // also a year earlier / the quarter before
	since    bool     // "since Q1 2025": from the first period named to the latest
}

func (a periodAsk) empty() bool { return len(a.list) == 0 && a.lastN == 0 }

var (
	ordinals = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
	counts   = map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
)

// periodPattern turns one match into periods; patterns are tried together and the earliest,
// longest match wins where they overlap.
type periodPattern struct {
	re   *regexp.Regexp
	read func(m []string, a *periodAsk) []period
}

func year4(s string) int { n, _ := strconv.Atoi(s); return n }
func year2(s string) int { return 2000 + year4(s) }

var periodPatterns = []periodPattern{
	{regexp.MustCompile(`\b(20\d\d)\s*[-/ ]?\s*q([1-4])\b`), func(m []string, _ *periodAsk) []period {
		return []period{{year: year4(m[1]), q: year4(m[2])}}
	}},
	{regexp.MustCompile(`\bq([1-4])\s*[-/ ]?\s*(?:of\s+)?(?:fy\s*)?(20\d\d)\b`), func(m []string, _ *periodAsk) []period {
		return []period{{year: year4(m[2]), q: year4(m[1])}}
	}},
	{regexp.MustCompile(`\bq([1-4])\s*(?:fy\s*|')(\d\d)\b`), func(m []string, _ *periodAsk) []period {
		return []period{{year: year2(m[2]), q: year4(m[1])}}
	}},
	{regexp.MustCompile(`\bfy\s*'?(\d\d)\s*q([1-4])\b`), func(m []string, _ *periodAsk) []period {
		return []period{{year: year2(m[1]), q: year4(m[2])}}
	}},
	{regexp.MustCompile(`\b(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter(?:\s+(?:of\s+)?(?:fy\s*)?(20\d\d))?\b`), func(m []string, _ *periodAsk) []period {
		return []period{{year: year4(m[2]), q: ordinals[m[1]]}}
	}},
	{regexp.MustCompile(`\b(?:h([12])|(first|second) half)(?:\s+(?:of\s+)?(?:fy\s*)?(20\d\d))?\b`), func(m []string, _ *periodAsk) []period {
		first := 1
		if m[1] == "2" || m[2] == "second" {
			first = 3
		}
		y := year4(m[3])
		return []period{{year: y, q: first}, {year: y, q: first + 1}}
	}},
	{regexp.MustCompile(`\b(?:fy\s*|fiscal\s+(?:year\s+)?|full[\s-]year\s+)(20\d\d)\b`), func(m []string, _ *periodAsk) []period {
		return []period{{year: year4(m[1])}}
	}},
	{regexp.MustCompile(`\bfy\s*'?(\d\d)\b`), func(m []string, _ *periodAsk) []period { return []period{{year: year2(m[1])}} }},
	{regexp.MustCompile(`\bq([1-4])\b`), func(m []string, _ *periodAsk) []period { return []period{{q: year4(m[1])}} }},
	{regexp.MustCompile(`\b(20\d\d)\b`), func(m []string, _ *periodAsk) []period { return []period{{year: year4(m[1])}} }},
	{regexp.MustCompile(`\b(?:last|past|previous|trailing|recent|latest)\s+(two|three|four|five|six|seven|eight|[2-8])\s+quarters\b`), func(m []string, a *periodAsk) []period {
		a.lastN = counts[m[1]]
		if a.lastN == 0 {
			a.lastN = year4(m[1])
		}
		return nil
	}},
	{regexp.MustCompile(`\b(?:since|from)\s+(?:the\s+)?(?:start|beginning)\b|\bsince\b`), func(_ []string, a *periodAsk) []period {
		a.since = true
		return nil
	}},
	{regexp.MustCompile(`\b(?:latest|last|most recent|current|this|newest)\s+(?:reported\s+)?quarter\b`), func([]string, *periodAsk) []period {
		return []period{{latest: true}}
	}},
	{regexp.MustCompile(`\b(?:year[\s-]over[\s-]year|yoy|y/y|a year (?:earlier|ago|before)|(?:same|the) quarter (?:of )?(?:last|the previous|the prior) year|(?:prior|previous|last) year)\b`), func(_ []string, a *periodAsk) []period {
		a.yoy = true
		return nil
	}},
	{regexp.MustCompile(`\b(?:quarter[\s-]over[\s-]quarter|qoq|q/q|sequential(?:ly)?|(?:previous|prior|preceding) quarter)\b`), func(_ []string, a *periodAsk) []period {
		a.qoq = true
		return nil
	}},
}

var (
	listGlue  = regexp.MustCompile(`^(?:\s|,|&|and|or|to|through|thru|until|till|versus|vs\.?|with|–|—|-)*$`)
	rangeGlue = regexp.MustCompile(`^\s*(?:to|through|thru|until|till|–|—|-)\s*$`)
)

// maxRange is the longest range ("from Q1 2025 to Q3 2026") spelled out period by period.
const maxRange = 8

// readPeriods finds the periods in s. A quarter named without a year takes the year of the
// period it is listed with ("from Q2 to Q3 2026"), else contextYear (0: the tool decides).
func readPeriods(s string, contextYear int) periodAsk {
	lower := strings.ToLower(s)
	type hit struct {
		at, end int
		ps      []period
	}
	var ask periodAsk
	var hits []hit
	type span struct{ at, end, pat int }
	var spans []span
	for i, p := range periodPatterns {
		for _, loc := range p.re.FindAllStringIndex(lower, -1) {
			spans = append(spans, span{loc[0], loc[1], i})
		}
	}
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].at != spans[j].at {
			return spans[i].at < spans[j].at
		}
		return spans[i].end > spans[j].end
	})
	taken := -1
	for _, sp := range spans {
		if sp.at < taken {
			continue
		}
		taken = sp.end
		m := periodPatterns[sp.pat].re.FindStringSubmatch(lower[sp.at:sp.end])
		if ps := periodPatterns[sp.pat].read(m, &ask); len(ps) > 0 {
			hits = append(hits, hit{sp.at, sp.end, ps})
		}
	}
	// Years travel along a list: "Q2 and Q3 2026" → both 2026; else from an earlier period.
	for i := range hits {
		for k, p := range hits[i].ps {
			if p.q == 0 || p.year != 0 || p.latest {
				continue
			}
			y := 0
			for j := i + 1; j < len(hits) && listGlue.MatchString(lower[hits[j-1].end:hits[j].at]); j++ {
				if hits[j].ps[0].year != 0 {
					y = hits[j].ps[0].year
					break
				}
			}
			for j := i - 1; y == 0 && j >= 0; j-- {
				y = hits[j].ps[0].year
			}
			if y == 0 {
				y = contextYear
			}
			hits[i].ps[k].year = y
		}
	}
	for i, h := range hits {
		if i > 0 && rangeGlue.MatchString(lower[hits[i-1].end:h.at]) {
			if between := spanPeriods(ask.list[len(ask.list)-1], h.ps[0]); between != nil {
				ask.list = append(ask.list, between...)
				ask.list = append(ask.list, h.ps[1:]...)
				continue
			}
		}
		ask.list = append(ask.list, h.ps...)
	}
	ask.list = uniquePeriods(ask.list)
	return ask
}

// spanPeriods lists the periods after from up to and including to, when both are resolved
// and of one kind and the range is short; else nil.
func spanPeriods(from, to period) []period {
	if !from.resolved() || !to.resolved() || (from.q == 0) != (to.q == 0) || to.order() <= from.order() {
		return nil
	}
	var out []period
	for p := to; p.order() > from.order() && len(out) < maxRange; p = p.back(1) {
		out = append([]period{p}, out...)
	}
	if len(out) >= maxRange {
		return nil
	}
	return out
}

func uniquePeriods(ps []period) []period {
	seen := map[period]bool{}
	var out []period
	for _, p := range ps {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// parsePeriodLabel reads a period the tools wrote ("Q3 2026", "2026-Q3", "FY2026 year to
// date (Q1–Q3)"): the first period named.
func parsePeriodLabel(s string) (period, bool) {
	a := readPeriods(s, 0)
	if len(a.list) == 0 || !a.list[0].resolved() {
		return period{}, false
	}
	return a.list[0], true
}
