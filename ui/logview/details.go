package logview

import (
	"fmt"
	"strings"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// Field is one line of a row's details.
type Field struct{ Name, Value string }

// Details lists what is known about a row's event: request target, status, decoded claims
// (never the raw token: events only carry a summary), timings and error text. Values are
// safe for the terminal.
func Details(r Row) []Field {
	e := r.Event
	var f []Field
	add := func(name, value string) {
		if value != "" {
			f = append(f, Field{name, safetext.Line(value)})
		}
	}
	if e.Agent != nil {
		add("agent", fmt.Sprintf("%s (%s) · client %s · org %s", e.Agent.Name, e.Agent.ID, e.Agent.ClientID, e.Agent.Organization))
	}
	add("model", e.Model)
	for _, p := range e.Parts {
		add("part "+p.Role, fmt.Sprintf("%s · %s · %s", p.Name, p.Host, embeddedText(p.Embedded)))
	}
	if e.Err != nil {
		add("error", errText(e.Err))
	}
	add("request", e.Endpoint)
	if e.HTTPStatus != 0 {
		add("status", fmt.Sprint(e.HTTPStatus))
	}
	add("result", e.Status)
	add("tool", e.Tool)
	add("call id", e.CallID)
	add("arguments", e.Args)
	add("capability", e.Capability)
	if e.Allowed != nil {
		add("decision", map[bool]string{true: "allow", false: "deny"}[*e.Allowed])
	}
	add("reason", e.Reason)
	if e.JITAvailable {
		add("JIT", "available: the capability can be requested just in time")
	}
	add("audience", e.Audience)
	if e.Kind == session.KindTokenExchange {
		add("cache", map[bool]string{true: "cached token reused", false: "new exchange (RFC 8693)"}[e.Cached])
	}
	if e.Token != nil {
		f = append(f, tokenFields(*e.Token, e.Time)...)
	}
	add("server", e.Server)
	if e.Count != 0 {
		add("count", fmt.Sprint(e.Count))
	}
	if e.Duration != 0 {
		add("duration", Duration(e.Duration))
	}
	if e.Info != nil {
		add("capabilities", strings.Join(e.Info.Capabilities, ", "))
	}
	if e.Budget != nil {
		b := e.Budget
		add("tokens today", fmt.Sprintf("%s of %s · resets %s", Count(b.TokensUsedToday), limitText(b.MaxTokensPerDay), stamp(b.TokensResetAt)))
		add("calls this hour", fmt.Sprintf("%s of %s · resets %s", Count(b.APICallsThisHour), limitText(b.MaxAPICallsPerHour), stamp(b.CallsResetAt)))
	}
	add("limit", e.Limit)
	if e.Percent != 0 {
		add("percent", fmt.Sprintf("%.1f%%", e.Percent))
	}
	if !e.ResetsAt.IsZero() {
		add("resets", stamp(e.ResetsAt)+" (in "+until(e.Time, e.ResetsAt)+")")
	}
	if e.Usage != nil {
		add("usage", fmt.Sprintf("%s prompt + %s completion (%s cached)", Count(e.Usage.PromptTokens), Count(e.Usage.CompletionTokens), Count(e.Usage.CachedTokens)))
	}
	if e.Cost != nil {
		add("cost", CostText(*e.Cost))
	}
	add("request id", e.RequestID)
	add("risk", e.Risk)
	if e.TTL != 0 {
		add("ttl", Duration(e.TTL))
	}
	add("outcome", string(e.Outcome))
	add("kind", string(e.Kind))
	add("time", stamp(e.Time))
	add("seq", fmt.Sprint(e.Seq))
	return f
}

func tokenFields(t auth.TokenSummary, at time.Time) []Field {
	c := t.Claims
	f := []Field{{"token", "fingerprint " + t.Fingerprint + " (the token itself is never shown)"}}
	add := func(name, value string) {
		if value != "" {
			f = append(f, Field{name, safetext.Line(value)})
		}
	}
	add("iss", c.Issuer)
	add("sub", c.Subject)
	add("aud", strings.Join(c.Audience, ", "))
	scope := c.Scope
	if scope == "" {
		scope = t.Scope
	}
	add("scope", scope)
	add("client_id", c.ClientID)
	add("org", c.Org)
	add("token_use", c.TokenUse)
	if !c.IssuedAt.IsZero() {
		add("iat", stamp(c.IssuedAt))
	}
	exp := t.ExpiresAt
	if exp.IsZero() {
		exp = c.ExpiresAt
	}
	if !exp.IsZero() {
		add("exp", stamp(exp)+" (in "+until(at, exp)+")")
	}
	return f
}

// StampLayout is the one time format of the details: UTC, to the second.
const StampLayout = "2006-01-02 15:04:05 UTC"

func stamp(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format(StampLayout)
}

func embeddedText(e bool) string {
	if e {
		return "embedded"
	}
	return "real"
}
