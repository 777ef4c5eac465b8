package demomodel_test

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/tools/financialmcp"
)

// checkFigures checks every figure an answer states outside the passages it quotes: each
// table cell is the data set's value for its row and column, every other value is one of
// the figures the question was answered with, and every change (+/-) is the difference, or
// the percentage change, between two of them. Values come from financialmcp.Lookup, the
// data set itself, not from the planner.
func checkFigures(t *testing.T, ask, answer string, pairs [][2]string) {
	t.Helper()
	type fig struct {
		metric string
		value  float64
		unit   string
	}
	var figs []fig
	displays := map[string]bool{}
	for _, p := range pairs {
		v, err := financialmcp.Lookup(p[0], p[1])
		if err != nil {
			t.Fatalf("%q: the test names %v, which the data set lacks: %v", ask, p, err)
		}
		displays[v.Display] = true
		figs = append(figs, fig{p[0], amount(v.Display), v.Unit})
	}
	prose := quotedRe.ReplaceAllString(answer, "“”")
	checkTables(t, ask, prose, pairs)

	for _, tok := range changeRe.FindAllString(prose, -1) {
		got := amount(strings.TrimSuffix(tok, " pts"))
		ok := false
		for _, a := range figs {
			for _, b := range figs {
				if a.metric != b.metric || a == b {
					continue
				}
				d := b.value - a.value
				switch {
				case strings.HasSuffix(tok, "pts"):
					ok = ok || a.unit == financialmcp.UnitPercent && near(got, d, 0.051)
				case strings.HasSuffix(tok, "%"):
					ok = ok || near(got, 100*d/math.Abs(a.value), 0.051)
				case strings.Contains(tok, "$"):
					ok = ok || a.unit == financialmcp.UnitUSD && near(got, d, precision(tok))
				default:
					ok = ok || near(got, d, 0.5)
				}
			}
		}
		if !ok {
			t.Errorf("%q: the change %q is not a difference between the figures %v:\n%s", ask, tok, pairs, answer)
		}
	}
	rest := changeRe.ReplaceAllString(prose, " ")
	for _, m := range valueRe.FindAllStringSubmatch(rest, -1) {
		tok := m[1]
		if yearRe.MatchString(tok) {
			continue
		}
		if !displays[tok] {
			t.Errorf("%q: the answer states %q, which is none of the data set's figures for %v:\n%s", ask, tok, pairs, answer)
		}
	}
}

var (
	quotedRe = regexp.MustCompile(`“[^”]*”`)
	changeRe = regexp.MustCompile(`[+-]\$?\d[\d,]*(?:\.\d+)?[KMB]?(?:%| pts)?`)
	// valueRe finds amounts, percentages and counts, but not the digits of Q3 or FY2026.
	valueRe = regexp.MustCompile(`(?:^|[^A-Za-z0-9–.$+-])(\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[KMB%]?)`)
	yearRe  = regexp.MustCompile(`^20[23]\d$`)
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// precision is half the last digit of a money figure as written: $0.67M → 5,000.
func precision(tok string) float64 {
	unit := map[byte]float64{'K': 1e3, 'M': 1e6, 'B': 1e9}[tok[len(tok)-1]]
	if unit == 0 {
		unit = 1
	}
	decimals := 0
	if i := strings.Index(tok, "."); i >= 0 {
		decimals = len(strings.TrimRight(tok[i+1:], "KMB"))
	}
	return 0.51 * unit * math.Pow(10, -float64(decimals))
}

// amount reads "$22.88M", "-$310K", "+3.0%", "72.8%" or "1,427" as a number.
func amount(s string) float64 {
	s = strings.TrimSpace(s)
	sign := 1.0
	if strings.HasPrefix(s, "-") {
		sign, s = -1, s[1:]
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+"), "$")
	mult := 1.0
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'K':
			mult, s = 1e3, s[:n-1]
		case 'M':
			mult, s = 1e6, s[:n-1]
		case 'B':
			mult, s = 1e9, s[:n-1]
		case '%':
			s = s[:n-1]
		}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		return math.NaN()
	}
	return sign * v * mult
}

// checkTables reads the answer's Markdown tables: "| Period | <metric> … |" with a row per
// period, or "| Metric | <period> … |" with a row per metric; each value must be the
// data set's, and each (metric, period) one the question was answered with.
func checkTables(t *testing.T, ask, answer string, pairs [][2]string) {
	t.Helper()
	asked := map[string]bool{}
	for _, p := range pairs {
		v, _ := financialmcp.Lookup(p[0], p[1])
		asked[v.Metric+" "+v.Period] = true
	}
	check := func(name, label, cell string) {
		if cell == "—" || cell == "" {
			return
		}
		metric := metricNamed(name)
		v, err := financialmcp.Lookup(metric, strings.TrimSuffix(label, " YTD"))
		switch {
		case err != nil:
			t.Errorf("%q: table cell %s/%s = %s names no figure of the data set: %v", ask, name, label, cell, err)
		case v.Display != cell:
			t.Errorf("%q: table says %s %s = %s, the data set %s", ask, name, label, cell, v.Display)
		case !asked[v.Metric+" "+v.Period]:
			t.Errorf("%q: the table shows %s %s, which the question did not ask for", ask, name, label)
		}
	}
	var header []string
	for _, line := range strings.Split(answer, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") {
			header = nil
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case header == nil:
			header = cells
		case strings.HasPrefix(cells[0], "--"):
		case header[0] == "Period":
			for j := 1; j < len(cells) && j < len(header); j++ {
				if header[j] != "Change" {
					check(header[j], cells[0], cells[j])
				}
			}
		case header[0] == "Metric":
			for j := 1; j < len(cells) && j < len(header); j++ {
				if header[j] != "Change" {
					check(cells[0], header[j], cells[j])
				}
			}
		}
	}
}

func metricNamed(name string) string {
	for _, m := range financialmcp.Metrics() {
		if m.Name == name {
			return m.Metric
		}
	}
	return name
}
