package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
)

// stepLine renders one gate step for `lumodash call`, e.g.
//
//	check     query_financial_mcp  mcp:financial → deny  (agent lacks 'mcp:financial')
func stepLine(s tools.Step) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-9s %s  ", s.Kind, s.Tool)
	switch s.Kind {
	case tools.StepCheck:
		verdict := "allow"
		if !s.Allowed {
			verdict = "deny"
		}
		if s.Capability == "" {
			fmt.Fprintf(&b, "%s (%s)", verdict, s.Reason)
		} else {
			fmt.Fprintf(&b, "%s → %s (%s)", s.Capability, verdict, s.Reason)
		}
		if s.JITAvailable {
			b.WriteString(" · JIT available")
		}
	case tools.StepExchange:
		fmt.Fprintf(&b, "%s → ", s.Audience)
		if s.Err != nil {
			fmt.Fprintf(&b, "failed: %s", s.Reason)
			break
		}
		how := "new"
		if s.Cached {
			how = "cached"
		}
		fmt.Fprintf(&b, "%s token %s", how, tokenLine(s.Credential))
	case tools.StepMCP:
		if m := s.MCP; m != nil {
			fmt.Fprintf(&b, "%s %s → %s", m.Server, m.Tool, m.Status)
			if m.HTTP != 0 {
				fmt.Fprintf(&b, " · HTTP %d", m.HTTP)
			}
			fmt.Fprintf(&b, " · %s", numfmt.Duration(m.Duration))
			if m.Retried {
				b.WriteString(" · re-exchanged after 401")
			}
		}
	case tools.StepResult:
		fmt.Fprintf(&b, "%s", s.Status)
		if s.Count > 0 {
			fmt.Fprintf(&b, " · %s", present.Results(s.Count))
		}
		fmt.Fprintf(&b, " · %s", numfmt.Duration(s.Duration))
	}
	return safetext.Line(b.String())
}

func tokenLine(t *auth.TokenSummary) string {
	if t == nil {
		return ""
	}
	parts := []string{t.Fingerprint}
	if len(t.Claims.Audience) > 0 {
		parts = append(parts, "aud "+strings.Join(t.Claims.Audience, ","))
	}
	if t.Scope != "" {
		parts = append(parts, "scope "+t.Scope)
	}
	if !t.ExpiresAt.IsZero() {
		parts = append(parts, "expires "+t.ExpiresAt.Format(time.RFC3339))
	}
	return strings.Join(parts, " · ")
}

// stepJSON is one NDJSON line of `lumodash call --json`. Tokens appear only as summaries.
type stepJSON struct {
	Step         string             `json:"step"`
	Tool         string             `json:"tool"`
	CallID       string             `json:"call_id,omitempty"`
	Capability   string             `json:"capability,omitempty"`
	Allowed      *bool              `json:"allowed,omitempty"`
	Reason       string             `json:"reason,omitempty"`
	JITAvailable bool               `json:"jit_available,omitempty"`
	Audience     string             `json:"audience,omitempty"`
	Cached       *bool              `json:"cached,omitempty"`
	Token        *auth.TokenSummary `json:"token,omitempty"`
	MCP          *mcpJSON           `json:"mcp,omitempty"`
	Status       string             `json:"status,omitempty"`
	Text         string             `json:"text,omitempty"`
	Count        int                `json:"count,omitempty"`
	DurationMS   float64            `json:"duration_ms,omitempty"`
	Error        string             `json:"error,omitempty"`
}

type mcpJSON struct {
	Server     string  `json:"server"`
	Tool       string  `json:"tool"`
	Status     string  `json:"status"`
	HTTP       int     `json:"http_status,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	Retried    bool    `json:"retried,omitempty"`
}

func stepJSONOf(s tools.Step) stepJSON {
	j := stepJSON{Step: string(s.Kind), Tool: s.Tool, CallID: s.CallID, Reason: s.Reason, JITAvailable: s.JITAvailable}
	switch s.Kind {
	case tools.StepCheck:
		allowed := s.Allowed
		j.Capability, j.Allowed = s.Capability, &allowed
	case tools.StepExchange:
		cached := s.Cached
		j.Audience, j.Token = s.Audience, s.Credential
		if s.Err == nil {
			j.Cached = &cached
		}
	case tools.StepMCP:
		if m := s.MCP; m != nil {
			j.MCP = &mcpJSON{Server: m.Server, Tool: m.Tool, Status: string(m.Status), HTTP: m.HTTP, DurationMS: ms(m.Duration), Retried: m.Retried}
		}
	case tools.StepResult:
		j.Status, j.Text, j.Count, j.DurationMS = string(s.Status), s.Text, s.Count, ms(s.Duration)
	}
	if s.Err != nil {
		j.Error = safetext.Line(s.Err.Error())
	}
	return j
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
