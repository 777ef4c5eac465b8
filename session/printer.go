package session

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
)

// NewJSONPrinter returns a Sink that writes each event as one JSON line (NDJSON).
func NewJSONPrinter(w io.Writer) Sink {
	p := &jsonPrinter{enc: json.NewEncoder(w)}
	p.enc.SetEscapeHTML(false)
	return p
}

type jsonPrinter struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func (p *jsonPrinter) Emit(e Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.enc.Encode(e)
}

// NewPlainPrinter returns a Sink that writes readable lines: each capability check, token
// exchange and MCP call, and the answer as it streams. Untrusted text is sanitised.
func NewPlainPrinter(w io.Writer) Sink { return &plainPrinter{w: w} }

type plainPrinter struct {
	mu        sync.Mutex
	w         io.Writer
	streaming bool // inside a streamed answer (no newline written yet)
}

func (p *plainPrinter) Emit(e Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Kind == KindModelDelta {
		if !p.streaming {
			fmt.Fprint(p.w, "analyst › ")
			p.streaming = true
		}
		fmt.Fprint(p.w, safetext.Clean(e.Text))
		return
	}
	line := PlainLine(e)
	if line == "" {
		return
	}
	if p.streaming {
		fmt.Fprintln(p.w)
		p.streaming = false
	}
	fmt.Fprintln(p.w, line)
}

// PlainLine renders one event as a readable, sanitised line ("" for events not shown).
func PlainLine(e Event) string {
	l := safetext.Line
	errText := func() string {
		if e.Err == nil {
			return ""
		}
		return ": " + l(e.Err.Message)
	}
	switch e.Kind {
	case KindSessionStart:
		s := fmt.Sprintf("SESSION %s · model %s", e.Session, l(e.Model))
		if e.Agent != nil {
			s += " · agent " + l(e.Agent.Name)
		}
		for _, p := range e.Parts {
			s += fmt.Sprintf(" · %s %s", p.Role, l(p.Name))
			if p.Embedded {
				s += " (embedded)"
			}
		}
		return s
	case KindPrompt:
		return "you › " + l(e.Text)
	case KindAuthToken:
		if e.Status == "failed" {
			return "AUTH    token failed" + errText()
		}
		return "AUTH    " + l(cmp.Or(e.Text, "token "+e.Status)) + tokenNote(e)
	case KindInfoRefreshed:
		if e.Err != nil {
			return "INFO    userinfo failed" + errText()
		}
		if e.Info == nil {
			return ""
		}
		s := fmt.Sprintf("INFO    %s · capabilities: %s", l(e.Info.Name), l(strings.Join(e.Info.Capabilities, ", ")))
		if b := e.Info.Budget; b.MaxTokensPerDay > 0 {
			s += fmt.Sprintf(" · tokens/day %s of %s", numfmt.Group(b.TokensUsedToday), numfmt.Group(b.MaxTokensPerDay))
		}
		return s
	case KindCapabilityCheck:
		verdict := "deny"
		if e.Allowed != nil && *e.Allowed {
			verdict = "allow"
		}
		s := fmt.Sprintf("CAP     %s needs %s → %s (%s)", l(e.Tool), l(cmp.Or(e.Capability, "nothing")), verdict, l(e.Reason))
		if e.JITAvailable {
			s += " · JIT available"
		}
		return s
	case KindTokenExchange:
		if e.Status == "failed" {
			return fmt.Sprintf("XCHG    %s failed%s", l(e.Audience), errText())
		}
		return fmt.Sprintf("XCHG    %s · %s%s", l(e.Audience), e.Status, tokenNote(e))
	case KindMCPCall:
		return fmt.Sprintf("MCP     %s %s → %s · %s%s", l(e.Server), l(e.Tool), l(e.Status), shortDuration(e.Duration), errText())
	case KindToolCall:
		return fmt.Sprintf("TOOL    %s(%s)", l(e.Tool), l(e.Args))
	case KindToolResult:
		mark := map[string]string{"ok": "✓", "denied": "✗ denied", "failed": "✗ failed"}[e.Status]
		s := fmt.Sprintf("        %s %s", cmp.Or(mark, e.Status), l(e.Tool))
		if e.Count > 0 {
			s += fmt.Sprintf(" · %d", e.Count)
		}
		if e.Status != "ok" {
			s += " · " + l(e.Text)
		}
		return s
	case KindModelResponse:
		return fmt.Sprintf("MODEL   turn %d · %s · %s · %s", e.Turn, usageText(e.Usage), costText(e.Cost), shortDuration(e.Duration))
	case KindModelRetry:
		return fmt.Sprintf("RETRY   turn %d attempt %d in %s%s", e.Turn, e.Attempt, e.Delay.Round(time.Millisecond), errText())
	case KindModelNotice:
		return "NOTICE  " + l(e.Text)
	case KindContextTrim:
		return "CONTEXT " + l(e.Text)
	case KindBudgetWarning:
		return "BUDGET  warning: " + l(e.Text)
	case KindBudgetExhausted:
		return "BUDGET  " + l(e.Text)
	case KindUsageReported:
		if e.Status == "ok" {
			return ""
		}
		return "USAGE   " + e.Status + ": " + l(e.Text) + errText()
	case KindJITRequested, KindJITPending, KindJITApproved, KindJITDenied, KindJITCompleted:
		return "JIT     " + l(jitText(e)) + errText()
	case KindJITCall:
		if e.Err == nil {
			return "" // the HTTP side: in the transcript and --json, not in the plain log
		}
		return "JIT     " + l(jitText(e)) + errText()
	case KindError:
		return "ERROR   " + strings.TrimPrefix(errText(), ": ")
	case KindRequestFinish:
		s := fmt.Sprintf("DONE    %s · request %s · %s · session %s · %s", e.Outcome, usageText(e.Usage), costText(e.Cost), usageText(e.SessionUse), costText(e.SessionCost))
		if e.Outcome != OutcomeOK && e.Outcome != OutcomeBudgetExhausted && e.Err != nil {
			s += errText()
		}
		return s
	case KindSessionFinish:
		return fmt.Sprintf("END     session %s · %s · %s", e.Session, usageText(e.SessionUse), costText(e.SessionCost))
	}
	return ""
}

func tokenNote(e Event) string {
	if e.Token == nil {
		return ""
	}
	s := " · fp " + e.Token.Fingerprint
	if e.Token.Scope != "" {
		s += " · scope " + safetext.Line(e.Token.Scope)
	}
	return s
}

func usageText(u *Usage) string {
	if u == nil {
		return "0 tokens"
	}
	s := fmt.Sprintf("%s tokens (%s in / %s out", numfmt.Group(u.Total()), numfmt.Group(u.PromptTokens), numfmt.Group(u.CompletionTokens))
	if u.CachedTokens > 0 {
		s += fmt.Sprintf(", %s cached", numfmt.Group(u.CachedTokens))
	}
	s += ")"
	if u.Estimated {
		s += " est."
	}
	return s
}

func costText(c *Cost) string {
	if c == nil {
		return "no usage"
	}
	return c.String()
}
