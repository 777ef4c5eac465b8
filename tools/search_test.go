package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func mapDocs(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func TestSearchRanking(t *testing.T) {
	fsys := mapDocs(map[string]string{
		"q3-review.md":   "# Q3 performance review\n\nRevenue grew in the third quarter. Q3 performance beat the plan on every line.",
		"q2-review.md":   "# Q2 review\n\nSecond quarter results. Performance was flat; Q3 is expected to improve.",
		"handbook.md":    "# Employee handbook\n\nHolidays, expenses and the travel policy.",
		"perf-notes.txt": "Engineering performance notes: latency, throughput, and error budgets.",
	})
	s, notices, err := newDocumentSearch(fsys, "test")
	if err != nil || len(notices) != 0 {
		t.Fatalf("newDocumentSearch: %v %v", err, notices)
	}
	hits := s.Search("Q3 performance", 10)
	if len(hits) != 3 {
		t.Fatalf("got %d hits, want 3 (handbook matches nothing): %+v", len(hits), hits)
	}
	if hits[0].Path != "q3-review.md" {
		t.Errorf("top hit = %s, want q3-review.md (title and body match both terms)", hits[0].Path)
	}
	if hits[0].Title != "Q3 performance review" {
		t.Errorf("title = %q", hits[0].Title)
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits not sorted by score: %+v", hits)
		}
	}
	if !strings.Contains(strings.ToLower(hits[0].Snippet), "q3 performance") {
		t.Errorf("snippet %q does not show the match", hits[0].Snippet)
	}
	if got := s.Search("Q3 performance", 1); len(got) != 1 {
		t.Errorf("limit 1 gave %d hits", len(got))
	}
}

func TestSearchTitleBoost(t *testing.T) {
	fsys := mapDocs(map[string]string{
		"a.md": "# Churn analysis\n\nCustomers, retention and cohorts.",
		"b.md": "# Sales memo\n\nA note mentioning churn once among customers retention cohorts.",
	})
	s, _, _ := newDocumentSearch(fsys, "test")
	hits := s.Search("churn", 3)
	if len(hits) != 2 || hits[0].Path != "a.md" {
		t.Fatalf("title match should rank first: %+v", hits)
	}
}

func TestSearchEmptyResults(t *testing.T) {
	s, _, _ := newDocumentSearch(mapDocs(map[string]string{"a.md": "# A\n\nrevenue and margin"}), "test")
	for _, q := range []string{"zebra unicorn", "the of and", "!!!"} {
		res, err := s.Call(context.Background(), json.RawMessage(`{"query":`+quote(q)+`}`), nil)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if res.Count != 0 || !strings.HasPrefix(res.Text, "No documents match") {
			t.Errorf("%q: got %d %q", q, res.Count, res.Text)
		}
	}
	if _, err := s.Call(context.Background(), json.RawMessage(`{"query":"  "}`), nil); err == nil {
		t.Error("blank query should be an argument error")
	}
}

func TestSearchOddFilesSkippedWithNotice(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.md", []byte("# Quarterly update\n\nQ3 performance was strong."))
	write("binary.md", []byte("# looks like text\x00\x01\x02 but is not"))
	write("empty.md", nil)
	write("blank.txt", []byte(" \n\t\n"))
	write("huge.md", bytes.Repeat([]byte("q3 performance "), MaxDocumentSize/15+10))
	write("latin1.txt", []byte("Q3 r\xe9sum\xe9 performance"))
	write("image.png", []byte("\x89PNG\r\n"))
	write(".hidden.md", []byte("# hidden Q3 performance"))
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("sub/nested.txt", []byte("Q3 performance in a subfolder"))

	s, notices, err := NewDocumentSearch(dir)
	if err != nil {
		t.Fatalf("NewDocumentSearch: %v", err)
	}
	if s.Len() != 2 {
		t.Errorf("indexed %d documents, want 2 (good.md, sub/nested.txt)", s.Len())
	}
	joined := strings.Join(notices, "\n")
	for _, want := range []string{
		"binary.md: binary", "empty.md: empty", "blank.txt: empty", "huge.md:", "MiB limit",
		"latin1.txt: not UTF-8", "image.png: not a Markdown",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("notices lack %q:\n%s", want, joined)
		}
	}
	if strings.Contains(joined, "hidden") {
		t.Errorf("hidden files should be ignored silently: %s", joined)
	}
	hits := s.Search("Q3 performance", 10)
	if len(hits) != 2 {
		t.Errorf("hits = %+v", hits)
	}
}

func TestNewDocumentSearchBadFolder(t *testing.T) {
	if _, _, err := NewDocumentSearch(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "--docs") {
		t.Errorf("missing folder: %v", err)
	}
	f := filepath.Join(t.TempDir(), "file.md")
	os.WriteFile(f, []byte("x"), 0o644)
	if _, _, err := NewDocumentSearch(f); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("file as folder: %v", err)
	}
	s, notices, err := NewDocumentSearch(t.TempDir())
	if err != nil || s.Len() != 0 || len(notices) != 1 {
		t.Errorf("empty folder: %v %v %v", s, notices, err)
	}
}

func TestSnippetIsOneCleanLine(t *testing.T) {
	text := "intro words here\n\n" + strings.Repeat("filler ", 80) + "the \x1b[31mQ3\x1b[0m performance\tsection\n" + strings.Repeat("tail ", 80)
	s, _, _ := newDocumentSearch(mapDocs(map[string]string{"x.md": text}), "t")
	hits := s.Search("q3 performance", 1)
	if len(hits) != 1 {
		t.Fatal("no hit")
	}
	sn := hits[0].Snippet
	if strings.ContainsAny(sn, "\n\t\x1b") || !strings.Contains(sn, "performance") || !strings.HasPrefix(sn, "…") || !strings.HasSuffix(sn, "…") {
		t.Errorf("snippet = %q", sn)
	}
	if len(sn) > 2*snippetRadius+40 {
		t.Errorf("snippet too long: %d", len(sn))
	}
}

func TestTokenize(t *testing.T) {
	got := strings.Join(terms("The Q3 Performance: metrics, EBITDA-margin & the customers' churn!"), " ")
	want := "q3 performance metric ebitda margin customer churn"
	if got != want {
		t.Errorf("terms = %q, want %q", got, want)
	}
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

func TestSearchEmbeddedCorpusFindsQ3Performance(t *testing.T) {
	s, notices, err := NewDocumentSearch("")
	if err != nil || len(notices) != 0 {
		t.Fatalf("embedded corpus: %v %v", err, notices)
	}
	if s.Len() < 5 || s.Source() != "embedded corpus" {
		t.Fatalf("corpus has %d documents from %s", s.Len(), s.Source())
	}
	hits := s.Search("Q3 performance", DefaultSearchResults)
	if len(hits) != DefaultSearchResults {
		t.Fatalf("hits: %+v", hits)
	}
	if !strings.Contains(hits[0].Title, "Q3") {
		t.Errorf("top hit %q (%s) is not about Q3", hits[0].Title, hits[0].Path)
	}
	for _, h := range hits {
		text := strings.ToLower(h.Title + " " + h.Snippet)
		if !strings.Contains(text, "q3") && !strings.Contains(text, "performance") {
			t.Errorf("hit %s shows neither term: %q", h.Path, h.Snippet)
		}
	}
	res, err := s.Call(context.Background(), json.RawMessage(`{"query":"Q3 performance"}`), nil)
	if err != nil || res.Count != 3 || !strings.HasPrefix(res.Text, "Found 3 documents matching 'Q3 performance'") {
		t.Errorf("call: %v %+v", err, res)
	}
}

func FuzzSearchText(f *testing.F) {
	f.Add("# Title\n\nQ3 performance", "q3 performance")
	f.Add("\xff\xfe\x00 odd", "odd")
	f.Add(strings.Repeat("é", 300)+" match "+strings.Repeat("ü", 300), "match")
	f.Fuzz(func(t *testing.T, text, query string) {
		s, _, _ := newDocumentSearch(mapDocs(map[string]string{"a.md": text, "b.txt": "other words"}), "fuzz")
		for _, h := range s.Search(query, 3) {
			if strings.ContainsAny(h.Snippet, "\n\x1b") {
				t.Fatalf("snippet not one clean line: %q", h.Snippet)
			}
		}
	})
}

func FuzzValidateArgs(f *testing.F) {
	f.Add(`{"query":"x","max_results":3}`)
	f.Add(`{"query":{"nested":[1,2,{"a":null}]}}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, raw string) {
		_ = ValidateArgs(searchSchema, json.RawMessage(raw))
	})
}

func TestTopKMatchesFullRanking(t *testing.T) {
	dir := t.TempDir()
	writeGeneratedDocs(t, dir, 300)
	s, _, err := NewDocumentSearch(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"churn renewal", "q3 performance", "budget", "europe pricing partner"} {
		all := s.ix.search(terms(q), len(s.docs))
		for i := 1; i < len(all); i++ {
			if all[i].score > all[i-1].score || (all[i].score == all[i-1].score && all[i].doc < all[i-1].doc) {
				t.Fatalf("%q: full ranking out of order at %d", q, i)
			}
		}
		top := s.ix.search(terms(q), 7)
		if len(top) != min(7, len(all)) {
			t.Fatalf("%q: %d hits", q, len(top))
		}
		for i := range top {
			if top[i] != all[i] {
				t.Errorf("%q: top[%d] = %+v, full ranking has %+v", q, i, top[i], all[i])
			}
		}
	}
	if s.ix.search([]string{"budget"}, 0) != nil {
		t.Error("limit 0 should give nothing")
	}
}

func TestSnippetReadsHeadingsAndTablesAsProse(t *testing.T) {
	text := "Intro line.\n\n## Summary of Q3 performance\n\nQ3 performance was strong.\n\n| Measure | Q3 |\n|---|---|\n| Revenue | $22.88M |\n"
	got := snippet(text, []string{"q3", "performance", "revenue"})
	for _, want := range []string{"Summary of Q3 performance: Q3 performance was strong.", "Measure · Q3; Revenue · $22.88M;"} {
		if !strings.Contains(got, want) {
			t.Errorf("snippet = %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "|") || strings.Contains(got, "---") {
		t.Errorf("snippet keeps table syntax: %q", got)
	}
}

// A window that reaches a short section's heading takes in the whole section, so "the
// decisions requested" are all three, not the first; a long section stays bounded.
func TestSnippetFinishesTheSectionItStarts(t *testing.T) {
	text := "# Memo\n\nIntro sentence about the meeting.\n\n## Decisions requested\n\n1. **Approve the hiring envelope** of up to 64 roles, weighted to engineering.\n2. **Approve the pricing change** to usage-based tiers from January.\n3. **Authorise management to negotiate** a minority investment, capped at $3 million.\n\n## Risks\n\nSales cycles lengthened.\n"
	got := snippet(text, []string{"decisions", "requested"})
	for _, want := range []string{"Decisions requested:", "1. Approve the hiring envelope", "2. Approve the pricing change", "3. Authorise management to negotiate a minority investment, capped at $3 million."} {
		if !strings.Contains(got, want) {
			t.Errorf("snippet = %q, want it to contain %q", got, want)
		}
	}
	if strings.Contains(got, "Sales cycles") {
		t.Errorf("snippet runs into the next section: %q", got)
	}
	long := "## Decisions requested\n\n" + strings.Repeat("a decision worth reading ", 100)
	if got := snippet(long, []string{"decisions"}); len(got) > maxSectionSnippet+40 {
		t.Errorf("long section snippet is %d bytes", len(got))
	}
}

func TestSnippetLeavesUnnamedSectionsCut(t *testing.T) {
	text := "# Memo\n\nQ3 performance was strong this quarter, and the memo says so at length here.\n\n## Results in brief\n\n- Revenue: $22.88M.\n- EBITDA: $4.21M; margin 18.4%.\n- Net income: $2.41M.\n- ARR: $88.90M; customers: 1,427.\n- Cash: $41.30M; no debt.\n- Headcount: 412.\n"
	if got := snippet(text, []string{"q3", "performance"}); strings.Contains(got, "Headcount") {
		t.Errorf("a section the query does not name was finished: %q", got)
	}
}
