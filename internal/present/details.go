package present

import (
	"fmt"
	"strings"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// Field is one line of an event's details.
type Field struct{ Name, Value string }

// Details lists what is known about an event: request target, status, decoded claims (never
// the raw token: events only carry a summary), timings and error text. Values are safe for
// the terminal.
func Details(e session.Event) []Field {
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
		add("part "+p.Role, p.Name+" · "+p.Host+" · "+PartKind(p))
	}
	if e.Err != nil {
		add("error", ErrText(e.Err))
	}
	add("request", e.Endpoint)
	if e.HTTPStatus != 0 {
		add("status", fmt.Sprint(e.HTTPStatus))
	}
	add("result", string(e.Status))
	add("tool", e.Tool)
	add("call id", e.CallID)
	add("arguments", e.Args)
	add("capability", e.Capability)
	if e.Allowed != nil {
		add("decision", Verdict(*e.Allowed))
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
		add("count", numfmt.Group(int64(e.Count)))
	}
	if e.Duration != 0 {
		add("duration", numfmt.Duration(e.Duration))
	}
	if e.Info != nil {
		add("capabilities", strings.Join(e.Info.Capabilities, ", "))
	}
	if b := e.Budget; b != nil {
		add("tokens today", numfmt.Group(b.TokensUsedToday)+" of "+Limit(b.MaxTokensPerDay)+" · resets "+numfmt.Stamp(b.TokensResetAt))
		add("calls this hour", numfmt.Group(b.APICallsThisHour)+" of "+Limit(b.MaxAPICallsPerHour)+" · resets "+numfmt.Stamp(b.CallsResetAt))
	}
	add("limit", e.Limit)
	if e.Percent != 0 {
		add("percent", numfmt.Percent(e.Percent))
	}
	if !e.ResetsAt.IsZero() {
		add("resets", numfmt.Stamp(e.ResetsAt)+" (in "+Until(e.Time, e.ResetsAt)+")")
	}
	if u := e.Usage; u != nil {
		add("usage", Usage(u))
	}
	if e.Cost != nil {
		add("cost", Cost(e.Cost))
	}
	f = append(f, modelFields(e)...)
	add("request id", e.RequestID)
	add("risk", e.Risk)
	if e.TTL != 0 {
		add("ttl", numfmt.Duration(e.TTL))
	}
	add("outcome", string(e.Outcome))
	add("kind", string(e.Kind))
	add("time", numfmt.Stamp(e.Time))
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
		add("iat", numfmt.Stamp(c.IssuedAt))
	}
	exp := t.ExpiresAt
	if exp.IsZero() {
		exp = c.ExpiresAt
	}
	if !exp.IsZero() {
		add("exp", numfmt.Stamp(exp)+" (in "+Until(at, exp)+")")
	}
	return f
}
