// Package numfmt formats numbers for people, the same way on every surface (the dashboard,
// the headless printer, reports and the CLI), so a count never reads differently in two places.
package numfmt

import "strconv"

// Group formats n with thousands separators: 61,000, -1,234,567.
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
