package demomodel

import (
	"fmt"
	"regexp"
	"strings"
)

// answer writes the final answer from this request's tool results only: the figures and
// their changes, the passages of the documents found, what replaced a period or metric the
// server does not have, and what could not be answered and why.
func answer(st *state, prompt string, opts planOptions) string {
	if len(st.done) == 0 {
		switch {
		case opts.toolChoice == "none" && !st.in.chat:
			return "Tool calls are turned off for this request (tool_choice \"none\"), so I could not look anything up. " + capabilities(st.ts)
		case st.in.chat || st.ts.docs == "" && st.ts.fin == "":
			return capabilities(st.ts)
		}
		return unplanned(prompt, st.ts)
	}
	var parts []string
	figs, replaced := st.figures()
	if len(figs) > 0 {
		parts = append(parts, figureSection(figs))
	}
	parts = append(parts, replaced...)
	parts = append(parts, st.unreadResults()...)
	docs := st.documentSection(figs)
	if docs != "" {
		parts = append(parts, docs)
	}
	if gaps := st.gaps(len(figs) > 0 || docs != ""); gaps != "" {
		parts = append(parts, gaps)
	}
	if len(figs) == 0 && len(st.in.metrics)+len(st.in.unknown)+len(st.in.check) == 0 && !st.foundDocuments() && st.ts.fin != "" {
		parts = append(parts, "The question names no metric of the financial data either ("+strings.Join(st.ts.metricList(), ", ")+"), so I have nothing to answer it with.")
	}
	footer := "*Offline demo planner, not a language model: the quotes are the tools' results.*"
	if len(figs) > 0 {
		footer = "*Offline demo planner, not a language model: figures and quotes are the tools' results; changes are computed from them.*"
	}
	parts = append(parts, footer)
	return strings.Join(parts, "\n\n")
}

// figures are the values fetched, and a note for each asked period or metric the server
// does not have that a nearby one replaced.
func (st *state) figures() (figs []figure, notes []string) {
	seen := map[string]bool{}
	for _, o := range st.done {
		if o.fig != nil && st.anchorOnly(o) {
			continue
		}
		if o.fig != nil && !seen[o.fig.metric+o.fig.label] {
			seen[o.fig.metric+o.fig.label] = true
			figs = append(figs, *o.fig)
		}
	}
	for _, o := range st.done {
		if o.call.Name != st.ts.fin || o.status != "failed" {
			continue
		}
		if subs := st.replacements(o); len(subs) > 0 {
			notes = append(notes, fmt.Sprintf("%s: the server says “%s”, %s", st.what(o), serverWords(o.text), subs))
		}
	}
	return figs, notes
}

// anchorOnly reports a latest-quarter figure fetched only to learn which quarter is the
// latest, for a series of fiscal years ("since 2024").
func (st *state) anchorOnly(o outcome) bool {
	a := st.in.periods
	return a.since && len(a.list) > 0 && a.list[0].q == 0 && o.fig.period.q != 0 && o.call.Args[st.ts.period] == ""
}

// unreadResults quotes the results the planner could not read as a figure or as document
// hits (another tool's format, or a tool it does not know), so nothing returned is dropped.
func (st *state) unreadResults() []string {
	var out []string
	for _, o := range st.done {
		if o.status == "ok" && o.fig == nil && len(o.hits) == 0 && !(o.call.Name == st.ts.docs && noMatchRe.MatchString(o.text)) {
			out = append(out, fmt.Sprintf("From %s (%s): “%s”", o.call.Name, o.call.argsJSON(), quote(o.text, 400)))
		}
	}
	return out
}

var noMatchRe = regexp.MustCompile(`(?i)^no (?:documents?|results?|matches)\b`)

// replacements says what stands in for a failed call, when another call made for it answered.
func (st *state) replacements(failed outcome) string {
	var names []string
	for _, c := range nearestPeriod(&state{in: st.in, ts: st.ts, done: []outcome{failed}}) {
		for _, o := range st.done {
			if o.call.key() == c.key() && o.fig != nil {
				return fmt.Sprintf("so this shows %s, the nearest period it has.", o.fig.label)
			}
		}
	}
	for _, c := range nearestMetrics(&state{in: st.in, ts: st.ts, done: []outcome{failed}}) {
		for _, o := range st.done {
			if o.call.key() == c.key() && o.fig != nil {
				names = append(names, lowerFirst(o.fig.name))
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("so this shows %s, the measures it has that end the same way.", joinAnd(names))
}

// replaced reports whether a failed call was stood in for by another that answered.
func (st *state) replaced(o outcome) bool { return st.replacements(o) != "" }

// what names what a call was for: "EBITDA for Q3 2026", "the search for “Q3 performance”".
func (st *state) what(o outcome) string {
	switch o.call.Name {
	case st.ts.fin:
		return fmt.Sprintf("%s for %s", humanMetric(o.call.Args[st.ts.metric]), periodFromArg(o.call.Args[st.ts.period]).label())
	case st.ts.docs:
		return fmt.Sprintf("the document search for “%s”", o.call.Args[st.ts.docsParam])
	}
	return "the " + o.call.Name + " call"
}

// serverWords is the part of an error the answer quotes: its first clause, clipped.
func serverWords(text string) string {
	if i := strings.Index(text, "; valid metrics"); i > 0 {
		text = text[:i]
	}
	return strings.TrimSuffix(quote(text, 200), ".")
}

// gaps lists what could not be answered and why, from the tool results' own words; calls
// that failed alike for several periods of one metric make one line.
func (st *state) gaps(answered bool) string {
	type gap struct {
		what    string
		periods []string
		reason  string
	}
	var gs []*gap
	byKey := map[string]*gap{}
	for _, o := range st.done {
		if o.status == "ok" || st.replaced(o) {
			continue
		}
		reason := "no result came back."
		switch o.status {
		case "denied":
			reason = "access was denied — “" + sentence(quote(o.text, 240)) + "”"
		case "failed":
			reason = "the call failed — “" + sentence(quote(o.text, 240)) + "”"
		}
		what, when := st.what(o), ""
		if o.call.Name == st.ts.fin {
			what, when = humanMetric(o.call.Args[st.ts.metric]), periodFromArg(o.call.Args[st.ts.period]).label()
		}
		key := what + "\x00" + reason
		g := byKey[key]
		if g == nil {
			g = &gap{what: what, reason: reason}
			byKey[key] = g
			gs = append(gs, g)
		}
		if when != "" {
			g.periods = append(g.periods, when)
		}
	}
	if len(gs) == 0 {
		return ""
	}
	head := "**Could not answer:**"
	if answered {
		head = "**Not answered** (so this answer is incomplete):"
	}
	lines := []string{head, ""}
	for _, g := range gs {
		what := g.what
		if len(g.periods) > 0 {
			what += " for " + joinAnd(g.periods)
		}
		lines = append(lines, fmt.Sprintf("- %s: %s", upperFirst(what), g.reason))
	}
	return strings.Join(lines, "\n")
}

// documentSection quotes the documents found: those of the kind asked for first, each with
// the passage that bears on the question, the rest by title.
// agreeing lists the fetched figures a passage quotes ("$22.88M").
// lowerFirst lower-cases a name's first letter for use mid-sentence, unless the name is
// an acronym ("Gross margin" → "gross margin", "EBITDA margin" stays).
// passageTerms are the words passages are scored on: the question's topic and metrics, and
// the words documents use for the topic.
// sentence closes msg with a full stop unless it already ends a sentence.
// capabilities says what the demo model can do with the tools it was offered.
