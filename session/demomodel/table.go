package demomodel

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// The figures part of an answer: a lead sentence and a small Markdown table of the values
// the financial tool returned, with the changes between them computed from those values.

// figureGrid is the figures by metric and period, metrics in the order asked, periods in time.
type figureGrid struct {
	metrics []string
	names   map[string]string
	periods []period
	labels  map[period]string
	cell    map[string]map[period]figure
}

func gridOf(figs []figure) figureGrid {
	g := figureGrid{names: map[string]string{}, labels: map[period]string{}, cell: map[string]map[period]figure{}}
	for _, f := range figs {
		if g.cell[f.metric] == nil {
			g.cell[f.metric] = map[period]figure{}
			g.metrics = append(g.metrics, f.metric)
			g.names[f.metric] = f.name
		}
		if _, ok := g.labels[f.period]; !ok {
			g.labels[f.period] = f.label
			g.periods = append(g.periods, f.period)
		}
		g.cell[f.metric][f.period] = f
	}
	sort.Slice(g.periods, func(i, j int) bool { return g.periods[i].order() < g.periods[j].order() })
	return g
}

// column is a period's table heading: the tool's label, a year to date shortened to "YTD".
func (g figureGrid) column(p period) string {
	l := g.labels[p]
	if i := strings.Index(l, " year to date"); i > 0 {
		l = l[:i] + " YTD"
	}
	return cell(l)
}

// figureSection writes the lead sentence and the table.
func figureSection(figs []figure) string {
	g := gridOf(figs)
	var b strings.Builder
	switch {
	case len(g.metrics) == 1 && len(g.periods) == 1:
		f := g.cell[g.metrics[0]][g.periods[0]]
		fmt.Fprintf(&b, "%s, %s: **%s**.", f.name, f.label, f.display)
		return b.String()
	case len(g.periods) == 1:
		p := g.periods[0]
		fmt.Fprintf(&b, "Figures for %s:\n\n| Metric | %s |\n|---|--:|\n", g.labels[p], g.column(p))
		for _, m := range g.metrics {
			fmt.Fprintf(&b, "| %s | %s |\n", cell(g.names[m]), g.value(m, p))
		}
	case len(g.metrics) == 1:
		m := g.metrics[0]
		if l := g.lead(m); l != "" {
			b.WriteString(l + "\n\n")
		}
		fmt.Fprintf(&b, "| Period | %s | Change |\n|---|--:|--:|\n", cell(g.names[m]))
		var before *figure
		for _, p := range g.periods {
			f, ok := g.cell[m][p]
			change := ""
			if ok && before != nil && comparable(*before, f) {
				change = difference(*before, f)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", g.column(p), g.value(m, p), change)
			if ok {
				before = &f
			}
		}
	case len(g.periods) > 3: // long series: a row per period keeps the table narrow
		b.WriteString(paragraph(g.leads()) + "| Period |")
		for _, m := range g.metrics {
			b.WriteString(" " + cell(g.names[m]) + " |")
		}
		b.WriteString("\n|---|" + strings.Repeat("--:|", len(g.metrics)) + "\n")
		for _, p := range g.periods {
			b.WriteString("| " + g.column(p) + " |")
			for _, m := range g.metrics {
				b.WriteString(" " + g.value(m, p) + " |")
			}
			b.WriteString("\n")
		}
	default:
		b.WriteString(paragraph(g.leads()) + "| Metric |")
		for _, p := range g.periods {
			b.WriteString(" " + g.column(p) + " |")
		}
		b.WriteString(" Change |\n|---|" + strings.Repeat("--:|", len(g.periods)+1) + "\n")
		for _, m := range g.metrics {
			fmt.Fprintf(&b, "| %s |", cell(g.names[m]))
			for _, p := range g.periods {
				b.WriteString(" " + g.value(m, p) + " |")
			}
			change := ""
			if first, last, ok := g.ends(m); ok {
				change = difference(first, last)
			}
			b.WriteString(" " + change + " |\n")
		}
	}
	if g.mixed() {
		b.WriteString("\nFiscal years and quarters are shown side by side, not compared.\n")
	}
	for _, p := range g.periods {
		if l := g.labels[p]; strings.Contains(l, "year to date") {
			i := strings.Index(l, " year to date")
			fmt.Fprintf(&b, "\n%s is%s, not a full year%s.\n", cell(l[:i]), cell(l[i:]), g.unchanged(p))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// mixed reports fiscal years and quarters in one table.
func (g figureGrid) mixed() bool {
	years := 0
	for _, p := range g.periods {
		if p.q == 0 {
			years++
		}
	}
	return years > 0 && years < len(g.periods)
}

// unchanged says when a year-to-date period's amounts are shown without a change.
func (g figureGrid) unchanged(p period) string {
	for _, m := range g.metrics {
		for _, q := range g.periods {
			a, ok1 := g.cell[m][q]
			b, ok2 := g.cell[m][p]
			if ok1 && ok2 && q != p && (a.period.q == 0) == (b.period.q == 0) && !comparable(a, b) {
				return ", so no change to a full year is shown for its totals"
			}
		}
	}
	return ""
}

func (g figureGrid) value(m string, p period) string {
	if f, ok := g.cell[m][p]; ok {
		return cell(f.display)
	}
	return "—"
}

// ends are a metric's earliest figure and the latest one comparable with it (a year is
// never compared with a quarter), when it has two.
func (g figureGrid) ends(m string) (first, last figure, ok bool) {
	var have []figure
	for _, p := range g.periods {
		if f, ok := g.cell[m][p]; ok && (len(have) == 0 || comparable(have[0], f)) {
			have = append(have, f)
		}
	}
	if len(have) < 2 {
		return figure{}, figure{}, false
	}
	return have[0], have[len(have)-1], true
}

// leads are the lead sentences of the first three metrics.
func (g figureGrid) leads() string {
	var out []string
	for _, m := range g.metrics[:min(len(g.metrics), 3)] {
		if l := g.lead(m); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, " ")
}

// lead is one sentence on how a metric moved from its first to its last period.
func (g figureGrid) lead(m string) string {
	first, last, ok := g.ends(m)
	if !ok {
		return ""
	}
	verb := "rose"
	switch {
	case last.value < first.value:
		verb = "fell"
	case last.value == first.value:
		return fmt.Sprintf("%s was unchanged at %s from %s to %s.", first.name, first.display, first.label, last.label)
	}
	return fmt.Sprintf("%s %s from %s in %s to %s in %s (%s).", first.name, verb, first.display, first.label, last.display, last.label, difference(first, last))
}

// comparable says whether a change from a to b means something: both quarters or both
// fiscal years, and not a year to date against a full year of an amount that adds up over
// the year (revenue; a margin or a year-end count compares fine).
func comparable(a, b figure) bool {
	if (a.period.q == 0) != (b.period.q == 0) {
		return false
	}
	partial := strings.Contains(a.label, "year to date") != strings.Contains(b.label, "year to date")
	kind, known := metricKinds[strings.ToLower(a.metric)]
	return !partial || kind == financialmcp.KindStock || kind == financialmcp.KindRatio || !known && a.unit == "%"
}

// difference is the change from a to b: "+$0.67M, +3.0%", "+1.1 pts", "+41, +11.1%".
func difference(a, b figure) string {
	d := b.value - a.value
	sign := "+"
	if d < 0 {
		sign = "-"
	}
	abs := math.Abs(d)
	var s string
	switch a.unit {
	case "%":
		return fmt.Sprintf("%s%.1f pts", sign, abs)
	case "$":
		switch scale := max(math.Abs(a.value), math.Abs(b.value)); {
		case scale >= 1e6:
			s = fmt.Sprintf("%s$%.2fM", sign, abs/1e6)
		case scale >= 1e3:
			s = fmt.Sprintf("%s$%.0fK", sign, abs/1e3)
		default:
			s = fmt.Sprintf("%s$%.0f", sign, abs)
		}
	default:
		s = sign + numfmt.Group(int64(math.Round(abs)))
	}
	if a.value != 0 {
		s += fmt.Sprintf(", %+.1f%%", 100*d/math.Abs(a.value))
	}
	return s
}

// paragraph is s followed by a blank line, or nothing when s is empty.
func paragraph(s string) string {
	if s == "" {
		return ""
	}
	return s + "\n\n"
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
