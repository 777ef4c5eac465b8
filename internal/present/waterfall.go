package present

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
)

// Waterfall is a trace laid out as a trace viewer shows it, in text: a column each for the
// step, its status, its start and its duration, then a bar on the call's time axis placed by
// the step's start and as long as its duration (a tick for an instant).
type Waterfall struct {
	Head string // the column heads and the time axis
	Rows []WaterfallRow
}

// WaterfallRow is one step's line: Text holds the columns, Bar the bar column.
type WaterfallRow struct {
	Step TraceStep
	Text string
	Bar  string
}

// Column widths of the waterfall (the status column gives way on narrow screens).
const (
	wfName   = 14
	wfStart  = 6
	wfTook   = 5
	wfMinBar = 8
)

// Layout lays t out in width cells. flat draws with ASCII (= for spans, | for instants).
func (t Trace) Layout(width int, flat bool) Waterfall {
	status := min(max(width-wfName-wfStart-wfTook-4-20, 6), 26)
	barW := max(width-wfName-status-wfStart-wfTook-4, wfMinBar)
	cols := func(name, st, start, took string) string {
		return pad(name, wfName) + " " + pad(st, status) + " " + fmt.Sprintf("%*s %*s ", wfStart, start, wfTook, took)
	}
	w := Waterfall{Head: cols("step", "status", "start", "took") + axis(t.Total, barW, flat)}
	for _, s := range t.Steps {
		took := "—"
		if s.Duration > 0 {
			took = numfmt.Duration(s.Duration)
		}
		w.Rows = append(w.Rows, WaterfallRow{Step: s,
			Text: cols(safetext.Line(s.Name), safetext.Line(s.Status), "+"+offset(s.Start), took),
			Bar:  bar(s.Start, s.Duration, t.Total, barW, flat)})
	}
	return w
}

// offset is a start within the call: +0ms, +12ms, +1.5s.
func offset(d time.Duration) string {
	if d <= 0 {
		return "0ms"
	}
	return numfmt.Duration(d)
}

// pad fits s in exactly n cells: cut with an ellipsis, or padded with spaces.
func pad(s string, n int) string {
	s = ansi.Truncate(s, n, "…")
	return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0))
}

// axis is the bar column's head: 0 on the left, the call's length on the right.
func axis(total time.Duration, width int, flat bool) string {
	end := numfmt.Duration(total)
	if total <= 0 {
		end = "0ms"
	}
	rule := "─"
	if flat {
		rule = "-"
	}
	fill := max(width-len("0 ")-ansi.StringWidth(end)-1, 0)
	return "0 " + strings.Repeat(rule, fill) + " " + end
}

// bar places a span of dur starting at start on an axis of total in width cells.
func bar(start, dur, total time.Duration, width int, flat bool) string {
	span, tick := "█", "▏"
	if flat {
		span, tick = "=", "|"
	}
	if total <= 0 {
		return tick
	}
	cell := func(d time.Duration) int { return int(float64(d) / float64(total) * float64(width)) }
	from := min(max(cell(start), 0), width-1)
	if dur <= 0 {
		return strings.Repeat(" ", from) + tick
	}
	n := min(max(int(float64(dur)/float64(total)*float64(width)+0.5), 1), width-from)
	return strings.Repeat(" ", from) + strings.Repeat(span, n)
}

// Text is the trace as plain text, for copying: the headline, the arguments and start, the
// waterfall and each step's summary. It holds what the events hold: fingerprints, never a token.
func (t Trace) Text(width int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Trace %s\n", t.Title())
	if t.Args != "" {
		fmt.Fprintf(&b, "arguments %s\n", safetext.Line(t.Args))
	}
	fmt.Fprintf(&b, "started %s\n\n", numfmt.Stamp(t.Started))
	w := t.Layout(width, true)
	b.WriteString(strings.TrimRight(w.Head, " ") + "\n")
	for _, r := range w.Rows {
		b.WriteString(strings.TrimRight(r.Text+r.Bar, " ") + "\n")
	}
	b.WriteString("\n")
	for _, s := range t.Steps {
		fmt.Fprintf(&b, "+%-7s %-*s%s\n", offset(s.Start), LabelWidth+1, Label(s.Event.Kind), Summary(s.Event))
	}
	return b.String()
}
