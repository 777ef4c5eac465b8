package telemetry

import (
	"context"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumodash/lumodash/tools"
)

// Context returns ctx set up so that the MCP calls made under it carry W3C trace context
// (traceparent) for the tool call making them: pass it to the runner's Ask. The tool.call
// event reaches this sink before the gate runs the call, so the call's span is open when
// its MCP requests go out; the gate marks the requests with the call id (tools.WithCallID).
func (t *Telemetry) Context(ctx context.Context) context.Context {
	if t == nil || t.tp == nil {
		return ctx
	}
	return tools.WithTransport(ctx, t.WrapTransport)
}

// WrapTransport returns base with trace context injected into requests made for a traced
// tool call; other requests pass through unchanged.
func (t *Telemetry) WrapTransport(base http.RoundTripper) http.RoundTripper {
	if t == nil || t.tp == nil {
		return base
	}
	return &propagatingTransport{base: base, traces: t.traces}
}

type propagatingTransport struct {
	base   http.RoundTripper
	traces *traceBuilder
}

func (p *propagatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	sc := p.traces.liveMCP(tools.CallID(req.Context()), req)
	if !sc.IsValid() {
		return p.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	propagation.TraceContext{}.Inject(trace.ContextWithSpanContext(r.Context(), sc), propagation.HeaderCarrier(r.Header))
	return p.base.RoundTrip(r)
}

// liveMCP is the span an MCP request for callID is made under: the call's MCP client span,
// started on its first request, so the server's spans are its children. Invalid when no
// tool call with that id is open.
func (b *traceBuilder) liveMCP(callID string, req *http.Request) trace.SpanContext {
	if callID == "" {
		return trace.SpanContext{}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.sessions {
		t := s.tools[callID]
		if t == nil {
			continue
		}
		if t.mcp == nil {
			t.mcp = b.start(s, t.openSpan, mcpMethod, trace.SpanKindClient, time.Now(), semconv.McpMethodNameKey.String(mcpMethod),
				semconv.NetworkProtocolName("http"), semconv.NetworkTransportTCP)
			if host, port, ok := splitHost(req.URL.Host); ok {
				t.mcp.span.SetAttributes(semconv.ServerAddress(host))
				if port > 0 {
					t.mcp.span.SetAttributes(semconv.ServerPort(port))
				}
			}
		}
		if id := req.Header.Get("Mcp-Session-Id"); id != "" {
			t.mcp.span.SetAttributes(semconv.McpSessionIDKey.String(id))
		}
		return t.mcp.span.SpanContext()
	}
	return trace.SpanContext{}
}
