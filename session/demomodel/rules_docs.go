package demomodel

// The rules about documents: what to search for, and what to search next when the first
// results are not yet the document or the passage the question asks about.

import "strings"

func askedSearch(st *state) []call {
	if !st.in.docs || st.in.topic == "" {
		return nil
	}
	return []call{st.searchCall(st.query(st.in.topic))}
}

func (st *state) query(q string) string {
	for _, p := range st.in.periods.list {
		if l := p.label(); p.resolved() && !strings.Contains(strings.ToLower(q), strings.ToLower(l)) {
			q += " " + l
		}
	}
	return q
}

func kindSearch(st *state) []call {
	if st.in.kind == "" || !st.searched() || st.kindHit() != nil {
		return nil
	}
	return []call{st.searchCall(st.query(st.in.kind + " " + st.in.topic))}
}

func drillDown(st *state) []call {
	hit := st.kindHit()
	if hit == nil {
		return nil
	}
	var out []call
	found := strings.ToLower(relevantPassage(st.passages(*hit), st.passageTerms()))
	titled := false
	for _, w := range strings.Fields(strings.ToLower(st.in.topic)) {
		switch words, ok := topicWords[w]; {
		case mentions(found, stem(w)):
		case ok:
			out = append(out, st.searchCall(words))
		case !titled && st.in.kind != "" && len(termsOf(w)) > 0:
			// The document is right but the passage is not: ask for the topic with the
			// document's title, which the search ranks it by (first without the kind's
			// words, which pull the snippet to the memo's header).
			titled = true
			q := st.in.topic + " " + titleWords(hit.title, st.in.kind)
			if st.made(st.searchCall(q)) {
				q = st.in.topic + " " + hit.title
			}
			out = append(out, st.searchCall(q))
		}
	}
	return out
}

func (st *state) made(c call) bool {
	for _, o := range st.done {
		if o.call.key() == c.key() {
			return true
		}
	}
	return false
}

func titleWords(title, kind string) string {
	lower := strings.ToLower(title)
	if i := strings.Index(lower, kind); kind != "" && i >= 0 {
		title = title[:i] + title[i+len(kind):]
	}
	return strings.Join(strings.Fields(strings.Trim(strings.TrimSpace(title), ":—-")), " ")
}

func documentFigures(st *state) []call {
	if len(st.in.check) == 0 || len(st.in.periods.list) > 0 || !st.searched() {
		return nil
	}
	hit := st.kindHit()
	if hit == nil {
		return nil
	}
	p := period{latest: true}
	if r, ok := parsePeriodLabel(hit.title); ok {
		p = r
	} else if r, ok := parsePeriodLabel(hit.passage); ok {
		p = r
	}
	var out []call
	for _, m := range st.in.check {
		out = append(out, st.figureCall(m, p))
	}
	return out
}

func (st *state) searched() bool {
	for _, o := range st.done {
		if o.call.Name == st.ts.docs && o.status != "missing" {
			return true
		}
	}
	return false
}

func (st *state) kindHit() *docHit {
	var best *docHit
	for _, o := range st.done {
		for i, h := range o.hits {
			if r := st.rank(h.title); r > 0 && (best == nil || r > st.rank(best.title)) {
				best = &o.hits[i]
			}
		}
	}
	return best
}

func (st *state) rank(title string) int {
	lower := strings.ToLower(title)
	if st.in.kind != "" && !strings.Contains(lower, st.in.kind) {
		return 0
	}
	for _, p := range st.in.periods.list {
		if p.resolved() && strings.Contains(lower, strings.ToLower(p.label())) {
			return 2
		}
	}
	return 1
}

func (st *state) passages(hit docHit) []string {
	var out []string
	for _, o := range st.done {
		for _, h := range o.hits {
			if h.title == hit.title && h.passage != "" {
				out = append(out, h.passage)
			}
		}
	}
	return out
}

// mentions reports whether passage speaks of word in a sentence, not only in a line as short
// as a title ("Recommendation for new customers from 1 January 2027.").
func mentions(passage, word string) bool {
	for _, sg := range segments(passage) {
		if strings.Contains(strings.ToLower(sg.text), word) && len(sg.text) >= minSentence {
			return true
		}
	}
	return false
}
