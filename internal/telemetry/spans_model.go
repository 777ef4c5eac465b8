package telemetry

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumodash/lumodash/session"
)

// chatSpan is one model call: opened by model.request, given its usage by model.response.
// With content capture it stays open until the tool calls the response announced have
// arrived, so its output message names them; it always ends at the response's time.
type chatSpan struct {
	*openSpan
	turn      int
	responded bool
	endAt     time.Time
	calls     int // tool calls the response announced
	seen      int
	output    int // index of the response in the session history (-1 = none)
	errType   string
	errMsg    string
}

func (b *traceBuilder) modelCall(s *sessionSpans, e session.Event) {
	switch e.Kind {
	case session.KindModelRequest:
		if c := s.chat; c != nil && c.turn == e.Turn && !c.responded {
			return // a retry of the same call: model.retry already noted it
		}
		b.endChat(s, e.Time)
		attrs := []attribute.KeyValue{semconv.GenAIOperationNameChat, semconv.GenAIProviderNameOpenAI,
			semconv.GenAIRequestModel(e.Model), semconv.GenAIConversationID(e.Session)}
		if host, port, ok := partHost(s.parts, "model", ""); ok {
			attrs = append(attrs, semconv.ServerAddress(host))
			if port > 0 {
				attrs = append(attrs, semconv.ServerPort(port))
			}
		}
		if b.capture {
			attrs = append(attrs, semconv.GenAIInputMessagesKey.String(messagesJSON(s.history)))
			if s.instructions != "" {
				attrs = append(attrs, semconv.GenAISystemInstructionsKey.String(partsJSON(textPart(s.instructions))))
			}
		}
		s.chat = &chatSpan{openSpan: b.start(s, nil, "chat "+e.Model, trace.SpanKindClient, e.Time, attrs...), turn: e.Turn, output: -1}
	case session.KindModelRetry:
		if s.chat != nil {
			errType, msg := errorOf(e.Err, "retry")
			s.chat.span.AddEvent("model.retry", trace.WithTimestamp(e.Time), trace.WithAttributes(
				attribute.Int("lumodash.retry.attempt", e.Attempt), attribute.Float64("lumodash.retry.delay_s", e.Delay.Seconds()),
				semconv.ErrorTypeKey.String(errType), semconv.ExceptionMessageKey.String(msg)))
		}
	case session.KindModelResponse:
		c := s.chat
		if c == nil || c.responded {
			return
		}
		finish := "stop"
		if e.Count > 0 {
			finish = "tool_calls"
		}
		c.responded, c.endAt, c.calls = true, e.Time, e.Count
		c.span.SetAttributes(semconv.GenAIResponseModel(e.Model), semconv.GenAIResponseFinishReasons(finish))
		if e.Usage != nil {
			c.span.SetAttributes(usageAttrs(*e.Usage)...)
		}
		c.span.SetAttributes(costAttrs(e.Cost)...)
		if !b.capture || e.Count == 0 {
			if b.capture {
				s.history = append(s.history, assistantMessage(e.Text, finish))
				c.output = len(s.history) - 1
			}
			b.endChat(s, e.Time)
			return
		}
		s.history = append(s.history, assistantMessage(e.Text, finish))
		c.output = len(s.history) - 1
	}
}

// noteToolCall adds a tool call to the model response that asked for it (content capture)
// and ends that response's span once all its calls are known.
func (b *traceBuilder) noteToolCall(s *sessionSpans, e session.Event) {
	c := s.chat
	if c == nil || !c.responded || c.turn != e.Turn {
		return
	}
	if c.output >= 0 {
		m := &s.history[c.output]
		m.Parts = append(m.Parts, toolCallPart(e.CallID, e.Tool, e.Args))
	}
	if c.seen++; c.seen >= c.calls {
		b.endChat(s, c.endAt)
	}
}

// endChat ends the pending model call span, if any: at its response, or at (the event that
// ends it) when it had none.
func (b *traceBuilder) endChat(s *sessionSpans, at time.Time) {
	c := s.chat
	if c == nil {
		return
	}
	s.chat = nil
	if c.output >= 0 {
		out := s.history[c.output]
		c.span.SetAttributes(semconv.GenAIOutputMessagesKey.String(messagesJSON([]message{out})))
	}
	end := c.endAt
	if end.IsZero() {
		end = at
		if c.errType == "" {
			c.errType, c.errMsg = "unfinished", "the model call ended without a response"
		}
	}
	b.end(c.openSpan, end, c.errType, c.errMsg)
}
