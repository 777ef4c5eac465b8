package tools

import (
	"math"
	"sort"
	"strings"
	"unicode"
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
