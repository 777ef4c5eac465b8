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
	n := float64(len(ix.length))
	scores := map[int32]float64{}
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
			scores[p.doc] += idf * tf * (bm25K1 + 1) / (tf + norm)
		}
	}
	hits := make([]hit, 0, len(scores))
	for d, s := range scores {
		hits = append(hits, hit{doc: int(d), score: s})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].doc < hits[j].doc
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// snippetRadius is how many bytes of context a snippet shows on each side of its centre.
const snippetRadius = 110

// snippet returns the passage of text around the place where the most distinct query terms
// occur close together, cut at word boundaries, on one line.
func snippet(text string, query []string) string {
	want := map[string]bool{}
	for _, t := range query {
		want[t] = true
	}
	spans := tokenize(text)
	best, bestScore := -1, 0
	for i, sp := range spans {
		if !want[sp.term] {
			continue
		}
		found := map[string]bool{}
		for j := i; j < len(spans) && spans[j].start-sp.start < 2*snippetRadius; j++ {
			if want[spans[j].term] {
				found[spans[j].term] = true
			}
		}
		if len(found) > bestScore {
			best, bestScore = i, len(found)
		}
	}
	from := 0
	if best >= 0 {
		from = max(0, spans[best].start-snippetRadius/2)
	}
	to := min(len(text), from+2*snippetRadius)
	from, to = wordBoundary(text, from, false), wordBoundary(text, to, true)
	out := strings.Join(strings.Fields(markdownMarks.Replace(text[from:to])), " ")
	out = strings.TrimSpace(headingMarks.ReplaceAllString(" "+out, " "))
	if from > 0 {
		out = "…" + out
	}
	if to < len(text) {
		out += "…"
	}
	return out
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
