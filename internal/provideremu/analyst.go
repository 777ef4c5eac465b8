package provideremu

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/lumodash/lumodash/internal/chatwire"
)

// The emulated model: a small planner that reads the request like an analyst model would.
// A new prompt gets the tool calls it asks for (several in one turn when it asks for several
// things); tool results get an answer built from what they say. Nothing is canned: the
// figures in an answer are the ones the tools returned.

type call struct{ name, args string }

type reply struct {
	content string
	calls   []call
}

// toolResult is one tool call of the current request and what the client answered.
type toolResult struct{ name, args, text string }

func think(r chatRequest) reply {
	prompt, results := r.exchange()
	if len(results) == 0 {
		if calls := plan(prompt, r.Tools, nil); len(calls) > 0 {
			return reply{calls: calls}
		}
		return reply{content: offer(r.Tools)}
	}
	if again := retryBadArgs(prompt, results, r.Tools); len(again) > 0 {
		return reply{calls: again}
	}
	return reply{content: compose(results)}
}

// exchange is the last user prompt and the tool results that follow it, in call order.
func (r chatRequest) exchange() (string, []toolResult) {
	last := -1
	for i, m := range r.Messages {
		if m.Role == "user" {
			last = i
		}
	}
	if last < 0 {
		return "", nil
	}
	calls := map[string]chatwire.ToolCall{}
	var out []toolResult
	for _, m := range r.Messages[last+1:] {
		for _, c := range m.ToolCalls {
			calls[c.ID] = c
		}
		if m.Role == "tool" {
			c := calls[m.ToolCallID]
			out = append(out, toolResult{name: c.Function.Name, args: c.Function.Arguments, text: m.Text()})
		}
	}
	return r.Messages[last].Text(), out
}

var (
	docQueryRe = regexp.MustCompile(`(?i)\b(?:search|look through|check)\b.*?\b(?:documents?|docs|reports?|files)\s+(?:for|about|on|regarding)\s+(.+?)(?:[,;.]|\bthen\b|\band\b|$)`)
	quarterRe  = regexp.MustCompile(`(?i)\bQ([1-4])(?:\s+(?:FY)?(\d{4}))?\b`)
	yearRe     = regexp.MustCompile(`(?i)\bFY\s?(\d{4})\b`)
	listRe     = regexp.MustCompile(`\(([a-z_]+(?:,\s*[a-z_]+)+)\)`)
)

func isSearchTool(name string) bool {
	return strings.Contains(name, "search") || strings.Contains(name, "document")
}
func isMetricTool(name string) bool {
	return strings.Contains(name, "financial") || strings.Contains(name, "metric")
}

// plan picks the tool calls prompt asks for; only, when set, limits them to those tools.
func plan(prompt string, tools []chatwire.Tool, only []string) []call {
	var calls []call
	for _, t := range tools {
		name := t.Function.Name
		if only != nil && !slices.Contains(only, name) {
			continue
		}
		switch {
		case isSearchTool(name) && (only != nil || mentions(prompt, "search", "document", "report", "memo")):
			calls = append(calls, call{name, args(map[string]string{stringParam(t, "query"): docQuery(prompt)})})
		case isMetricTool(name):
			for _, m := range metricsIn(prompt, t.Function.Description) {
				a := map[string]string{"metric": m.text}
				if p := cmp.Or(period(prompt[m.at:]), period(prompt)); p != "" { // "… for EBITDA in Q3 2026"
					a["period"] = p
				}
				calls = append(calls, call{name, args(a)})
			}
		}
	}
	return calls
}

// retryBadArgs calls again, once, the tools whose arguments the client said were not valid.
func retryBadArgs(prompt string, results []toolResult, tools []chatwire.Tool) []call {
	failed := map[string]int{}
	var again []string
	for _, r := range results {
		bad := strings.Contains(r.text, "not valid JSON") || strings.Contains(r.text, "invalid arguments")
		switch {
		case bad:
			failed[r.name]++
			if failed[r.name] == 1 {
				again = append(again, r.name)
			} else {
				again = slices.DeleteFunc(again, func(n string) bool { return n == r.name })
			}
		case !strings.HasPrefix(r.text, "Error"):
			again = slices.DeleteFunc(again, func(n string) bool { return n == r.name })
		}
	}
	if len(again) == 0 {
		return nil
	}
	return plan(prompt, tools, again)
}

func mentions(s string, words ...string) bool {
	s = strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func docQuery(prompt string) string {
	if m := docQueryRe.FindStringSubmatch(prompt); m != nil {
		return strings.TrimSpace(m[1])
	}
	return strings.TrimSpace(strings.TrimRight(prompt, ".?!"))
}

func period(prompt string) string {
	if m := quarterRe.FindStringSubmatch(prompt); m != nil {
		if m[2] != "" {
			return "Q" + m[1] + " " + m[2]
		}
		return "Q" + m[1]
	}
	if m := yearRe.FindStringSubmatch(prompt); m != nil {
		return "FY" + m[1]
	}
	return ""
}

// metricHit is a metric named in a prompt, in the prompt's spelling, and where.
type metricHit struct {
	at   int
	text string
}

// metricsIn finds the metrics the tool's description lists ("(revenue, gross_profit, …)")
// in prompt, longest names first so "EBITDA margin" is not read as EBITDA.
func metricsIn(prompt, description string) []metricHit {
	m := listRe.FindStringSubmatch(description)
	if m == nil {
		return nil
	}
	names := strings.Split(m[1], ",")
	slices.SortFunc(names, func(a, b string) int { return len(strings.TrimSpace(b)) - len(strings.TrimSpace(a)) })
	lower := strings.ToLower(prompt)
	var hits []metricHit
	for _, n := range names {
		word := strings.ReplaceAll(strings.TrimSpace(n), "_", " ")
		if i := wordIndex(lower, word); i >= 0 {
			hits = append(hits, metricHit{i, prompt[i : i+len(word)]})
			lower = lower[:i] + strings.Repeat("\x00", len(word)) + lower[i+len(word):]
		}
	}
	slices.SortFunc(hits, func(a, b metricHit) int { return a.at - b.at })
	return hits
}

func wordIndex(s, word string) int {
	for from := 0; ; {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(word)
		if (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			return i
		}
		from = i + 1
	}
}

func isWordByte(b byte) bool { return b == '_' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// stringParam is the tool's parameter named prefer, else its first string parameter.
func stringParam(t chatwire.Tool, prefer string) string {
	props, _ := t.Function.Parameters["properties"].(map[string]any)
	if _, ok := props[prefer]; ok || len(props) == 0 {
		return prefer
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if p, _ := props[k].(map[string]any); p["type"] == "string" {
			return k
		}
	}
	return keys[0]
}

func args(m map[string]string) string {
	b, _ := json.Marshal(m)
	return string(b)
}
