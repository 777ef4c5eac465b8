package demomodel

import (
	"regexp"
	"sort"
	"strings"
)

// toolset is what the planner knows about the tools a request offered: which one searches
// documents and which one returns financial metrics, their parameter names, and the metric
// names the schema and the data set's vocabulary give.
type toolset struct {
	docs, docsParam     string // search tool and its query parameter
	fin, metric, period string // financial tool and its parameter names ("" when absent)
	metricEnum          []string
	metrics             []metricName // longest alias first, so "ebitda margin" wins over "ebitda"
}

var (
	metricListRe  = regexp.MustCompile(`(?i)metrics?\b[^(:.]{0,30}[(:]\s*([^.)\n]+)`)
	metricListSep = regexp.MustCompile(`,|;|/|\bor\b|\band\b`)
)

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
	ts.metrics = append(ts.metrics, vocabularyMetrics()...)
	for _, e := range ts.metricEnum {
		ts.metrics = append(ts.metrics, metricName{strings.ToLower(e), strings.ToLower(strings.ReplaceAll(e, "_", " "))})
	}
	sort.SliceStable(ts.metrics, func(i, j int) bool { return len(ts.metrics[i].alias) > len(ts.metrics[j].alias) })
	return ts
}

// addDescribedMetrics picks up metric names listed in a tool description ("Metrics: a, b").
func (ts *toolset) addDescribedMetrics(desc string) {
	m := metricListRe.FindStringSubmatch(desc)
	if m == nil {
		return
	}
	for _, name := range metricListSep.Split(m[1], -1) {
		name = strings.ToLower(strings.Trim(strings.TrimSpace(name), "`'\""))
		if name == "" || len(name) > 40 {
			continue
		}
		ts.metrics = append(ts.metrics, metricName{strings.ReplaceAll(name, " ", "_"), strings.ReplaceAll(name, "_", " ")})
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

// metricValue spells a metric as the tool's schema enumerates it, when it does.
func (ts toolset) metricValue(canon string) string {
	for _, e := range ts.metricEnum {
		if strings.EqualFold(e, canon) {
			return e
		}
	}
	return canon
}

// metricList is the canonical metric names, sorted.
func (ts toolset) metricList() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ts.metrics {
		if !seen[m.canonical] {
			seen[m.canonical] = true
			out = append(out, m.canonical)
		}
	}
	sort.Strings(out)
	return out
}
