package present

import (
	"cmp"
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
// the raw token: events only carry a summary), timings and error text. Times count from now
// (a live view: "in 4m12s", "3m ago"); with a zero now they are said as they were when the
// event happened ("in 5m at the time"). Values are safe for the terminal.
func Details(e session.Event, now time.Time) []Field {
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
	add(map[bool]string{true: "sent", false: "arguments"}[e.Kind == session.KindMCPCall], e.Args)
	add("capability", e.Capability)
	if e.Allowed != nil {
		add("decision", Verdict(*e.Allowed))
	}
	add("reason", e.Reason)
	if e.JITAvailable {
		add("JIT", "available: the capability can be requested just in time")
	}
	add("audience", e.Audience)
	switch e.Kind {
	case session.KindTokenExchange:
		add("cache", map[bool]string{true: "cached token reused", false: "new exchange (RFC 8693)"}[e.Cached])
		if e.Token != nil {
			f = append(f, exchangeFields(*e.Token)...)
		}
	case session.KindMCPCall:
		add("server", e.Server)
		add("returned", e.Text)
	}
	if e.Token != nil {
		f = append(f, tokenFields(*e.Token, e.Kind, e.Time, now)...)
	}
	if e.Kind != session.KindMCPCall {
		add("server", e.Server)
	}
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
		add("resets", numfmt.Stamp(e.ResetsAt)+" ("+When(e.ResetsAt, e.Time, now)+")")
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
	add("approver", e.Approver)
	if e.TTL != 0 {
		add("ttl", numfmt.Duration(e.TTL))
	}
	if !e.Deadline.IsZero() {
		add(map[bool]string{true: "grant ends", false: "deadline"}[e.Kind == session.KindJITApproved], numfmt.Stamp(e.Deadline)+" ("+When(e.Deadline, e.Time, now)+")")
	}
	add("outcome", string(e.Outcome))
	add("kind", string(e.Kind))
	if !now.IsZero() {
		add("time", numfmt.Stamp(e.Time)+" ("+Ago(e.Time, now)+")")
	} else {
		add("time", numfmt.Stamp(e.Time))
	}
	add("seq", fmt.Sprint(e.Seq))
	return f
}

// exchangeFields are what an RFC 8693 exchange says about the tokens: the subject token it
// traded (by fingerprint) and the token types.
func exchangeFields(t auth.TokenSummary) []Field {
	var f []Field
	if t.SubjectFingerprint != "" {
		f = append(f, Field{"subject token", "fingerprint " + safetext.Line(t.SubjectFingerprint) + " · " + safetext.Line(t.SubjectType)})
	}
	if t.Type != "" {
		f = append(f, Field{"issued type", safetext.Line(t.Type)})
	}
	return f
}

func tokenFields(t auth.TokenSummary, kind session.Kind, at, now time.Time) []Field {
	c := t.Claims
	name := map[session.Kind]string{session.KindTokenExchange: "issued token", session.KindMCPCall: "token presented"}[kind]
	if name == "" {
		name = "token"
	}
	f := []Field{{name, "fingerprint " + t.Fingerprint + " (the token itself is never shown)"}}
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
		add("exp", numfmt.Stamp(exp)+" ("+When(exp, at, now)+")")
	}
	if end := cmp.Or(c.ExpiresAt, exp); !c.IssuedAt.IsZero() && end.After(c.IssuedAt) { // the token's own iat → exp
		add("lifetime", numfmt.Duration(end.Sub(c.IssuedAt)))
	}
	return f
}

// When says how far t is: from now when now is known ("in 4m12s", "3m ago"), else from the
// event's own time, saying so ("in 5m at the time").
func When(t, eventTime, now time.Time) string {
	if now.IsZero() {
		if !t.After(eventTime) {
			return "passed at the time"
		}
		return "in " + numfmt.Duration(t.Sub(eventTime)) + " at the time"
	}
	if !t.After(now) {
		return Ago(t, now)
	}
	return "in " + numfmt.Duration(t.Sub(now))
}

// Ago is how long before now t was: "3m ago", "just now".
func Ago(t, now time.Time) string {
	if d := now.Sub(t); d >= time.Second {
		return numfmt.Duration(d) + " ago"
	}
	return "just now"
}

// DetailsText is an event's details as plain text, for copying: its line, then a field per
// line. It holds what events hold: fingerprints and claims, never a token or a secret.
func DetailsText(line string, fields []Field) string {
	var b strings.Builder
	b.WriteString(safetext.Line(line) + "\n")
	for _, f := range fields {
		fmt.Fprintf(&b, "%-16s %s\n", f.Name, f.Value)
	}
	return b.String()
}
