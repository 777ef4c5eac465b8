package present

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// Markdown renders a session summary as a readable report. All untrusted text (prompts,
// answers, tool arguments and results, server messages) is sanitised and quoted so it can
// neither inject terminal sequences nor break the Markdown structure.
func Markdown(s session.Summary) string {
	s = displayableSummary(s)
	var b strings.Builder
	agent := "unknown agent"
	if s.Agent != nil {
		agent = inline(cmp.Or(s.Agent.Name, s.Agent.ClientID))
		if s.Agent.ID != "" {
			agent += " (" + inline(s.Agent.ID) + ")"
		}
		if s.Agent.Organization != "" {
			agent += " · " + inline(s.Agent.Organization)
		}
	}
	fmt.Fprintf(&b, "# lumodash session %s\n\n", inline(s.Session))
	fmt.Fprintf(&b, "- **Agent:** %s\n- **Model:** %s\n", agent, inline(s.Model))
	if !s.Started.IsZero() {
		fmt.Fprintf(&b, "- **Started:** %s", numfmt.Stamp(s.Started))
		if !s.Finished.IsZero() {
			fmt.Fprintf(&b, " · **duration** %s", numfmt.Duration(s.Finished.Sub(s.Started)))
		}
		b.WriteString("\n")
	}
	if s.Outcome != "" {
		fmt.Fprintf(&b, "- **Outcome:** %s\n", s.Outcome)
	}
	fmt.Fprintf(&b, "- **Usage:** %s · **cost** %s\n", Usage(&s.Usage), Cost(&s.Cost))
	if p := s.Budget; p != nil && p.MaxTokensPerDay > 0 {
		fmt.Fprintf(&b, "- **Budget:** tokens/day %s", UsedOf(p.TokensUsedToday, p.MaxTokensPerDay))
		if p.MaxAPICallsPerHour > 0 {
			fmt.Fprintf(&b, " · calls/hour %s", UsedOf(p.APICallsThisHour, p.MaxAPICallsPerHour))
		}
		b.WriteString("\n")
	}
	if s.Truncated {
		b.WriteString("- **Note:** the transcript ends with an incomplete line (the session was interrupted); this report covers what was written.\n")
	}
	if len(s.Parts) > 0 {
		b.WriteString("\n## Parts\n\n| role | name | host | |\n|---|---|---|---|\n")
		for _, p := range s.Parts {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", inline(p.Role), inline(p.Name), inline(p.Host), PartKind(p))
		}
	}
	for i, r := range s.Requests {
		fmt.Fprintf(&b, "\n## Request %d\n\n**Prompt**\n\n%s\n", i+1, blockquote(r.Prompt))
		for _, c := range r.ToolCalls {
			writeToolCall(&b, c)
		}
		if r.Answer != "" {
			fmt.Fprintf(&b, "\n**Answer**\n\n%s\n", answerMarkdown(r.Answer))
		}
		fmt.Fprintf(&b, "\n*Outcome %s · %s", cmp.Or(string(r.Outcome), "unfinished"), Plural(r.Turns, "model turn", "model turns"))
		if r.Retries > 0 {
			b.WriteString(" · " + Plural(r.Retries, "retry", "retries"))
		}
		fmt.Fprintf(&b, " · %s · %s*\n", Usage(&r.Usage), Cost(&r.Cost))
		if r.Stop != "" {
			fmt.Fprintf(&b, "\n> **Stopped:** %s\n", inline(r.Stop))
		}
	}
	if len(s.Errors) > 0 {
		b.WriteString("\n## Errors\n\n")
		for _, e := range s.Errors {
			fmt.Fprintf(&b, "- %s%s\n", codePrefix(e.Code), inline(e.Message))
		}
	}
	return b.String()
}

// writeToolCall writes one tool call: its arguments, the gate's steps (each in the words of
// its log line) and the result.
func writeToolCall(b *strings.Builder, c session.ToolSummary) {
	fmt.Fprintf(b, "\n### Tool call `%s` (%s)\n\n", strings.ReplaceAll(safetext.Line(c.Tool), "`", "'"), inline(c.CallID))
	if c.Args != "" {
		fmt.Fprintf(b, "Arguments:\n\n%s\n\n", fence(c.Args, "json"))
	}
	for _, step := range []struct {
		name   string
		events []session.Event
	}{{"Capability check", c.Checks}, {"Just in time", c.JIT}, {"Token exchange", c.Exchanges}, {"MCP call", c.MCP}} {
		for _, e := range step.events {
			fmt.Fprintf(b, "- %s: %s\n", step.name, inline(Summary(e)))
		}
	}
	if c.Status != "" {
		fmt.Fprintf(b, "- Result: **%s**", inline(ToolStatusWord(c.Status)))
		if c.Count > 0 {
			fmt.Fprintf(b, " · %s", Results(c.Count))
		}
		fmt.Fprintf(b, " · %s\n\n%s\n", numfmt.Duration(c.Duration), fence(c.Result, "text"))
	}
}

func codePrefix(code string) string {
	if code == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(safetext.Line(code), "`", "'") + "` "
}

// inline makes untrusted text safe on one Markdown line: no control sequences, no line
// breaks, and Markdown/HTML punctuation escaped.
func inline(s string) string {
	s = safetext.Line(s)
	if !strings.ContainsAny(s, markdownPunctuation) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if strings.ContainsRune(markdownPunctuation, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// markdownPunctuation is what inline escapes.
const markdownPunctuation = "\\`*_[]<>#|!~"

// blockquote quotes multi-line untrusted text.
func blockquote(s string) string {
	lines := strings.Split(strings.TrimRight(safetext.Clean(s), "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + inline(l)
	}
	return strings.Join(lines, "\n")
}

// fence puts untrusted text in a code block whose fence is longer than any backtick run in it.
func fence(s, lang string) string {
	s = safetext.Clean(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	return f + lang + "\n" + strings.TrimRight(s, "\n") + "\n" + f
}

// answerMarkdown puts the model's answer into the report as Markdown, so its emphasis, lists
// and tables read as such, while it cannot take the report apart: control sequences are
// stripped, its headings are moved below the report's own (#### and deeper), raw HTML is
// escaped outside code, and a code fence it leaves open is closed.
func answerMarkdown(s string) string {
	lines := strings.Split(strings.TrimRight(safetext.Clean(s), "\n"), "\n")
	fence := "" // the open fence, if any
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " ")
		if f := fenceOf(trimmed); f != "" && (fence == "" || strings.HasPrefix(trimmed, fence)) {
			if fence == "" {
				fence = f
			} else {
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		if level := len(trimmed) - len(strings.TrimLeft(trimmed, "#")); level > 0 && level <= 6 &&
			(len(trimmed) == level || trimmed[level] == ' ') {
			trimmed = strings.Repeat("#", min(level+3, 6)) + trimmed[level:]
		}
		lines[i] = l[:len(l)-len(strings.TrimLeft(l, " "))] + escapeHTML(trimmed)
	}
	out := strings.Join(lines, "\n")
	if fence != "" {
		out += "\n" + fence
	}
	return out
}

// fenceOf is the code fence a line opens or closes (``` or ~~~, three or more), "" if none.
func fenceOf(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 {
			return strings.Repeat(c, n)
		}
	}
	return ""
}

// escapeHTML escapes '<' outside inline code spans, so no tag of the answer reaches a
// Markdown renderer as HTML.
func escapeHTML(line string) string {
	var b strings.Builder
	inCode := 0 // length of the backtick run that opened the code span
	for i := 0; i < len(line); {
		if line[i] == '`' {
			n := len(line[i:]) - len(strings.TrimLeft(line[i:], "`"))
			switch {
			case inCode == 0:
				inCode = n
			case inCode == n:
				inCode = 0
			}
			b.WriteString(line[i : i+n])
			i += n
			continue
		}
		if line[i] == '<' && inCode == 0 {
			b.WriteString("&lt;")
		} else {
			b.WriteByte(line[i])
		}
		i++
	}
	return b.String()
}
