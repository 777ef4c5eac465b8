package tools

import (
	"context"
	"net/http"
)

type (
	callIDKey    struct{}
	transportKey struct{}
)

// WithCallID returns ctx marked with the id of the tool call being run, so that what the call
// does (its MCP requests) can be tied to it, e.g. by a tracing transport. Gate.Call sets it.
func WithCallID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, callIDKey{}, id)
}

// CallID is the tool call id WithCallID put on ctx ("" = none).
func CallID(ctx context.Context) string {
	id, _ := ctx.Value(callIDKey{}).(string)
	return id
}

// WithTransport returns ctx whose MCP HTTP requests go through wrap(base), where base is the
// transport they would use otherwise: how telemetry injects W3C trace context into the MCP
// calls made under ctx.
func WithTransport(ctx context.Context, wrap func(base http.RoundTripper) http.RoundTripper) context.Context {
	return context.WithValue(ctx, transportKey{}, wrap)
}

// transportFor is base, wrapped as the request's context asks (WithTransport).
func transportFor(req *http.Request, base http.RoundTripper) http.RoundTripper {
	if wrap, ok := req.Context().Value(transportKey{}).(func(http.RoundTripper) http.RoundTripper); ok && wrap != nil {
		return wrap(base)
	}
	return base
}
