// Package numfmt formats quantities for people — counts, money, percentages, durations and
// times of day — the same way on every surface (the dashboard, the headless printer, reports,
// the CLI and the messages the session writes into events), so a value never reads
// differently in two places. It knows no domain types: internal/present builds on it.
//
// One rounding rule holds for every formatter: a value is rounded to the nearest step of the
// precision shown (halves away from zero), and a value that is not zero never reads as zero
// ("<1ms", "<1%", "<$0.0001"). So a compact count and its percentage agree: 15,599 of
// 100,000 tokens is "15.6k" and "16%".
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Group formats n exactly, with thousands separators: 61,000, -1,234,567.
func Group(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 { // strip the sign from the text, not the number: -MinInt64 overflows
		sign, s = "-", s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return sign + string(out)
}

// compactUnits are the steps of Compact: thousand, million, billion, trillion…
var compactUnits = []struct {
	size   float64
	suffix string
}{{1e3, "k"}, {1e6, "M"}, {1e9, "B"}, {1e12, "T"}, {1e15, "P"}, {1e18, "E"}}

// Compact formats n in at most three significant digits, for gauges: 950, 1.2k, 15.6k, 61k,
// 100k, 1.5M. Below 100 of a unit one decimal is kept (dropped when it is 0).
func Compact(n int64) string {
	if n > -1000 && n < 1000 {
		return strconv.FormatInt(n, 10)
	}
	sign := ""
	v := float64(n)
	if n < 0 {
		sign, v = "-", -v
	}
	for i, u := range compactUnits {
		last := i == len(compactUnits)-1
		if tenths := math.Round(v / (u.size / 10)); tenths < 1000 {
			return sign + decimal(tenths/10, 1) + u.suffix
		}
		if whole := math.Round(v / u.size); whole < 1000 || last {
			return sign + strconv.FormatFloat(whole, 'f', 0, 64) + u.suffix
		}
	}
	return "" // unreachable: the last unit always answers
}

// decimal formats v with up to places decimals, trailing zeros (and the point) dropped.
func decimal(v float64, places int) string {
	s := strconv.FormatFloat(v, 'f', places, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Percent formats a percentage in whole percent: 16%; <1% for a small positive share; >999%
// beyond that (a gauge far over its limit); — when it is not a number.
func Percent(p float64) string {
	r := math.Round(p)
	switch {
	case math.IsNaN(p):
		return "—"
	case r > 999:
		return ">999%"
	case r < -999:
		return "<-999%"
	case r == 0 && p > 0:
		return "<1%"
	case r == 0:
		return "0%" // also for a small negative share: never "-0%"
	}
	return strconv.FormatFloat(r, 'f', 0, 64) + "%"
}

// USD formats an amount of US dollars: $0.0021 below a dollar (four decimals, as model
// calls cost fractions of a cent), $12.35 and $1,234.50 from a dollar on.
func USD(v float64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "$?"
	case math.Round(v*100) >= 100:
		cents := math.Round(v * 100)
		if cents >= math.MaxInt64/2 {
			return sign + "$" + strconv.FormatFloat(v, 'e', 2, 64)
		}
		c := int64(cents)
		return sign + "$" + Group(c/100) + "." + strconv.FormatInt(100+c%100, 10)[1:]
	case v > 0 && math.Round(v*1e4) == 0:
		return sign + "<$0.0001"
	}
	return sign + "$" + strconv.FormatFloat(v, 'f', 4, 64)
}
