package demomodel

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// compose writes the final answer from the tool results it received, quoting them: titles
// and figures come only from the results, and a denied or failed call is said plainly.
func compose(calls []toolCall, results map[string]string, tools []toolDef) string {
	ts := findTools(tools)
	var parts []string
	var missing []string
	for _, c := range calls {
		res, ok := results[c.ID]
		args := map[string]any{}
		_ = json.Unmarshal([]byte(c.Function.Arguments), &args)
		what := describeCall(c.Function.Name, args, ts)
		status, msg := classify(res)
		switch {
		case !ok:
			parts = append(parts, fmt.Sprintf("I got no result for %s.", what))
		case status == "denied":
			parts = append(parts, fmt.Sprintf("I could not %s: access was denied — “%s”", what, sentence(msg)))
			missing = append(missing, shortName(c.Function.Name, args, ts))
		case status == "failed":
			parts = append(parts, fmt.Sprintf("The attempt to %s failed — “%s”", what, sentence(msg)))
			missing = append(missing, shortName(c.Function.Name, args, ts))
		case c.Function.Name == ts.docs:
			parts = append(parts, describeDocs(fmt.Sprint(args[ts.docsParam]), res))
		case c.Function.Name == ts.fin:
			parts = append(parts, fmt.Sprintf("The financial MCP server reports: **%s**", quote(res, 400)))
		default:
			parts = append(parts, fmt.Sprintf("From the %s result: %s", c.Function.Name, quote(res, 400)))
		}
	}
	if len(missing) > 0 {
		parts = append(parts, "So this answer is incomplete: it leaves out "+strings.Join(missing, " and ")+".")
	}
	return strings.Join(parts, "\n\n")
}

func describeCall(name string, args map[string]any, ts toolset) string {
	switch name {
	case ts.docs:
		return fmt.Sprintf("search the company documents for %q", fmt.Sprint(args[ts.docsParam]))
	case ts.fin:
		s := fmt.Sprintf("query the financial MCP server for %v", args[ts.metric])
		if p, ok := args[ts.period]; ok && p != "" {
			s += fmt.Sprintf(" (%v)", p)
		}
		return s
	}
	return "call " + name
}

// shortName names what a failed call would have contributed, e.g. "the ebitda figure (Q3)".
func shortName(name string, args map[string]any, ts toolset) string {
	switch name {
	case ts.docs:
		return "the document search results"
	case ts.fin:
		s := fmt.Sprintf("the %v figure", args[ts.metric])
		if p, ok := args[ts.period]; ok && p != "" {
			s += fmt.Sprintf(" (%v)", p)
		}
		return s
	}
	return "the result of " + name
}

// sentence closes msg with a full stop unless it already ends a sentence.
func sentence(msg string) string {
	if strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "!") || strings.HasSuffix(msg, "?") {
		return msg
	}
	return msg + "."
}

// classify reads the status the runner prefixed to a tool result ("DENIED: …", "ERROR: …",
// or the seed's "Error: …").
func classify(res string) (status, msg string) {
	t := strings.TrimSpace(res)
	upper := strings.ToUpper(t)
	switch {
	case strings.HasPrefix(upper, "DENIED:"):
		return "denied", strings.TrimSpace(t[len("DENIED:"):])
	case strings.HasPrefix(upper, "ERROR:"):
		msg = strings.TrimSpace(t[len("ERROR:"):])
		if strings.Contains(strings.ToLower(msg), "lacks") || strings.Contains(strings.ToLower(msg), "denied") {
			return "denied", msg
		}
		return "failed", msg
	}
	return "ok", t
}

var (
	listItemRe = regexp.MustCompile(`^\s*(?:\d+[.)]|[-*•])\s+(.+)$`)
	titleCutRe = regexp.MustCompile(`\s+(?:—|–|\|)\s+|\s+\(`)
	countRe    = regexp.MustCompile(`(?i)\b(?:found|matched)\s+(\d+)\b`)
)

// describeDocs lists the documents a search returned as a Markdown list, the best one with
// the passage the search quoted under it (one passage keeps the answer short enough to read
// beside the tool calls on a dashboard).
func describeDocs(q, res string) string {
	type hit struct{ title, passage string }
	var hits []hit
	for _, line := range strings.Split(res, "\n") {
		if m := listItemRe.FindStringSubmatch(line); m != nil {
			title := strings.TrimSpace(m[1])
			if loc := titleCutRe.FindStringIndex(title); loc != nil && loc[0] > 0 {
				title = title[:loc[0]]
			}
			if title = strings.Trim(title, "*#\"' "); title != "" && len(hits) < 5 {
				hits = append(hits, hit{title: title})
			}
			continue
		}
		if l := strings.TrimSpace(line); l != "" && len(hits) == 1 && hits[0].passage == "" && !countRe.MatchString(l) {
			hits[0].passage = quote(l, 160)
		}
	}
	if len(hits) == 0 {
		return fmt.Sprintf("The document search for %q returned: %s", q, quote(res, 400))
	}
	n := len(hits)
	if m := countRe.FindStringSubmatch(res); m != nil {
		fmt.Sscan(m[1], &n)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The document search for %q found %d document(s):\n", q, n)
	for _, h := range hits {
		fmt.Fprintf(&b, "\n- **%s**", h.title)
		if h.passage != "" {
			fmt.Fprintf(&b, " — “%s”", h.passage)
		}
	}
	return b.String()
}

func quote(s string, max int) string {
	s = strings.TrimSpace(s)
	if len(s) > max {
		cut := strings.LastIndex(s[:max], " ")
		if cut < max/2 {
			cut = max
		}
		s = s[:cut] + " …"
	}
	return s
}

// capabilities says what the demo model can do with the tools it was offered.
func capabilities(tools []toolDef) string {
	ts := findTools(tools)
	var can []string
	if ts.docs != "" {
		can = append(can, fmt.Sprintf("search the company documents (%s), e.g. “Search documents for Q3 performance”", ts.docs))
	}
	if ts.fin != "" {
		can = append(can, fmt.Sprintf("query financial metrics through the secured MCP server (%s), e.g. “What was EBITDA in Q3?” — metrics: %s", ts.fin, strings.Join(ts.metricList(), ", ")))
	}
	intro := "I am the offline demo model (lumodash-demo): a deterministic planner, not a language model."
	if len(can) == 0 {
		return intro + " No tools were offered to me in this session, so I cannot look anything up."
	}
	return intro + " I can " + strings.Join(can, "; and ") + ". Ask for documents, a metric and a period, or both in one request."
}

func unplanned(prompt string, tools []toolDef) string {
	return fmt.Sprintf("I did not find a document search or a financial metric in %q. %s", quote(prompt, 120), capabilities(tools))
}

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
