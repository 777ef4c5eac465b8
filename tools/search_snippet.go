package tools

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// snippetRadius is how many bytes of context a snippet shows on each side of its centre;
// maxSectionSnippet how far a snippet may grow to finish a short section it starts.
const (
	snippetRadius     = 110
	maxSectionSnippet = 640
)

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
	to := sectionEnd(text, query, from, min(len(text), from+2*snippetRadius))
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

// sectionEnd extends a window [from, to) that holds a Markdown heading naming a query term
// to the end of that heading's section, up to maxSectionSnippet bytes: a section such as
// "Decisions requested" is what the reader asked for, and a window that stops after its
// first item misquotes it. Sections whose headings the query does not name stay cut.
func sectionEnd(text string, query []string, from, to int) int {
	h := strings.LastIndex(text[from:to], "\n#")
	if h < 0 {
		return to
	}
	h += from + 1
	heading := asciiLower(text[h:])
	if nl := strings.IndexByte(heading, '\n'); nl >= 0 {
		heading = heading[:nl]
	}
	named := false
	for _, t := range query {
		named = named || t != "" && strings.Contains(heading, t)
	}
	if !named {
		return to
	}
	next := strings.Index(text[h+1:], "\n#")
	end := len(text)
	if next >= 0 {
		end = h + 1 + next
	}
	return max(to, min(end, from+maxSectionSnippet))
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
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			break
		}
		if forward {
			i += n
		} else {
			_, n := utf8.DecodeLastRuneInString(s[:i])
			i -= n
		}
	}
	return i
}
