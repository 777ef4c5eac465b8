package demomodel

import (
	"regexp"
	"sort"
	"strings"
)

// A search returns a snippet per document: a window of text that may start and end
// mid-sentence and mixes headings, metadata lines and list items. The answer quotes only
// the sentences of it that bear on the question.

// segment is one sentence, list item or heading of a snippet.
type segment struct {
	text             string
	heading          bool // a section heading ("Decisions requested:")
	meta             bool // a document's metadata ("Date: …", "To: …")
	cutStart, cutEnd bool // the snippet cut it
	score            int  // for a heading: how well it matches the question
}

var (
	// A segment ends at a sentence end before a capital, digit, "$" or list dash, before a
	// list marker, and around a heading label followed by a capital or a numbered item.
	sentenceEndRe = regexp.MustCompile(`[.!?]\s+(?:[A-Z0-9$“"]|-\s)`)
	listNumberRe  = regexp.MustCompile(`(?:^|\s)\d{1,2}$`)
	listMarkerRe  = regexp.MustCompile(`\s+-\s+|\s+\d{1,2}\.\s+[A-Z*]`)
	headingLabel  = regexp.MustCompile(`(?:^|\s)([A-Z][a-z]+(?: [A-Za-z][a-z0-9]*){0,4}):\s+(?:[A-Z]|\d{1,2}\.\s)`)
	headingRe     = regexp.MustCompile(`^[A-Z][a-z]+(?: [A-Za-z][a-z0-9]*){0,4}:$`)
	metaRe        = regexp.MustCompile(`^(?:To|From|Date|Classification|Period|Author|Owner|Prepared by|Updated)\b`)
	figureRe      = regexp.MustCompile(`\$\d|\d%|\d+(?:\.\d+)?\s*(?:points|pts)\b`)
)

// segments splits a snippet into sentences, list items and headings.
func segments(snippet string) []segment {
	s := strings.TrimSpace(snippet)
	cutStart := strings.HasPrefix(s, "…")
	cutEnd := strings.HasSuffix(s, "…")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "…"), "…"))
	var cuts []int
	for _, loc := range sentenceEndRe.FindAllStringIndex(s, -1) {
		if !listNumberRe.MatchString(s[:loc[0]]) { // "1. Approve…" is a list item, not a sentence end
			cuts = append(cuts, loc[0]+1)
		}
	}
	for _, loc := range listMarkerRe.FindAllStringIndex(s, -1) {
		cuts = append(cuts, loc[0])
	}
	for _, loc := range headingLabel.FindAllStringSubmatchIndex(s, -1) {
		cuts = append(cuts, loc[2], loc[3]+1)
	}
	sort.Ints(cuts)
	cuts = append(cuts, len(s))
	var out []segment
	from := 0
	for _, c := range cuts {
		if c <= from {
			continue
		}
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s[from:c]), "- "))
		from = c
		if t == "" {
			continue
		}
		out = append(out, segment{text: t, heading: headingRe.MatchString(t), meta: metaRe.MatchString(t)})
	}
	if len(out) > 0 {
		out[0].cutStart = cutStart
		out[len(out)-1].cutEnd = cutEnd
	}
	return out
}

// passageTerms are the words a passage is scored on: the question's own words weigh 2, the
// words documents use for them (topicWords) 3.
type passageTerms struct {
	own, doc []string
	figures  bool // the question asks for figures: sentences with one weigh more
}

func termsOf(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(w) >= 2 && !filler.MatchString(w) {
			out = append(out, stem(w))
		}
	}
	return out
}

// stem trims a word to the part its inflections share ("priorities", "priority" → "priorit").
func stem(w string) string {
	for _, suf := range []string{"ies", "y", "es", "s"} {
		if len(w) > 4 && strings.HasSuffix(w, suf) {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

func (pt passageTerms) score(text string) int {
	lower := strings.ToLower(text)
	n := 0
	for _, t := range pt.own {
		if strings.Contains(lower, t) {
			n += 2
		}
	}
	for _, t := range pt.doc {
		if strings.Contains(lower, t) {
			n += 3
		}
	}
	return n
}

// maxPassage is the most of a document an answer quotes; minSegment the shortest sentence
// worth quoting on its own (shorter ones are usually the snippet's cut ends).
const (
	maxPassage  = 360
	maxList     = 600 // a numbered list quoted whole ("Decisions requested: 1. … 2. … 3. …")
	minSegment  = 24
	minSentence = 60 // shorter, a line that mentions the topic is a title, not a statement
)

// relevantPassage picks from a document's snippets (one per search that found it) the
// segment that best matches the question, and a second one that also matches or carries a
// figure next to it, in document order, with the heading a list item stands under when the
// heading is what matches; "" when nothing in the snippets bears on the question.
func relevantPassage(snippets []string, pt passageTerms) string {
	cands := candidates(snippets, pt)
	best := -1
	for i, c := range cands {
		if c.terms > 0 && (best < 0 || c.score > cands[best].score) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	if list := listOf(cands, cands[best]); list != "" {
		return withContext(cands, cands[best], list)
	}
	chosen := []candidate{cands[best]}
	second := -1
	for i, c := range cands {
		near := c.order == cands[best].order+1 || c.order == cands[best].order-1
		if i == best || c.text == cands[best].text || !(c.terms > 0 || near && c.figure) || len(c.text)+len(cands[best].text) > maxPassage {
			continue
		}
		if second < 0 || c.score > cands[second].score {
			second = i
		}
	}
	if second >= 0 {
		chosen = append(chosen, cands[second])
	}
	sort.Slice(chosen, func(i, j int) bool { return chosen[i].order < chosen[j].order })
	var b strings.Builder
	for i, c := range chosen {
		switch {
		case i > 0 && c.order == chosen[i-1].order+1:
			b.WriteString(" ")
		case i > 0:
			b.WriteString(" … ")
		case c.cutStart:
			b.WriteString("…")
		}
		if c.heading != "" {
			b.WriteString(c.heading + " ")
		}
		b.WriteString(c.text)
		if c.cutEnd {
			b.WriteString("…")
		}
	}
	return quote(b.String(), maxPassage+40)
}

// candidate is a segment scored against the question: terms counts the question's words in
// it (or in the heading it stands under), score adds a figure and takes off for cut or
// metadata segments.
type candidate struct {
	segment
	terms   int
	figure  bool
	heading string // the heading to quote before it
	order   int    // position across the snippets
	item    bool   // a numbered list item
	section string // the heading it stands under
}

var numberedItemRe = regexp.MustCompile(`^\d{1,2}\.\s`)

// withContext puts before a quoted list the sentence outside it that best matches the
// question ("…asks the board to approve three Q4 decisions."), when there is one.
func withContext(cands []candidate, best candidate, list string) string {
	ctx := -1
	for i, c := range cands {
		if c.item || c.section == best.section || c.terms == 0 || c.meta {
			continue
		}
		if ctx < 0 || c.score > cands[ctx].score {
			ctx = i
		}
	}
	if ctx < 0 || len(cands[ctx].text) > maxPassage {
		return list
	}
	c := cands[ctx]
	lead := c.text
	if c.cutStart {
		lead = "…" + lead
	}
	if c.order > best.order {
		return list + " … " + lead
	}
	return lead + " … " + list
}

// listOf quotes the numbered list that best belongs to, under its heading, when best is an
// item of one: a question about "the decisions requested" wants all of them. Each item is
// quoted to its first sentence; "" when best is not a list item.
func listOf(cands []candidate, best candidate) string {
	if !best.item || best.section == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(best.section)
	seen := map[string]bool{}
	for _, c := range cands {
		if !c.item || c.section != best.section || seen[c.text] {
			continue
		}
		seen[c.text] = true
		item, n := c.text, len(numberedItemRe.FindString(c.text))
		if end := sentenceEndRe.FindStringIndex(item[n:] + " X"); end != nil {
			item = item[:n+end[0]+1]
		}
		if b.Len()+len(item) > maxList {
			b.WriteString(" …")
			break
		}
		b.WriteString(" " + item)
	}
	if len(seen) < 2 {
		return ""
	}
	return b.String()
}

func candidates(snippets []string, pt passageTerms) []candidate {
	var out []candidate
	order := 0
	for _, sn := range snippets {
		var heading segment
		under := 0 // segments since the heading: its weight fades with each
		for _, sg := range segments(sn) {
			order++
			if sg.heading {
				heading, under = sg, 0
				heading.score = pt.score(sg.text)
				continue
			}
			c := candidate{segment: sg, order: order, terms: pt.score(sg.text), figure: figureRe.MatchString(sg.text),
				item: numberedItemRe.MatchString(sg.text), section: heading.text}
			c.meta = c.meta || metaRe.MatchString(heading.text)
			if inherited := heading.score - under; inherited > c.terms && !c.meta {
				if under == 0 && c.terms == 0 {
					c.heading = heading.text
				}
				c.terms = inherited
			}
			under++
			c.score = c.terms
			if c.figure && (c.terms > 0 || pt.figures) {
				c.score += 2
			}
			if c.cutStart || c.cutEnd {
				c.score--
			}
			if c.meta {
				c.terms, c.score = 0, c.score-4
			}
			if len(c.text) >= minSegment || c.heading != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// quote shortens s to at most max bytes at a word boundary, marking the cut.
func quote(s string, max int) string {
	s = strings.TrimSpace(s)
	if len(s) > max {
		cut := strings.LastIndex(s[:max], " ")
		if cut < max/2 {
			cut = max
			for cut > 0 && s[cut]&0xC0 == 0x80 {
				cut--
			}
		}
		s = s[:cut] + " …"
	}
	return s
}
