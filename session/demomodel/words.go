package demomodel

import (
	"fmt"
	"strings"
	"unicode"
)

func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) < 2 || unicode.IsUpper(r[1]) {
		return s
	}
	return string(unicode.ToLower(r[0])) + string(r[1:])
}

func sentence(msg string) string {
	if strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "!") || strings.HasSuffix(msg, "?") || strings.HasSuffix(msg, "…") {
		return msg
	}
	return msg + "."
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func capabilities(ts toolset) string {
	var can []string
	if ts.docs != "" {
		can = append(can, fmt.Sprintf("search the company documents (%s), e.g. “What did the board memo say about Q4 priorities?”", ts.docs))
	}
	if ts.fin != "" {
		can = append(can, fmt.Sprintf("fetch and compare financial metrics through %s, e.g. “Compare gross margin across FY2024, FY2025 and FY2026” — metrics: %s", ts.fin, strings.Join(ts.metricList(), ", ")))
	}
	intro := "I am the offline demo model (lumodash-demo): a deterministic planner over rules and the tools' results, not a language model."
	if len(can) == 0 {
		return intro + " No tools were offered to me in this request, so I cannot look anything up."
	}
	return intro + " I can " + strings.Join(can, "; and ") + ". Ask about metrics and periods, documents, or both in one request; follow-ups such as “and for Q2?” use the previous answer."
}

func unplanned(prompt string, ts toolset) string {
	return fmt.Sprintf("I did not find a document search or a financial metric in “%s”. %s", quote(prompt, 120), capabilities(ts))
}

// upperFirst capitalises the first letter, for a name that starts a line.
func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return string(unicode.ToUpper(r[0])) + string(r[1:])
}
