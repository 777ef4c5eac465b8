package demomodel

import (
	"strings"
)

// The planner's rule set. Each turn every rule says which calls it wants given the question
// and the results so far; the calls not yet made go out together as parallel tool calls.
// Rules that need a result wait for it, which is what makes a follow-up turn.
var rules = []struct {
	name string
	want func(*state) []call
}{
	{"the document search the question asks for, or falls back to", askedSearch},
	{"each metric named, for each period named (the latest when none)", askedFigures},
	{"relative periods, once the tool has said which quarter the anchor is", relativeFigures},
	{"the kind of document named, when the first search found none of that kind", kindSearch},
	{"the question's word as documents write it, when the passage found lacks it", drillDown},
	{"a document question's metric, at the period the document is about", documentFigures},
	{"an unknown period: the nearest one the server says it covers", nearestPeriod},
	{"an unknown metric: the ones the server lists that share its last word", nearestMetrics},
}

// state is one request being planned: the question and the calls made so far.
type state struct {
	in   intent
	ts   toolset
	done []outcome
}

func (st *state) figureCall(metric string, p period) call {
	args := map[string]string{st.ts.metric: metric}
	if a := p.arg(); a != "" && st.ts.period != "" {
		args[st.ts.period] = a
	}
	return call{Name: st.ts.fin, Args: args}
}

func (st *state) searchCall(q string) call {
	return call{Name: st.ts.docs, Args: map[string]string{st.ts.docsParam: q}}
}

// bases are the periods asked for, or the latest quarter when the question names none
// (and, for "since Q1 2025", the latest quarter as well).
func (st *state) bases() []period {
	if len(st.in.periods.list) == 0 {
		return []period{{latest: true}}
	}
	if st.in.periods.since {
		return append(append([]period{}, st.in.periods.list...), period{latest: true})
	}
	return st.in.periods.list
}

// derived are the periods a question asks for relative to p: the quarters before it, the
// same quarter a year earlier, the quarter before.
func (st *state) derived(p period) []period {
	var out []period
	a := st.in.periods
	for i := 1; i < a.lastN; i++ {
		out = append(out, p.back(i))
	}
	if a.yoy {
		out = append(out, p.back(map[bool]int{true: 1, false: 4}[p.q == 0]))
	}
	if a.qoq {
		out = append(out, p.back(1))
	}
	return out
}

// resolvedAs is the period a call for p came back as ("Q3" → Q3 2026).
func (st *state) resolvedAs(p period) (period, bool) {
	if p.resolved() {
		return p, true
	}
	for _, o := range st.done {
		if o.fig != nil && o.call.Args[st.ts.period] == p.arg() {
			return o.fig.period, true
		}
	}
	return period{}, false
}

func (st *state) asked() []string {
	out := append(append([]string{}, st.in.metrics...), st.in.unknown...)
	if len(st.in.periods.list) > 0 {
		out = append(out, st.in.check...)
	}
	return out
}

func askedFigures(st *state) []call {
	var out []call
	for _, m := range st.asked() {
		for _, p := range st.bases() {
			out = append(out, st.figureCall(m, p))
			if p.resolved() {
				for _, d := range st.derived(p) {
					out = append(out, st.figureCall(m, d))
				}
			}
		}
	}
	return out
}

func relativeFigures(st *state) []call {
	var out []call
	for _, p := range st.bases() {
		r, ok := st.resolvedAs(p)
		if !ok || p.resolved() {
			continue
		}
		if from := st.in.periods.list; p.latest && st.in.periods.since && from[0].resolved() {
			// The periods between the first one named and the latest, of the first's kind:
			// quarters, or fiscal years up to the latest (year to date).
			if from[0].q == 0 {
				r = period{year: r.year}
			}
			for _, q := range spanPeriods(from[0], r) {
				for _, m := range st.asked() {
					out = append(out, st.figureCall(m, q))
				}
			}
			continue
		}
		for _, d := range st.derived(r) {
			for _, m := range st.asked() {
				out = append(out, st.figureCall(m, d))
			}
		}
	}
	return out
}

// query is q with the periods the question names that q lacks: "revenue" in "What does the
// Q3 2026 QBR say about revenue?" is searched as "revenue Q3 2026".
// titleWords is a document title without the kind's words ("Board Memo: Q3 2026 Results
// and Q4 Priorities" → "Q3 2026 Results and Q4 Priorities").
func nearestPeriod(st *state) []call {
	var out []call
	for _, o := range st.done {
		if o.call.Name != st.ts.fin || o.status != "failed" || !strings.Contains(strings.ToLower(o.text), "period") {
			continue
		}
		first, last, ok := errorCoverage(o.text)
		asked, ok2 := parsePeriodLabel(o.call.Args[st.ts.period])
		if ok && ok2 {
			if n := nearest(asked, first, last); n != asked {
				out = append(out, st.figureCall(o.call.Args[st.ts.metric], n))
			}
		}
	}
	return out
}

// periodFromArg reads a period argument back: "" is the latest quarter, "Q3" the latest Q3.
func periodFromArg(arg string) period {
	if a := readPeriods(arg, 0); len(a.list) > 0 {
		return a.list[0]
	}
	return period{latest: true}
}

// nearest is the period inside first…last closest to p: the same quarter in the nearest year
// that has it, or the nearest fiscal year.
func nearest(p, first, last period) period {
	if p.q == 0 {
		return period{year: min(max(p.year, first.year), last.year)}
	}
	y := p.year
	if p.order() > last.order() {
		y = last.year
		if p.q > last.q {
			y--
		}
	}
	if p.order() < first.order() {
		y = first.year
		if p.q < first.q {
			y++
		}
	}
	return period{year: y, q: p.q}
}

func nearestMetrics(st *state) []call {
	var out []call
	for _, o := range st.done {
		asked := o.call.Args[st.ts.metric]
		if o.call.Name != st.ts.fin || o.status != "failed" || !named(st.in, asked) {
			continue
		}
		p := periodFromArg(o.call.Args[st.ts.period])
		for _, m := range sharingLastWord(asked, errorMetrics(o.text)) {
			out = append(out, st.figureCall(m, p))
		}
	}
	return out
}

// sharingLastWord lists the valid metrics whose name ends like asked ("operating margin" →
// gross_margin, ebitda_margin).
func sharingLastWord(asked string, valid []string) []string {
	words := strings.Fields(strings.ReplaceAll(strings.ToLower(asked), "_", " "))
	if len(words) == 0 {
		return nil
	}
	var out []string
	for _, v := range valid {
		if strings.HasSuffix(v, "_"+words[len(words)-1]) || v == words[len(words)-1] {
			out = append(out, v)
		}
	}
	return out
}

func named(in intent, metric string) bool {
	for _, m := range append(append(append([]string{}, in.metrics...), in.unknown...), in.check...) {
		if m == metric {
			return true
		}
	}
	return false
}

// kindHit is the document found that best fits what the question names (see rank), nil
// when none is of the kind it names.
// rank says how well a document title fits the question: 2 when it is of the kind named and
// names a period the question names, 1 when only of the kind (any title, when no kind is
// named), 0 otherwise.
// passages are the snippets the searches so far returned for hit's document.
