package demomodel

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/lumodash/lumodash/tools/financialmcp"
)

// The planner's vocabulary: how people name the data set's metrics and documents. It holds
// names only, never figures: every figure in an answer comes from a tool result.

// metricName is one way of writing a metric.
type metricName struct{ canonical, alias string }

// vocabularyMetrics are the embedded data set's metric names, display names and aliases.
func vocabularyMetrics() []metricName {
	var out []metricName
	for _, m := range financialmcp.Metrics() {
		out = append(out, metricName{m.Metric, strings.ReplaceAll(m.Metric, "_", " ")}, metricName{m.Metric, strings.ToLower(m.Name)})
		for _, a := range m.Aliases {
			out = append(out, metricName{m.Metric, strings.ToLower(a)})
		}
	}
	return out
}

// displayNames are the data set's human names of its metrics ("EBITDA margin"), and
// metricKinds how each adds up over a year (a flow's year to date is not a year's total).
var displayNames, metricKinds = func() (map[string]string, map[string]financialmcp.Kind) {
	names, kinds := map[string]string{}, map[string]financialmcp.Kind{}
	for _, m := range financialmcp.Metrics() {
		names[m.Metric], kinds[m.Metric] = m.Name, m.Kind
	}
	return names, kinds
}()

// humanMetric names a metric for an answer: the data set's name, else the words of the
// tool's value ("pipeline_value" → "Pipeline value").
func humanMetric(metric string) string {
	if n, ok := displayNames[strings.ToLower(metric)]; ok {
		return n
	}
	s := strings.ReplaceAll(metric, "_", " ")
	if s == "" {
		return s
	}
	if strings.ToUpper(s) == s {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// metricHeads are the words that end a metric's name; "operating margin" is a metric the
// question asks for even though the vocabulary lacks it, and the tool will say so.
var (
	metricHeads      = regexp.MustCompile(`\b([a-z]+)\s+(margin|income|profit|revenue|expenses|costs|rate)\b`)
	notAMetricPrefix = map[string]bool{"the": true, "a": true, "an": true, "our": true, "its": true, "their": true, "of": true,
		"quarterly": true, "annual": true, "yearly": true, "total": true, "overall": true, "reported": true, "company": true,
		"acme": true, "and": true, "or": true, "in": true, "for": true, "was": true, "is": true, "what": true, "about": true,
		"latest": true, "current": true, "same": true, "with": true, "vs": true, "versus": true, "compare": true, "how": true}
	familyWord = regexp.MustCompile(`\bmargins?\b`)
)

// metricsIn returns the metrics s names, in order of appearance: canonical names as the tool
// spells them, and (unknown) metric-like phrases the vocabulary lacks.
func (ts toolset) metricsIn(s string) (known, unknown []string) {
	lower := strings.ToLower(s)
	taken := make([]bool, len(lower)+1)
	type hit struct {
		at   int
		name string
	}
	var hits []hit
	mark := func(a, b int) bool {
		for i := a; i < b; i++ {
			if taken[i] {
				return false
			}
		}
		for i := a; i < b; i++ {
			taken[i] = true
		}
		return true
	}
	for _, m := range ts.metrics {
		for _, loc := range aliasPattern(m.alias).FindAllStringIndex(lower, -1) {
			if mark(loc[0], loc[1]) {
				hits = append(hits, hit{loc[0], ts.metricValue(m.canonical)})
			}
		}
	}
	for _, loc := range metricHeads.FindAllStringSubmatchIndex(lower, -1) {
		if notAMetricPrefix[lower[loc[2]:loc[3]]] || !mark(loc[0], loc[1]) {
			continue
		}
		unknown = append(unknown, lower[loc[0]:loc[1]])
	}
	for _, loc := range familyWord.FindAllStringIndex(lower, -1) {
		if mark(loc[0], loc[1]) {
			for _, m := range ts.family("margin") {
				hits = append(hits, hit{loc[0], m})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.name] {
			seen[h.name] = true
			known = append(known, h.name)
		}
	}
	return known, unknown
}

// aliasPatterns caches the patterns of metric names; names from tool schemas are the
// client's, so the cache is bounded.
var aliasPatterns = struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}{m: map[string]*regexp.Regexp{}}

const maxAliasPatterns = 1024

// aliasPattern matches alias as whole words, with an optional plural "s".
func aliasPattern(alias string) *regexp.Regexp {
	aliasPatterns.Lock()
	defer aliasPatterns.Unlock()
	if re, ok := aliasPatterns.m[alias]; ok {
		return re
	}
	re := regexp.MustCompile(`\b` + regexp.QuoteMeta(alias) + `s?\b`)
	if len(aliasPatterns.m) < maxAliasPatterns {
		aliasPatterns.m[alias] = re
	}
	return re
}

// family lists the metrics whose name ends in head ("margin": gross and EBITDA margin).
func (ts toolset) family(head string) []string {
	var out []string
	for _, c := range ts.metricList() {
		if strings.HasSuffix(c, "_"+head) {
			out = append(out, ts.metricValue(c))
		}
	}
	return out
}

// docKind is a kind of company document: how questions name it and words its titles carry.
type docKind struct {
	asked *regexp.Regexp
	title string
}

var docKinds = []docKind{
	{regexp.MustCompile(`\bboard\s+(?:memo|update|paper)s?\b`), "board memo"},
	{regexp.MustCompile(`\bpricing\s+memos?\b`), "pricing memo"},
	{regexp.MustCompile(`\bqbrs?\b|\bquarterly\s+(?:business\s+)?reviews?\b`), "quarterly business review"},
	{regexp.MustCompile(`\bcompetit(?:or|ive)\s+(?:notes?|intelligence|analysis)\b`), "competitor note"},
	{regexp.MustCompile(`\bhiring\s+plans?\b`), "hiring plan"},
	{regexp.MustCompile(`\broadmaps?\b`), "roadmap"},
	{regexp.MustCompile(`\bchurn\s+analys[ie]s\b`), "churn analysis"},
	{regexp.MustCompile(`\bannual\s+(?:performance\s+)?(?:summary|report)\b`), "annual performance summary"},
	{regexp.MustCompile(`\bfinance\s+notes?\b`), "finance note"},
	{regexp.MustCompile(`\b(sales|marketing|product|partner(?:\s+program)?)\s+reports?\b`), "report"},
	{regexp.MustCompile(`\bsecurity\s+(?:and\s+compliance\s+)?(?:update|report)s?\b`), "security and compliance update"},
	{regexp.MustCompile(`\bmemos?\b`), "memo"},
}

// docWords are words that ask for documents without naming a kind.
var docWords = regexp.MustCompile(`\b(?:documents?|docs|files|reports?|memos?|filings?|notes|the\s+(?:qbr|roadmap|hiring\s+plan))\b`)

// forwardWords ask about what is planned rather than what happened: the financial data holds
// only actuals, so plans, forecasts and targets are in the documents.
var forwardWords = regexp.MustCompile(`(?i)\b(?:plan|plans|planned|planning|forecasts?|outlook|guidance|targets?|next\s+(?:year|quarter)|fy2027)\b`)

// askedKind returns the document kind s names and where, or "" when it names none.
func askedKind(s string) (title string, loc []int) {
	lower := strings.ToLower(s)
	for _, k := range docKinds {
		if l := k.asked.FindStringIndex(lower); l != nil {
			return k.title, l
		}
	}
	return "", nil
}

// topicWords are the words documents use for what a question asks about: a board memo lists
// its priorities as "decisions requested", a review its risks as "risks flagged". When the
// passage found first lacks the question's word, the planner searches again with these.
var topicWords = map[string]string{
	"priorities":     "priorities decisions requested",
	"priority":       "priorities decisions requested",
	"asks":           "decisions requested",
	"decisions":      "decisions requested",
	"risks":          "risks watching flagged",
	"concerns":       "risks watching flagged",
	"threats":        "threat risk assessment",
	"recommendation": "recommendation recommends decision requested",
	"recommend":      "recommendation recommends decision requested",
	"outlook":        "outlook expect next",
	"plans":          "plan assumptions",
	"response":       "recommended response",
}
