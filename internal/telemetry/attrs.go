package telemetry

import (
	"cmp"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
)

// errorOf is an event error as the span's error.type and status message; fallback is the
// type when the error has no code (and the error is implied, e.g. a denied call).
func errorOf(e *session.ErrorInfo, fallback string) (errType, message string) {
	if e == nil {
		return fallback, fallback
	}
	errType = e.Code
	if errType == "" && e.Status != 0 {
		errType = strconv.Itoa(e.Status)
	}
	return cmp.Or(errType, fallback, semconv.ErrorTypeOther.Value.AsString()), e.Message
}

func errMessage(e *session.ErrorInfo) string {
	if e == nil {
		return ""
	}
	return e.Message
}

func usageAttrs(u session.Usage) []attribute.KeyValue {
	attrs := []attribute.KeyValue{semconv.GenAIUsageInputTokens(int(u.PromptTokens)), semconv.GenAIUsageOutputTokens(int(u.CompletionTokens))}
	if u.CachedTokens > 0 {
		attrs = append(attrs, semconv.GenAIUsageCacheReadInputTokens(int(u.CachedTokens)))
	}
	if u.Estimated {
		attrs = append(attrs, attribute.Bool("lumodash.usage.estimated", true))
	}
	return attrs
}

// costAttrs says what a call or request cost, or why it has no price.
func costAttrs(c *session.Cost) []attribute.KeyValue {
	switch {
	case c == nil:
		return nil
	case c.Priced:
		return []attribute.KeyValue{attribute.Float64("lumodash.cost.usd", c.USD)}
	}
	return []attribute.KeyValue{attribute.String("lumodash.cost.note", cmp.Or(c.Note, "unpriced"))}
}

// tokenAttrs describe a token by its fingerprint, scope and expiry: never the token, and
// not its claims (they name the subject and the token id).
func tokenAttrs(t *auth.TokenSummary) []attribute.KeyValue {
	if t == nil {
		return nil
	}
	attrs := []attribute.KeyValue{attribute.String("lumodash.token.fingerprint", t.Fingerprint)}
	if t.Scope != "" {
		attrs = append(attrs, attribute.String("lumodash.token.scope", t.Scope))
	}
	if !t.ExpiresAt.IsZero() {
		attrs = append(attrs, attribute.String("lumodash.token.expires_at", t.ExpiresAt.UTC().Format(time.RFC3339)))
	}
	return attrs
}

// httpAttrs are the HTTP request an auth event made (method and path, no query) and its status.
func httpAttrs(e session.Event) []attribute.KeyValue {
	var attrs []attribute.KeyValue
	if method, path, ok := strings.Cut(e.Endpoint, " "); ok {
		attrs = append(attrs, semconv.HTTPRequestMethodKey.String(method), semconv.URLPathKey.String(path))
	}
	if e.HTTPStatus != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(e.HTTPStatus))
	}
	return attrs
}

// decision is a capability check's result as exported: "allow" or "deny".
func decision(e session.Event) string {
	if e.Allowed != nil && *e.Allowed {
		return "allow"
	}
	return "deny"
}

func exchangeResult(e session.Event) string {
	switch {
	case e.Status != "":
		return string(e.Status)
	case e.Err != nil:
		return string(session.ExchangeFailed)
	case e.Cached:
		return string(session.ExchangeCached)
	}
	return string(session.ExchangeNew)
}

// partHost is the host and port of the session part with role (and, when given, name).
func partHost(parts []session.Part, role, name string) (host string, port int, ok bool) {
	for _, p := range parts {
		if p.Role != role || (name != "" && p.Name != name) || p.Host == "" {
			continue
		}
		return splitHost(p.Host)
	}
	return "", 0, false
}

// splitHost reads "host:port", "host" or a URL.
func splitHost(s string) (host string, port int, ok bool) {
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		s = u.Host
	}
	h, p, err := net.SplitHostPort(s)
	if err != nil {
		return s, 0, s != ""
	}
	port, _ = strconv.Atoi(p)
	return h, port, h != ""
}
