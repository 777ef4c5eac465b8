package telemetry

import (
	"cmp"
	"time"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// jitSpan is a just-in-time request: from its first JIT API call (which comes before the
// flow reports jit.requested) to its decision, under the tool call that needed it.
type jitSpan struct {
	*openSpan
	callID string
	named  bool // jit.requested has named it
}

// jitStep spans a just-in-time request with the JIT API's HTTP calls as its children.
func (b *traceBuilder) jitStep(s *sessionSpans, e session.Event) {
	switch e.Kind {
	case session.KindJITRequested:
		if s.jit != nil && s.jit.named {
			b.endJIT(s, e.Time, "superseded", "another JIT request started")
		}
		if s.jit == nil {
			b.openJIT(s, e.CallID, e.Time)
		}
		s.jit.named = true
		s.jit.span.SetName("request_jit " + e.Capability)
		s.jit.span.SetAttributes(attribute.String("lumodash.jit.capability", e.Capability), attribute.String("lumodash.jit.request_id", e.RequestID),
			attribute.String("lumodash.jit.risk", e.Risk), semconv.GenAIToolName(e.Tool))
		if b.capture && e.Text != "" {
			s.jit.span.SetAttributes(attribute.String("lumodash.jit.justification", e.Text))
		}
	case session.KindJITPending:
		if s.jit != nil {
			s.jit.span.AddEvent("jit.pending", trace.WithTimestamp(e.Time), trace.WithAttributes(
				attribute.String("lumodash.jit.deadline", e.Deadline.UTC().Format(time.RFC3339))))
		}
	case session.KindJITApproved, session.KindJITDenied:
		if s.jit == nil {
			return
		}
		s.jit.span.SetAttributes(attribute.String("lumodash.jit.result", string(cmp.Or(e.Status, session.Status(tools.JITStageApproved)))), attribute.String("lumodash.jit.request_id", e.RequestID))
		if e.TTL > 0 {
			s.jit.span.SetAttributes(attribute.Float64("lumodash.jit.ttl_s", e.TTL.Seconds()))
		}
		if b.capture && e.Reason != "" {
			s.jit.span.SetAttributes(attribute.String("lumodash.jit.notes", e.Reason))
		}
		errType, msg := "", ""
		if stage := tools.JITStage(e.Status); stage == tools.JITStageFailed || stage == tools.JITStageTimeout {
			errType, msg = errorOf(e.Err, string(stage))
		}
		b.endJIT(s, e.Time, errType, msg)
	case session.KindJITCall:
		if s.jit == nil && (e.Status == "task" || e.Status == "requested") && s.toolFor(e.CallID) != nil {
			b.openJIT(s, e.CallID, e.Time.Add(-e.Duration))
		}
		var parent *openSpan
		if s.jit != nil {
			parent = s.jit.openSpan
		} else {
			parent = s.toolFor(e.CallID).parent()
		}
		attrs := append(httpAttrs(e), tokenAttrs(e.Token)...)
		b.instant(s, parent, "jit_call "+string(e.Status), trace.SpanKindClient, e, attrs...)
	}
}

func (b *traceBuilder) openJIT(s *sessionSpans, callID string, at time.Time) {
	t := s.toolFor(callID)
	if callID == "" && len(s.order) > 0 {
		callID = s.order[len(s.order)-1]
	}
	s.jit = &jitSpan{openSpan: b.start(s, t.parent(), "request_jit", trace.SpanKindInternal, at), callID: callID}
}

// endJIT ends the open JIT request, if any.
func (b *traceBuilder) endJIT(s *sessionSpans, at time.Time, errType, msg string) {
	if s.jit == nil {
		return
	}
	b.end(s.jit.openSpan, at, errType, msg)
	s.jit = nil
}
