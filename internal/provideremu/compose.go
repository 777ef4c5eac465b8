package provideremu

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/lumodash/lumodash/internal/chatwire"
)

// The search tool answers "Found N documents matching 'q':\n1. Title (path, score s)\n   snippet…".
var (
	foundRe = regexp.MustCompile(`^Found (\d+) documents? matching '(.*)':`)
	hitRe   = regexp.MustCompile(`(?m)^1\. (.+) \(([^,()]+), score [0-9.]+\)\n\s+(.+)$`)
)

// compose answers from the tool results, one point per call, in call order.
func compose(results []toolResult) string {
	var b strings.Builder
	b.WriteString("Here is what I found.\n\n")
	for _, r := range results {
		b.WriteString("- " + point(r) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func point(r toolResult) string {
	text := strings.TrimSpace(r.text)
	if rest, ok := strings.CutPrefix(text, "Error:"); ok {
		return fmt.Sprintf("**%s** could not give an answer: %s", r.name, firstSentence(strings.TrimSpace(rest)))
	}
	if m := foundRe.FindStringSubmatch(text); m != nil {
		s := fmt.Sprintf("**Documents** on “%s” (%s found)", m[2], m[1])
		if h := hitRe.FindStringSubmatch(text); h != nil {
			s += fmt.Sprintf(": the best match is *%s* (`%s`): %s", h[1], h[2], clip(h[3], 240))
		}
		return s
	}
	if strings.HasPrefix(text, "No documents match") {
		return "The document search found nothing: " + firstSentence(text)
	}
	var a struct{ Metric string }
	_ = json.Unmarshal([]byte(r.args), &a)
	label := r.name
	if a.Metric != "" {
		label = a.Metric
	}
	source := ""
	if isMetricTool(r.name) {
		source = " (financial MCP server)"
	}
	return fmt.Sprintf("**%s**%s: %s", label, source, clip(firstLine(text), 240))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func firstSentence(s string) string {
	s = firstLine(s)
	if i := strings.Index(s, ". "); i > 0 {
		return s[:i+1]
	}
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
	}
	return s[:cut] + "…"
}

// offer is the answer to a prompt no tool fits.
func offer(tools []chatwire.Tool) string {
	if len(tools) == 0 {
		return "I have no tools in this conversation, so I cannot look anything up."
	}
	var names []string
	for _, t := range tools {
		names = append(names, t.Function.Name)
	}
	return "I can look this up with the tools I have (" + strings.Join(names, ", ") +
		"): ask me to search the documents for a topic, or for a metric such as EBITDA for a quarter."
}
