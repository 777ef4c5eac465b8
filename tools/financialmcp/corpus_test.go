package financialmcp

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The sample corpus (tools/corpus, embedded by package tools) must agree with the dataset.
const corpusDir = "../corpus"

func readCorpus(t *testing.T) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	docs := make(map[string]string)
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".md" {
			t.Errorf("%s: the corpus folder holds Markdown documents only", e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(corpusDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		docs[e.Name()] = string(b)
	}
	if len(docs) < 22 {
		t.Fatalf("corpus has %d documents, want at least 22", len(docs))
	}
	return docs
}

func mustLookup(t *testing.T, metric, period string) Value {
	t.Helper()
	v, err := Lookup(metric, period)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCorpusDocumentsAreWellFormed(t *testing.T) {
	for name, text := range readCorpus(t) {
		first, _, _ := strings.Cut(text, "\n")
		if !strings.HasPrefix(first, "# ") || len(strings.TrimSpace(first[2:])) == 0 {
			t.Errorf("%s: first line %q is not a '# Title'", name, first)
		}
		if n := len(strings.Fields(text)); n < 200 || n > 600 {
			t.Errorf("%s: %d words, want 200–600", name, n)
		}
	}
}

// Every "$12.34M" figure in the corpus is reserved for dataset values: it must be the display
// form of some metric in some period. Other amounts are written "$2.7 million" or "$50,000".
func TestCorpusMillionFiguresComeFromTheDataset(t *testing.T) {
	known := make(map[string]bool)
	periods := append(Quarters(), "FY2024", "FY2025", "FY2026")
	for _, m := range Metrics() {
		for _, p := range periods {
			known[mustLookup(t, m.Metric, p).Display] = true
		}
	}
	figure := regexp.MustCompile(`\$\d+\.\d\dM`)
	for name, text := range readCorpus(t) {
		for _, f := range figure.FindAllString(text, -1) {
			if !known[f] {
				t.Errorf("%s: %s is not a dataset figure", name, f)
			}
		}
	}
}

// The Q3 2026 review states every metric of the quarter, and the demo's key figures.
func TestCorpusQ3ReviewMatchesLookup(t *testing.T) {
	docs := readCorpus(t)
	review := docs["q3-2026-quarterly-business-review.md"]
	if !strings.HasPrefix(review, "# Q3 2026 Quarterly Business Review\n") {
		t.Fatal("the Q3 2026 Quarterly Business Review is missing or retitled")
	}
	for _, m := range Metrics() {
		if v := mustLookup(t, m.Metric, "Q3 2026"); !strings.Contains(review, v.Display) {
			t.Errorf("the Q3 2026 review does not state %s = %s", m.Metric, v.Display)
		}
	}
	if !strings.Contains(review, "Revenue reached "+mustLookup(t, "revenue", "Q3 2026").Display) ||
		!strings.Contains(review, "EBITDA was "+mustLookup(t, "EBITDA", "Q3 2026").Display) {
		t.Error("the review's revenue and EBITDA sentences do not match Lookup")
	}
	now, ago := mustLookup(t, "revenue", "2026-Q3").Amount, mustLookup(t, "revenue", "2025-Q3").Amount
	growth := format(100*(now/ago-1), UnitPercent)
	if !strings.Contains(review, "up "+growth+" year over year") {
		t.Errorf("the review does not state revenue growth of %s year over year", growth)
	}
	if c := strings.Count(review, "Q3 performance"); c < 2 {
		t.Errorf(`the review says "Q3 performance" %d times; search ranking relies on it`, c)
	}
}

// Markdown tables pairing metrics with periods must agree with Lookup, in either orientation:
// "| Quarter | Gross margin |" rows, or "| Measure | FY2024 | FY2025 |" rows.
func TestCorpusTablesMatchLookup(t *testing.T) {
	checked := 0
	for name, text := range readCorpus(t) {
		var header []string
		for _, line := range strings.Split(text, "\n") {
			cells := tableCells(line)
			switch {
			case cells == nil:
				header = nil
			case header == nil:
				header = cells
			case strings.HasPrefix(cells[0], "---"):
			default:
				checked += checkRow(t, name, header, cells)
			}
		}
	}
	t.Logf("%d table cells checked", checked)
	if checked < 30 {
		t.Errorf("only %d table cells were checked against the dataset; the parser probably broke", checked)
	}
}

func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil
	}
	cells := strings.Split(strings.Trim(line, "|"), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// tableMetric reads a row or column label as a metric, ignoring period qualifiers.
func tableMetric(label string) (string, bool) {
	l := strings.ToLower(label)
	for _, q := range []string{" at year end", "average quarterly ", "headcount at ", " at quarter end"} {
		l = strings.ReplaceAll(l, q, "")
	}
	def, err := resolveMetric(l)
	if err != nil {
		return "", false
	}
	return def.Metric, true
}

func checkRow(t *testing.T, doc string, header, row []string) int {
	t.Helper()
	checked := 0
	compare := func(metric, period, cell string) {
		v, err := Lookup(metric, period)
		if err != nil {
			return
		}
		checked++
		if cell != v.Display {
			t.Errorf("%s: %s %s is %q in the table, %q in the dataset", doc, metric, period, cell, v.Display)
		}
	}
	if metric, ok := tableMetric(row[0]); ok { // metrics down, periods across
		for i := 1; i < len(row) && i < len(header); i++ {
			if _, err := parsePeriod(header[i]); err == nil && header[i] != "" {
				compare(metric, header[i], row[i])
			}
		}
		return checked
	}
	if _, err := parsePeriod(row[0]); err == nil && row[0] != "" { // periods down, metrics across
		for i := 1; i < len(row) && i < len(header); i++ {
			if metric, ok := tableMetric(header[i]); ok {
				compare(metric, row[0], row[i])
			}
		}
	}
	return checked
}
