package session

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
)

// Markdown renders the summary as a readable report. All untrusted text (prompts, answers,
// tool arguments and results, server messages) is sanitised and quoted so it can neither
// inject terminal sequences nor break the Markdown structure.
func (s Summary) Markdown() string {
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
		fmt.Fprintf(&b, "- **Started:** %s", s.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
		if !s.Finished.IsZero() {
			fmt.Fprintf(&b, " · **duration** %s", s.Finished.Sub(s.Started).Round(time.Millisecond))
		}
		b.WriteString("\n")
	}
	if s.Outcome != "" {
		fmt.Fprintf(&b, "- **Outcome:** %s\n", s.Outcome)
	}
	fmt.Fprintf(&b, "- **Usage:** %s · **cost** %s\n", usageText(&s.Usage), s.Cost)
	if p := s.Budget; p != nil && p.MaxTokensPerDay > 0 {
		fmt.Fprintf(&b, "- **Budget:** tokens/day %s of %s", numfmt.Group(p.TokensUsedToday), numfmt.Group(p.MaxTokensPerDay))
		if p.MaxAPICallsPerHour > 0 {
			fmt.Fprintf(&b, " · calls/hour %s of %s", numfmt.Group(p.APICallsThisHour), numfmt.Group(p.MaxAPICallsPerHour))
		}
		b.WriteString("\n")
	}
	if s.Truncated {
		b.WriteString("- **Note:** the transcript ends with an incomplete line (the session was interrupted); this report covers what was written.\n")
	}
	if len(s.Parts) > 0 {
		b.WriteString("\n## Parts\n\n| role | name | host | |\n|---|---|---|---|\n")
		for _, p := range s.Parts {
			kind := "real"
			if p.Embedded {
				kind = "embedded"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", cell(p.Role), cell(p.Name), cell(p.Host), kind)
		}
	}
	for i, r := range s.Requests {
		fmt.Fprintf(&b, "\n## Request %d\n\n**Prompt**\n\n%s\n", i+1, blockquote(r.Prompt))
		for _, c := range r.ToolCalls {
			writeToolCall(&b, c)
		}
		if r.Answer != "" {
			fmt.Fprintf(&b, "\n**Answer**\n\n%s\n", blockquote(r.Answer))
		}
		fmt.Fprintf(&b, "\n*Outcome %s · %d model turn(s)", cmp.Or(string(r.Outcome), "unfinished"), r.Turns)
		if r.Retries > 0 {
			fmt.Fprintf(&b, " · %d retr%s", r.Retries, map[bool]string{true: "y", false: "ies"}[r.Retries == 1])
		}
		fmt.Fprintf(&b, " · %s · %s*\n", usageText(&r.Usage), r.Cost)
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

func writeToolCall(b *strings.Builder, c ToolSummary) {
	fmt.Fprintf(b, "\n### Tool call `%s` (%s)\n\n", strings.ReplaceAll(safetext.Line(c.Tool), "`", "'"), inline(c.CallID))
	if c.Args != "" {
		fmt.Fprintf(b, "Arguments:\n\n%s\n\n", fence(c.Args, "json"))
	}
	for _, e := range c.Checks {
		verdict := "**deny**"
		if e.Allowed != nil && *e.Allowed {
			verdict = "allow"
		}
		fmt.Fprintf(b, "- Capability check: %s → %s — %s", inline(cmp.Or(e.Capability, "none required")), verdict, inline(e.Reason))
		if e.JITAvailable {
			b.WriteString(" (JIT available)")
		}
		b.WriteString("\n")
	}
	for _, e := range c.Exchanges {
		fmt.Fprintf(b, "- Token exchange: %s · %s", inline(e.Audience), e.Status)
		if e.Token != nil {
			fmt.Fprintf(b, " · token %s", inline(e.Token.Fingerprint))
			if e.Token.Scope != "" {
				fmt.Fprintf(b, " · scope %s", inline(e.Token.Scope))
			}
			if !e.Token.ExpiresAt.IsZero() {
				fmt.Fprintf(b, " · expires %s", e.Token.ExpiresAt.UTC().Format("15:04:05 UTC"))
			}
		}
		if e.Err != nil {
			fmt.Fprintf(b, " · error: %s", inline(e.Err.Message))
		}
		b.WriteString("\n")
	}
	for _, e := range c.MCP {
		fmt.Fprintf(b, "- MCP call: %s %s → %s", inline(e.Server), inline(e.Tool), inline(e.Status))
		if e.HTTPStatus != 0 {
			fmt.Fprintf(b, " · HTTP %d", e.HTTPStatus)
		}
		fmt.Fprintf(b, " · %s\n", shortDuration(e.Duration))
	}
	if c.Status != "" {
		fmt.Fprintf(b, "- Result: **%s**", inline(c.Status))
		if c.Count > 0 {
			fmt.Fprintf(b, " · %d", c.Count)
		}
		fmt.Fprintf(b, " · %s\n\n%s\n", shortDuration(c.Duration), fence(c.Result, "text"))
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
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|!~", r) {
			b.WriteRune('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func cell(s string) string { return inline(s) }

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

// shortDuration rounds d for people: 12ms, 420µs.
func shortDuration(d time.Duration) string {
	if d < time.Millisecond {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}
