package demomodel

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

func (st *state) foundDocuments() bool {
	for _, o := range st.done {
		if len(o.hits) > 0 {
			return true
		}
	}
	return false
}

func (st *state) documentSection(figs []figure) string {
	type doc struct {
		hit      docHit
		snippets []string
	}
	var docs []*doc
	byTitle := map[string]*doc{}
	var empty []string
	for _, o := range st.done {
		if o.call.Name != st.ts.docs || o.status != "ok" {
			continue
		}
		if len(o.hits) == 0 && noMatchRe.MatchString(o.text) {
			empty = append(empty, fmt.Sprintf("The document search for “%s” found nothing: “%s”", o.call.Args[st.ts.docsParam], quote(o.text, 160)))
		}
		for _, h := range o.hits {
			d := byTitle[h.title]
			if d == nil {
				d = &doc{hit: h}
				byTitle[h.title] = d
				docs = append(docs, d)
			}
			if h.passage != "" {
				d.snippets = append(d.snippets, h.passage)
			}
		}
	}
	if len(docs) == 0 {
		return strings.Join(empty, "\n\n")
	}
	sort.SliceStable(docs, func(i, j int) bool { return st.rank(docs[i].hit.title) > st.rank(docs[j].hit.title) })
	pt := st.passageTerms()
	var b strings.Builder
	var others []string
	cited := 0
	for _, d := range docs {
		passage := ""
		if cited < 2 && st.rank(d.hit.title) > 0 {
			passage = relevantPassage(d.snippets, pt)
		}
		if passage == "" {
			others = append(others, d.hit.title)
			continue
		}
		if cited++; cited == 1 {
			b.WriteString("**From the documents:**\n")
		}
		fmt.Fprintf(&b, "\n- **%s** — “%s”", d.hit.title, passage)
		if agree := agreeing(passage, figs); len(agree) > 0 {
			fmt.Fprintf(&b, " (%s %s with the financial data)", joinAnd(agree), map[bool]string{true: "agrees", false: "agree"}[len(agree) == 1])
		}
	}
	switch {
	case len(others) > 0 && cited > 0:
		fmt.Fprintf(&b, "\n\nAlso found: %s.", strings.Join(others[:min(len(others), 4)], "; "))
	case len(others) > 0:
		fmt.Fprintf(&b, "The documents found (%s) have no passage on “%s” in what the search returned.", strings.Join(others[:min(len(others), 4)], "; "), st.in.topic)
	}
	return b.String()
}

func agreeing(passage string, figs []figure) []string {
	var out []string
	for _, f := range figs {
		if strings.Contains(passage, f.display) && !slices.Contains(out, f.display) {
			out = append(out, f.display)
		}
	}
	return out
}

func (st *state) passageTerms() passageTerms {
	var pt passageTerms
	pt.own = termsOf(st.in.topic)
	for _, m := range append(append([]string{}, st.in.metrics...), st.in.check...) {
		pt.own = append(pt.own, termsOf(humanMetric(m))...)
	}
	for _, w := range strings.Fields(strings.ToLower(st.in.topic)) {
		pt.doc = append(pt.doc, termsOf(topicWords[w])...)
	}
	pt.figures = len(st.in.metrics)+len(st.in.check) > 0
	return pt
}
