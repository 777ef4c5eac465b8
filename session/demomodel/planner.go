package demomodel

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/lumodash/lumodash/internal/safetext"
)

// reply is what the planner decided: either tool calls or a final answer.
type reply struct {
	Content string
	Calls   []call
}

// call is one planned tool call.
type call struct {
	Name string
	Args map[string]string
}

func (c call) argsJSON() string {
	b, _ := json.Marshal(c.Args) // map keys marshal sorted: deterministic
	return string(b)
}

func (rep reply) toolCalls(id string) []toolCall {
	var out []toolCall
	for i, c := range rep.Calls {
		out = append(out, toolCall{ID: fmt.Sprintf("call_%s_%d", strings.TrimPrefix(id, "chatcmpl-demo-"), i+1), Type: "function",
			Function: functionCall{Name: c.Name, Arguments: c.argsJSON()}})
	}
	return out
}

// plan reads the conversation since the last user message. With no tool results yet it plans
// the tool calls the request asks for; after the results it composes the answer from them.
func plan(msgs []message, tools []toolDef) reply {
	last := -1
	for i, m := range msgs {
		if m.Role == "user" {
			last = i
		}
	}
	if last < 0 {
		return reply{Content: capabilities(tools)}
	}
	var calls []toolCall
	results := map[string]string{}
	for _, m := range msgs[last+1:] {
		switch m.Role {
		case "assistant":
			calls = append(calls, m.ToolCalls...)
		case "tool":
			results[m.ToolCallID] = m.text()
		}
	}
	if len(calls) > 0 {
		return reply{Content: compose(calls, results, tools)}
	}
	prompt := safetext.Line(msgs[last].text()) // plan on what a person would see

	planned := planCalls(prompt, tools)
	if len(planned) == 0 {
		return reply{Content: unplanned(prompt, tools)}
	}
	return reply{Calls: planned}
}

// toolset is the offered tools the planner knows how to use.
type toolset struct {
	docs, docsParam     string // search tool and its query parameter
	fin, metric, period string // financial tool and its parameter names
	metricEnum          []string
	metrics             []metricName
}

type metricName struct{ canonical, alias string }

// builtinMetrics are the metrics of the Acme Corp dataset and their common spellings.
var builtinMetrics = map[string][]string{
	"revenue":            {"revenue", "sales", "turnover"},
	"gross_profit":       {"gross profit"},
	"gross_margin":       {"gross margin"},
	"ebitda":             {"ebitda"},
	"ebitda_margin":      {"ebitda margin"},
	"operating_expenses": {"operating expenses", "opex"},
	"net_income":         {"net income", "net profit", "earnings"},
	"cash":               {"cash", "cash position"},
	"headcount":          {"headcount", "employees", "head count"},
	"arr":                {"arr", "annual recurring revenue"},
	"customers":          {"customers", "customer count"},
	"churn":              {"churn", "churn rate"},
}

var metricListRe = regexp.MustCompile(`(?i)metrics?\b[^(:.]{0,30}[(:]\s*([^.)\n]+)`)

func findTools(tools []toolDef) toolset {
	var ts toolset
	for _, t := range tools {
		f := t.Function
		props, _ := f.Parameters["properties"].(map[string]any)
		lname := strings.ToLower(f.Name)
		switch {
		case ts.fin == "" && (f.Name == "query_financial_mcp" || props["metric"] != nil):
			ts.fin, ts.metric = f.Name, "metric"
			if props["period"] != nil {
				ts.period = "period"
			}
			if m, ok := props["metric"].(map[string]any); ok {
				if enum, ok := m["enum"].([]any); ok {
					for _, e := range enum {
						if s, ok := e.(string); ok {
							ts.metricEnum = append(ts.metricEnum, s)
						}
					}
				}
			}
			ts.addDescribedMetrics(f.Description)
		case ts.docs == "" && (f.Name == "search_company_documents" || strings.Contains(lname, "search") || strings.Contains(lname, "document")):
			ts.docs, ts.docsParam = f.Name, firstStringParam(f.Parameters, "query")
		}
	}
	for canon, aliases := range builtinMetrics {
		for _, a := range aliases {
			ts.metrics = append(ts.metrics, metricName{canon, a})
		}
	}
	for _, e := range ts.metricEnum {
		ts.metrics = append(ts.metrics, metricName{strings.ToLower(e), strings.ToLower(strings.ReplaceAll(e, "_", " "))})
	}
	// Longest alias first, so "ebitda margin" wins over "ebitda".
	sort.SliceStable(ts.metrics, func(i, j int) bool { return len(ts.metrics[i].alias) > len(ts.metrics[j].alias) })
	return ts
}

// addDescribedMetrics picks up metric names listed in a tool description ("Metrics: a, b").
func (ts *toolset) addDescribedMetrics(desc string) {
	m := metricListRe.FindStringSubmatch(desc)
	if m == nil {
		return
	}
	for _, name := range regexp.MustCompile(`,|;|/|\bor\b|\band\b`).Split(m[1], -1) {
		name = strings.ToLower(strings.Trim(strings.TrimSpace(name), "`'\""))
		if name == "" || len(name) > 40 {
			continue
		}
		canon := strings.ReplaceAll(name, " ", "_")
		ts.metrics = append(ts.metrics, metricName{canon, strings.ReplaceAll(name, "_", " ")})
	}
}

func firstStringParam(schema map[string]any, prefer string) string {
	props, _ := schema["properties"].(map[string]any)
	if _, ok := props[prefer]; ok || len(props) == 0 {
		return prefer
	}
	if req, ok := schema["required"].([]any); ok && len(req) > 0 {
		if s, ok := req[0].(string); ok {
			return s
		}
	}
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	return names[0]
}

var (
	docIntentRe = regexp.MustCompile(`(?i)\b(documents?|docs|files|reports?|memos?|filings?)\b`)
	docQueryRes = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\b(?:documents?|docs|files|reports?|memos?|filings?)\s+(?:for|about|on|regarding|mentioning|covering|related to)\s+(.+?)(?:\s*[,.;!?]|\s+then\b|\s+and\s+(?:then\s+)?(?:query|get|fetch|look|check|tell|show|find|give)\b|$)`),
		regexp.MustCompile(`(?i)\bsearch(?:\s+for)?\s+(.+?)\s+in\s+(?:the\s+)?(?:company\s+)?(?:documents?|docs|files|reports?)\b`),
		regexp.MustCompile(`(?i)\b(?:search|find|look\s+up|look\s+for)\s+(?:for\s+)?(.+?)(?:\s*[,.;!?]|\s+then\b|$)`),
	}
	periodRes = []struct {
		re     *regexp.Regexp
		format func(m []string) string
	}{
		{regexp.MustCompile(`(?i)\b(20\d\d)[\s-]*Q([1-4])\b`), func(m []string) string { return m[1] + "-Q" + m[2] }},
		{regexp.MustCompile(`(?i)\bQ([1-4])[\s-]*(?:FY\s*)?(20\d\d)\b`), func(m []string) string { return m[2] + "-Q" + m[1] }},
		{regexp.MustCompile(`(?i)\bFY[\s-]?(20\d\d)\b`), func(m []string) string { return "FY" + m[1] }},
		{regexp.MustCompile(`(?i)\bQ([1-4])\b`), func(m []string) string { return "Q" + m[1] }},
		{regexp.MustCompile(`(?i)\b(first|second|third|fourth)\s+quarter\b`), func(m []string) string {
			return "Q" + map[string]string{"first": "1", "second": "2", "third": "3", "fourth": "4"}[strings.ToLower(m[1])]
		}},
	}
)

// planCalls decides which tools the prompt asks for: a document search with the query
// phrase, and one financial query per metric named outside that phrase.
func planCalls(prompt string, tools []toolDef) []call {
	ts := findTools(tools)
	var calls []call
	rest := prompt
	if ts.docs != "" && docIntentRe.MatchString(prompt) {
		q := docQuery(prompt)
		calls = append(calls, call{Name: ts.docs, Args: map[string]string{ts.docsParam: q}})
		rest = strings.Replace(rest, q, " ", 1)
	}
	if ts.fin != "" {
		period := findPeriod(prompt)
		for _, m := range ts.findMetrics(rest) {
			args := map[string]string{ts.metric: m}
			if period != "" && ts.period != "" {
				args[ts.period] = period
			}
			calls = append(calls, call{Name: ts.fin, Args: args})
		}
	}
	return calls
}

func docQuery(prompt string) string {
	for _, re := range docQueryRes {
		if m := re.FindStringSubmatch(prompt); m != nil {
			q := strings.TrimSpace(strings.Trim(strings.TrimSpace(m[1]), `"'`))
			q = strings.TrimPrefix(strings.TrimPrefix(q, "the "), "for ")
			if q != "" && !docIntentRe.MatchString(q) {
				return q
			}
		}
	}
	q := docIntentRe.ReplaceAllString(prompt, " ")
	return strings.Join(strings.Fields(strings.Trim(q, " .?!")), " ")
}

func findPeriod(s string) string {
	for _, p := range periodRes {
		if m := p.re.FindStringSubmatch(s); m != nil {
			return p.format(m)
		}
	}
	return ""
}

// findMetrics returns the canonical metric names mentioned in s, in order of appearance.
func (ts toolset) findMetrics(s string) []string {
	lower := strings.ToLower(s)
	taken := make([]bool, len(lower))
	type hit struct {
		at    int
		canon string
	}
	var hits []hit
	seen := map[string]bool{}
	for _, m := range ts.metrics {
		re := regexp.MustCompile(`\b` + regexp.QuoteMeta(m.alias) + `\b`)
		for _, loc := range re.FindAllStringIndex(lower, -1) {
			if taken[loc[0]] || taken[loc[1]-1] {
				continue
			}
			for i := loc[0]; i < loc[1]; i++ {
				taken[i] = true
			}
			if !seen[m.canonical] {
				seen[m.canonical] = true
				hits = append(hits, hit{loc[0], ts.metricValue(m.canonical)})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.canon
	}
	return out
}

// metricValue spells a metric as the tool's schema enumerates it, when it does.
func (ts toolset) metricValue(canon string) string {
	for _, e := range ts.metricEnum {
		if strings.EqualFold(e, canon) {
			return e
		}
	}
	return canon
}
