package devserver

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// problem is a configuration error at a path of keys (string) and list indexes (int).
type problem struct {
	path []any
	msg  string
}

func (p *problem) key() string {
	var b strings.Builder
	for _, e := range p.path {
		switch v := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", v)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

func at(msg string, path ...any) *problem { return &problem{path: path, msg: msg} }

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

var risks = map[string]bool{"low": true, "medium": true, "high": true, "critical": true}

// problem returns the first thing wrong with c (after applyDefaults), or nil.
func (c *Config) problem() *problem {
	if !clientIDPattern.MatchString(c.Organization) {
		return at(fmt.Sprintf("%q is not a valid organisation id (letters, digits, '.', '_', '-')", c.Organization), "organization")
	}
	for _, ttl := range []struct {
		key string
		d   time.Duration
	}{{"token_ttl", c.TokenTTL}, {"exchanged_token_ttl", c.ExchangedTokenTTL}, {"jit_pending_ttl", c.JITPendingTTL}, {"jit_task_ttl", c.JITTaskTTL}, {"approval_ttl", c.ApprovalTTL}} {
		if ttl.d < time.Second || ttl.d > 24*time.Hour {
			return at(fmt.Sprintf("must be between 1s and 24h, got %s", ttl.d), ttl.key)
		}
	}
	if len(c.Agents) == 0 {
		return at("at least one agent is required, e.g. - {client_id: research-analyst, capabilities: [read:documents]}", "agents")
	}
	seen := map[string]bool{}
	for i, a := range c.Agents {
		if p := a.problem(); p != nil {
			p.path = append([]any{"agents", i}, p.path...)
			return p
		}
		if seen[a.ClientID] {
			return at(fmt.Sprintf("duplicate client id %q", a.ClientID), "agents", i, "client_id")
		}
		seen[a.ClientID] = true
	}
	audiences := map[string]bool{}
	for i, r := range c.Resources {
		switch {
		case r.Audience == "":
			return at("audience is required, e.g. urn:mcp:financial-data", "resources", i, "audience")
		case audiences[r.Audience]:
			return at(fmt.Sprintf("duplicate audience %q", r.Audience), "resources", i, "audience")
		case !isToken(r.Capability):
			return at("capability is required (one word, no spaces), e.g. mcp:financial", "resources", i, "capability")
		case strings.TrimSpace(r.Scope) == "":
			return at("scope is required, e.g. financial:read", "resources", i, "scope")
		}
		for j, req := range r.JITRequired {
			if strings.TrimSpace(req.Metric) == "" && strings.TrimSpace(req.Period) == "" {
				return at("name a metric, a period or both, e.g. {metric: headcount}", "resources", i, "jit_required", j)
			}
		}
		for j, req := range r.ApprovalRequired {
			switch {
			case strings.TrimSpace(req.Metric) == "" && strings.TrimSpace(req.Period) == "":
				return at("name a metric, a period or both, e.g. {metric: cash}", "resources", i, "approval_required", j)
			case strings.TrimSpace(req.Reason) == "":
				return at("reason is required: what the approver is asked to allow", "resources", i, "approval_required", j)
			case req.Impact != "" && !risks[req.Impact]:
				return at(fmt.Sprintf("impact must be low, medium, high or critical, got %q", req.Impact), "resources", i, "approval_required", j, "impact")
			}
		}
		audiences[r.Audience] = true
	}
	rules := map[string]bool{}
	for i, r := range c.JITRules {
		switch {
		case !isToken(r.Capability):
			return at("capability is required (one word, no spaces)", "jit_rules", i, "capability")
		case rules[r.Capability]:
			return at(fmt.Sprintf("duplicate rule for %q", r.Capability), "jit_rules", i, "capability")
		case !risks[r.Risk]:
			return at(fmt.Sprintf("risk must be low, medium, high or critical, got %q", r.Risk), "jit_rules", i, "risk")
		}
		rules[r.Capability] = true
	}
	return nil
}

func (a *AgentConfig) problem() *problem {
	if !clientIDPattern.MatchString(a.ClientID) {
		return at(fmt.Sprintf("%q is not a valid client id (1-64 letters, digits, '.', '_', '-')", a.ClientID), "client_id")
	}
	if a.IdentityType != "agent" && a.IdentityType != "user" && a.IdentityType != "service" {
		return at(fmt.Sprintf("must be agent, user or service, got %q", a.IdentityType), "identity_type")
	}
	if strings.ContainsAny(a.Email, " \t\r\n") || (a.Email != "" && !strings.Contains(a.Email, "@")) {
		return at(fmt.Sprintf("%q is not an email address", a.Email), "email")
	}
	if strings.ContainsAny(a.ClientSecret, ":\r\n") {
		return at("must not contain ':' or line breaks", "client_secret")
	}
	for j, c := range a.Capabilities {
		if !isToken(c) {
			return at(fmt.Sprintf("%q is not a capability (one word, no spaces)", c), "capabilities", j)
		}
	}
	b := a.Budget
	for key, v := range map[string]int64{"max_tokens_per_day": b.MaxTokensPerDay, "tokens_used_today": b.TokensUsedToday,
		"max_api_calls_per_hour": b.MaxAPICallsPerHour, "api_calls_this_hour": b.APICallsThisHour} {
		if v < 0 {
			return at(fmt.Sprintf("must not be negative, got %d", v), "budget", key)
		}
	}
	for key, v := range map[string]*float64{"max_cost_per_month_usd": b.MaxCostPerMonthUSD, "require_approval_above_usd": b.RequireApprovalAboveUSD} {
		if v != nil && *v < 0 {
			return at(fmt.Sprintf("must not be negative, got %v", *v), "budget", key)
		}
	}
	return nil
}

func isToken(s string) bool { return s != "" && !strings.ContainsAny(s, " \t\r\n\"\\") }

func derivedAgentID(clientID string) string {
	sum := sha256.Sum256([]byte(clientID))
	return "agt_" + hex.EncodeToString(sum[:6])
}

// lineOf finds the line of path in a YAML document; the deepest node found wins, so a
// missing key points at its parent.
func lineOf(root *yaml.Node, path []any) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, e := range path {
		var next *yaml.Node
		switch v := e.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == v {
						line, next = n.Content[i].Line, n.Content[i+1]
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && v < len(n.Content) {
				next = n.Content[v]
				line = next.Line
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return line
}
