package telemetry

import (
	"cmp"
	"slices"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// toolSpans is one tool call's execute_tool span and its MCP call, which the live
// transport starts on the call's first MCP request (so the server's spans can join it).
type toolSpans struct {
	*openSpan
	mcp *openSpan
}

// toolFor is the open tool call an event belongs to: by its CallID, or, for an event without
// one, the tool call that opened last (the gate runs one call's steps in order).
func (s *sessionSpans) toolFor(callID string) *toolSpans {
	if callID != "" {
		return s.tools[callID]
	}
	if len(s.order) == 0 {
		return nil
	}
	return s.tools[s.order[len(s.order)-1]]
}

func (t *toolSpans) parent() *openSpan {
	if t == nil {
		return nil
	}
	return t.openSpan
}

func (b *traceBuilder) startTool(s *sessionSpans, e session.Event) {
	attrs := []attribute.KeyValue{semconv.GenAIOperationNameExecuteTool, semconv.GenAIToolName(e.Tool),
		semconv.GenAIToolCallID(e.CallID), semconv.GenAIToolType("function"), semconv.GenAIProviderNameOpenAI}
	if b.capture {
		attrs = append(attrs, semconv.GenAIToolCallArgumentsKey.String(e.Args))
	}
	s.tools[e.CallID] = &toolSpans{openSpan: b.start(s, nil, "execute_tool "+e.Tool, trace.SpanKindInternal, e.Time, attrs...)}
	s.order = append(s.order, e.CallID)
	b.noteToolCall(s, e)
}

func (b *traceBuilder) endTool(s *sessionSpans, e session.Event) {
	t := s.toolFor(e.CallID)
	if t == nil {
		return
	}
	id := e.CallID
	if id == "" {
		id = s.order[len(s.order)-1]
	}
	b.end(t.mcp, e.Time, "unfinished", "the tool call ended before its MCP call reported")
	if s.jit != nil && s.jit.callID == id {
		b.endJIT(s, e.Time, "unfinished", "the tool call ended before the JIT request was decided")
	}
	t.span.SetAttributes(attribute.String("lumodash.tool.status", string(e.Status)))
	if e.Count > 0 {
		t.span.SetAttributes(attribute.Int("lumodash.tool.count", e.Count))
	}
	if b.capture {
		t.span.SetAttributes(semconv.GenAIToolCallResultKey.String(e.Text))
		s.history = append(s.history, toolMessage(id, e.Text))
	}
	errType, msg := "", ""
	switch tools.Status(e.Status) {
	case tools.StatusOK:
	case tools.StatusDenied:
		errType, msg = string(tools.StatusDenied), "capability denied"
		if e.Err != nil {
			msg = e.Err.Message
		}
	default:
		errType, msg = errorOf(e.Err, cmp.Or(string(e.Status), string(tools.StatusFailed)))
	}
	b.end(t.openSpan, e.Time, errType, msg)
	delete(s.tools, id)
	s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == id })
}

// gateStep is a child span of the tool call for the capability check, the token exchange
// and the MCP call.
func (b *traceBuilder) gateStep(s *sessionSpans, e session.Event) {
	t := s.toolFor(e.CallID)
	switch e.Kind {
	case session.KindCapabilityCheck:
		b.instant(s, t.parent(), "check_capability "+cmp.Or(e.Capability, "none"), trace.SpanKindInternal, e,
			semconv.GenAIToolName(e.Tool), attribute.String("lumodash.gate.capability", e.Capability),
			attribute.String("lumodash.gate.decision", decision(e)), attribute.String("lumodash.gate.reason", e.Reason),
			attribute.Bool("lumodash.gate.jit_available", e.JITAvailable))
	case session.KindTokenExchange:
		attrs := []attribute.KeyValue{attribute.String("lumodash.exchange.audience", e.Audience),
			attribute.String("lumodash.exchange.result", exchangeResult(e)), attribute.Bool("lumodash.exchange.cached", e.Cached)}
		attrs = append(attrs, tokenAttrs(e.Token)...)
		attrs = append(attrs, httpAttrs(e)...)
		b.instant(s, t.parent(), "exchange_token "+e.Audience, trace.SpanKindClient, e, attrs...)
	case session.KindMCPCall:
		b.mcpCall(s, t, e)
	}
}

func (b *traceBuilder) mcpCall(s *sessionSpans, t *toolSpans, e session.Event) {
	attrs := []attribute.KeyValue{semconv.McpMethodNameKey.String(mcpMethod), semconv.GenAIToolName(e.Tool),
		semconv.GenAIOperationNameExecuteTool, attribute.String("lumodash.mcp.server", e.Server),
		attribute.String("lumodash.mcp.status", string(e.Status))}
	if e.HTTPStatus != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(e.HTTPStatus))
	}
	if e.Text != "" {
		attrs = append(attrs, attribute.Bool("lumodash.mcp.retried", true))
	}
	if host, port, ok := partHost(s.parts, "mcp", e.Server); ok {
		attrs = append(attrs, semconv.ServerAddress(host))
		if port > 0 {
			attrs = append(attrs, semconv.ServerPort(port))
		}
	}
	var o *openSpan
	if t != nil && t.mcp != nil {
		o, t.mcp = t.mcp, nil
	} else {
		o = b.start(s, t.parent(), mcpMethod, trace.SpanKindClient, e.Time.Add(-e.Duration))
	}
	o.span.SetName(mcpMethod + " " + e.Tool)
	o.span.SetAttributes(attrs...)
	b.end(o, e.Time, mcpErrorType(e), cmp.Or(errMessage(e.Err), string(e.Status)))
}

// mcpMethod is the MCP method a gate.mcp event reports: tools call their server's tools.
const mcpMethod = "tools/call"

// mcpErrorType follows the MCP conventions: "tool_error" for an answer with isError (the
// server answered, 2xx), the HTTP status for a refusal, else the error's code.
func mcpErrorType(e session.Event) string {
	switch status := tools.MCPStatus(e.Status); {
	case status == tools.MCPOK:
		return ""
	case e.HTTPStatus >= 400:
		return strconv.Itoa(e.HTTPStatus)
	case status == tools.MCPError && e.HTTPStatus >= 200 && e.HTTPStatus < 300:
		return "tool_error"
	}
	t, _ := errorOf(e.Err, cmp.Or(string(e.Status), string(tools.MCPError)))
	return t
}
