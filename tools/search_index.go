package tools

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BM25 parameters: the usual k1 and b, and how much more a title word weighs than a body word.
const (
	bm25K1     = 1.2
	bm25B      = 0.75
	titleBoost = 3.0
)

var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be but by for from has have how i if in into is it its
		of on or our over so than that the their them then there these they this to up was we were what when
		which who will with you your about after all also any can do does did not no more most our out per`) {
		m[w] = true
	}
	return m
}()

// span is a token and where it sits in the text.
type span struct {
	term       string
	start, end int // byte offsets
}

// tokenize splits s into lowercase terms: runs of letters and digits, stopwords dropped,
// a plural "s" trimmed so that "metrics" finds "metric".
func tokenize(s string) []span {
	var out []span
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		if t := normalize(s[start:end]); t != "" {
			out = append(out, span{term: t, start: start, end: end})
		}
		start = -1
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

func normalize(w string) string {
	w = strings.ToLower(w)
	if stopwords[w] {
		return ""
	}
	if n := len(w); n > 3 && w[n-1] == 's' && w[n-2] != 's' && w[n-2] != 'u' && w[n-2] != 'i' {
		w = w[:n-1]
	}
	return w
}

func terms(s string) []string {
	spans := tokenize(s)
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = sp.term
	}
	return out
}

type posting struct {
	doc int32
	tf  float32 // body frequency plus boosted title frequency
}

// index is an inverted index with BM25 scoring over documents whose fields are a title
// and a body (a simple BM25F: title occurrences count titleBoost times).
type index struct {
	postings map[string][]posting
	length   []float32 // weighted length per document
	avgLen   float64
}

func buildIndex(docs []document) *index {
	ix := &index{postings: map[string][]posting{}, length: make([]float32, len(docs))}
	var total float64
	for i, d := range docs {
		tf := map[string]float32{}
		for _, t := range terms(d.Title) {
			tf[t] += titleBoost
		}
		for _, t := range terms(d.Text) {
			tf[t]++
		}
		var n float32
		for t, f := range tf {
			ix.postings[t] = append(ix.postings[t], posting{doc: int32(i), tf: f})
			n += f
		}
		ix.length[i] = n
		total += float64(n)
	}
	if len(docs) > 0 {
		ix.avgLen = total / float64(len(docs))
	}
	return ix
}

type hit struct {
	doc   int
	score float64
}

// search returns the best limit documents for the query terms, highest score first; ties go
// to the earlier document so results are stable.
func (ix *index) search(query []string, limit int) []hit {
	if limit < 1 {
		return nil
	}
	n := float64(len(ix.length))
	scores := make([]float64, len(ix.length)) // dense: cheaper than a map when many match
	var touched []int32
	seen := map[string]bool{}
	for _, t := range query {
		if seen[t] {
			continue
		}
		seen[t] = true
		plist := ix.postings[t]
		if len(plist) == 0 {
			continue
		}
		df := float64(len(plist))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for _, p := range plist {
			tf := float64(p.tf)
			norm := bm25K1 * (1 - bm25B + bm25B*float64(ix.length[p.doc])/ix.avgLen)
			if scores[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			scores[p.doc] += idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	// Keep the best limit in a small sorted slice: limit is at most MaxSearchResults.
	better := func(a, b hit) bool { return a.score > b.score || (a.score == b.score && a.doc < b.doc) }
	top := make([]hit, 0, limit+1)
	for _, d := range touched {
		h := hit{doc: int(d), score: scores[d]}
		if len(top) == limit && !better(h, top[len(top)-1]) {
			continue
		}
		i := sort.Search(len(top), func(i int) bool { return better(h, top[i]) })
		top = append(top, hit{})
		copy(top[i+1:], top[i:])
		top[i] = h
		if len(top) > limit {
			top = top[:limit]
		}
	}
	return top
}

// snippetRadius is how many bytes of context a snippet shows on each side of its centre.
const snippetRadius = 110

// snippet returns the passage of text around the place where the most distinct query terms
// occur close together, cut at word boundaries, on one line. It finds the terms by substring
// search over an ASCII-lowercased copy (same byte offsets), which is much cheaper than
// tokenizing the whole document at query time.
func snippet(text string, query []string) string {
	lower := asciiLower(text)
	type occurrence struct{ pos, term int }
	var occs []occurrence
	seen := map[string]bool{}
	for _, t := range query {
		if seen[t] || t == "" {
			continue
		}
		seen[t] = true
		id := len(seen) - 1
		for from := 0; from < len(lower); {
			i := strings.Index(lower[from:], t)
			if i < 0 {
				break
			}
			i += from
			end := i + len(t)
			from = end
			if end < len(lower) && lower[end] == 's' && !wordRuneAt(lower, end+1) {
				end++ // the plural the tokenizer trims
			}
			if !wordRuneBefore(lower, i) && !wordRuneAt(lower, end) {
				occs = append(occs, occurrence{pos: i, term: id})
			}
		}
	}
	sort.Slice(occs, func(i, j int) bool { return occs[i].pos < occs[j].pos })
	// Slide a window of 2*snippetRadius bytes over the occurrences; keep the one that holds
	// the most distinct terms.
	best, bestDistinct := -1, 0
	count := make([]int, len(seen))
	distinct, lo := 0, 0
	for hi, o := range occs {
		if count[o.term]++; count[o.term] == 1 {
			distinct++
		}
		for occs[hi].pos-occs[lo].pos >= 2*snippetRadius {
			if count[occs[lo].term]--; count[occs[lo].term] == 0 {
				distinct--
			}
			lo++
		}
		if distinct > bestDistinct {
			best, bestDistinct = occs[lo].pos, distinct
		}
	}
	from := 0
	if best >= 0 {
		from = max(0, best-snippetRadius/2)
	}
	to := min(len(text), from+2*snippetRadius)
	from, to = wordBoundary(text, from, false), wordBoundary(text, to, true)
	out := strings.Join(strings.Fields(markdownMarks.Replace(flattenBlocks(text[from:to]))), " ")
	out = strings.TrimSpace(headingMarks.ReplaceAllString(" "+out, " "))
	if from > 0 {
		out = "…" + out
	}
	if to < len(text) {
		out += "…"
	}
	return out
}

// flattenBlocks makes Markdown headings and table rows read as prose once lines are joined:
// a heading ends with a colon ("Summary of Q3 performance: Q3 performance was…"), table
// cells are separated by " · " and table rules are dropped.
func flattenBlocks(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "#"):
			h := strings.TrimSpace(strings.TrimLeft(t, "#"))
			if h != "" && !strings.ContainsAny(h[len(h)-1:], ":.?!") {
				h += ":"
			}
			lines[i] = h
		case strings.HasPrefix(t, "|"):
			if strings.Trim(t, "|-: ") == "" {
				lines[i] = "" // a table rule
				continue
			}
			var cells []string
			for _, c := range strings.Split(strings.Trim(t, "|"), "|") {
				if c = strings.TrimSpace(c); c != "" {
					cells = append(cells, c)
				}
			}
			lines[i] = strings.Join(cells, " · ") + ";"
		}
	}
	return strings.Join(lines, "\n")
}

// asciiLower lowercases ASCII letters only, so byte offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func wordRuneAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordRuneBefore(s string, i int) bool {
	if i <= 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// markdownMarks and headingMarks are Markdown syntax that reads as noise in a snippet.
var (
	markdownMarks = strings.NewReplacer("**", "", "__", "", "`", "", "*", "")
	headingMarks  = regexp.MustCompile(`\s#{1,6}\s`)
)

// wordBoundary moves i to a rune boundary and off the middle of a word: forward when
// forward is set, else backward.
func wordBoundary(s string, i int, forward bool) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		if forward {
			i++
		} else {
			i--
		}
	}
	for i > 0 && i < len(s) {
		r, _ := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		if forward {
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		} else {
			_, n := utf8.DecodeLastRuneInString(s[:i])
			i -= n
		}
	}
	return i
}
