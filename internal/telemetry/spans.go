package telemetry

import (
	"cmp"
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/lumodash/lumodash/session"
)

// traceBuilder turns session events into spans, with the times the events carry. It sees
// each event once, in bus order, and keeps what is still open per session. Safe for
// concurrent use: the live transport (live.go) reads it while a tool call runs.
type traceBuilder struct {
	mu       sync.Mutex
	tracer   trace.Tracer
	capture  bool
	sessions map[string]*sessionSpans
	ended    func(n int) // counts the spans handed to the SDK
}

// sessionSpans is what one session has open.
type sessionSpans struct {
	id           string // the lumodash session id: gen_ai.conversation.id
	agent        session.AgentRef
	model        string
	parts        []session.Part
	instructions string

	request *openSpan // invoke_agent, from prompt to request.finish
	chat    *chatSpan // the model call whose span is not ended yet
	tools   map[string]*toolSpans
	order   []string // open tool calls, oldest first: correlation when an event lacks CallID
	jit     *jitSpan
	history []message // the conversation, when content is captured
}

type openSpan struct {
	span trace.Span
	ctx  context.Context
}

func newTraceBuilder(tracer trace.Tracer, capture bool, ended func(int)) *traceBuilder {
	return &traceBuilder{tracer: tracer, capture: capture, sessions: map[string]*sessionSpans{}, ended: ended}
}

// emit applies e and returns the agent and model of its session, for its metrics.
func (b *traceBuilder) emit(e session.Event) who {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.sessions[e.Session]
	if s == nil {
		s = &sessionSpans{id: e.Session, tools: map[string]*toolSpans{}}
		b.sessions[e.Session] = s
	}
	switch e.Kind {
	case session.KindSessionStart:
		if e.Agent != nil {
			s.agent = *e.Agent
		}
		s.model, s.parts, s.instructions = e.Model, e.Parts, e.Text
	case session.KindInfoRefreshed:
		if e.Info != nil {
			s.agent.Name, s.agent.ID = cmp.Or(e.Info.Name, s.agent.Name), cmp.Or(e.Info.AgentID, s.agent.ID)
		}
	case session.KindPrompt:
		b.startRequest(s, e)
	case session.KindModelRequest, session.KindModelRetry, session.KindModelResponse:
		b.modelCall(s, e)
	case session.KindError:
		b.failure(s, e)
	case session.KindToolCall:
		b.startTool(s, e)
	case session.KindCapabilityCheck, session.KindTokenExchange, session.KindMCPCall:
		b.gateStep(s, e)
	case session.KindJITRequested, session.KindJITPending, session.KindJITApproved, session.KindJITDenied, session.KindJITCall:
		b.jitStep(s, e)
	case session.KindToolResult:
		b.endTool(s, e)
	case session.KindBudgetWarning, session.KindBudgetExhausted:
		b.budgetEvent(s, e)
	case session.KindRequestFinish:
		if s.request == nil && e.Outcome != session.OutcomeOK { // the session could not start (authentication)
			b.openRequest(s, e.Time)
		}
		b.endRequest(s, e)
	case session.KindSessionFinish:
		b.endRequest(s, e)
		delete(b.sessions, e.Session)
	}
	return who{agent: cmp.Or(s.agent.Name, s.agent.ClientID), model: s.model}
}

// closeAll ends what every session still has open (the program is stopping).
func (b *traceBuilder) closeAll(at time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, s := range b.sessions {
		b.endRequest(s, session.Event{Time: at, Outcome: session.OutcomeCancelled,
			Err: &session.ErrorInfo{Code: "unfinished", Message: "lumodash stopped before the request finished"}})
		delete(b.sessions, id)
	}
}

// start opens a span under parent (the request when nil) at t.
func (b *traceBuilder) start(s *sessionSpans, parent *openSpan, name string, kind trace.SpanKind, t time.Time, attrs ...attribute.KeyValue) *openSpan {
	ctx := context.Background()
	switch {
	case parent != nil:
		ctx = parent.ctx
	case s.request != nil:
		ctx = s.request.ctx
	}
	ctx, span := b.tracer.Start(ctx, name, trace.WithSpanKind(kind), trace.WithTimestamp(t), trace.WithAttributes(attrs...))
	return &openSpan{span: span, ctx: ctx}
}

// end ends o at t, with an error status when errType is set.
func (b *traceBuilder) end(o *openSpan, t time.Time, errType, message string) {
	if o == nil {
		return
	}
	if errType != "" {
		o.span.SetAttributes(semconv.ErrorTypeKey.String(errType))
		o.span.SetStatus(codes.Error, message)
	}
	o.span.End(trace.WithTimestamp(t))
	b.ended(1)
}

// instant is a span for a step that reports only when it ended and how long it took.
func (b *traceBuilder) instant(s *sessionSpans, parent *openSpan, name string, kind trace.SpanKind, e session.Event, attrs ...attribute.KeyValue) {
	errType, msg := errorOf(e.Err, "")
	b.end(b.start(s, parent, name, kind, e.Time.Add(-e.Duration), attrs...), e.Time, errType, msg)
}

func (b *traceBuilder) startRequest(s *sessionSpans, e session.Event) {
	b.endRequest(s, session.Event{Time: e.Time, Outcome: "superseded"})
	var attrs []attribute.KeyValue
	if b.capture {
		attrs = append(attrs, semconv.GenAIInputMessagesKey.String(messagesJSON([]message{userMessage(e.Text)})))
		if s.instructions != "" {
			attrs = append(attrs, semconv.GenAISystemInstructionsKey.String(partsJSON(textPart(s.instructions))))
		}
		s.history = append(s.history, userMessage(e.Text))
	}
	b.openRequest(s, e.Time, attrs...)
}

// openRequest starts the invoke_agent span of a request.
func (b *traceBuilder) openRequest(s *sessionSpans, at time.Time, extra ...attribute.KeyValue) {
	attrs := append(b.agentAttrs(s), semconv.GenAIOperationNameInvokeAgent, semconv.GenAIRequestModel(s.model))
	if s.id != "" { // every request of a session, one trace each, under one conversation
		attrs = append(attrs, semconv.GenAIConversationID(s.id))
	}
	s.request = b.start(s, nil, "invoke_agent "+cmp.Or(s.agent.Name, s.agent.ClientID, "agent"), trace.SpanKindInternal, at, append(attrs, extra...)...)
}

// endRequest ends the request and whatever it still has open, with its outcome.
func (b *traceBuilder) endRequest(s *sessionSpans, e session.Event) {
	if s.request == nil {
		return
	}
	b.endChat(s, e.Time)
	for _, id := range append([]string(nil), s.order...) {
		b.endTool(s, session.Event{Time: e.Time, CallID: id, Status: "unfinished", Err: &session.ErrorInfo{Code: "unfinished", Message: "the request ended before the tool call finished"}})
	}
	b.endJIT(s, e.Time, "unfinished", "the request ended before the JIT request was decided")
	span := s.request.span
	span.SetAttributes(attribute.String("lumodash.outcome", string(cmp.Or(e.Outcome, session.OutcomeOK))))
	if u := e.Usage; u != nil {
		span.SetAttributes(usageAttrs(*u)...)
	}
	span.SetAttributes(costAttrs(e.Cost)...)
	if b.capture && e.Text != "" {
		span.SetAttributes(semconv.GenAIOutputMessagesKey.String(messagesJSON([]message{assistantMessage(e.Text, "stop")})))
	}
	errType, msg := "", ""
	if e.Outcome != "" && e.Outcome != session.OutcomeOK {
		errType, msg = string(e.Outcome), string(e.Outcome)
		if e.Err != nil {
			msg = e.Err.Message
		}
	}
	b.end(s.request, e.Time, errType, msg)
	s.request = nil
}

func (b *traceBuilder) agentAttrs(s *sessionSpans) []attribute.KeyValue {
	attrs := []attribute.KeyValue{semconv.GenAIProviderNameOpenAI, semconv.GenAIAgentName(cmp.Or(s.agent.Name, s.agent.ClientID))}
	if s.agent.ID != "" {
		attrs = append(attrs, semconv.GenAIAgentID(s.agent.ID))
	}
	if s.agent.Organization != "" {
		attrs = append(attrs, attribute.String("lumodash.organization", s.agent.Organization))
	}
	if s.agent.ClientID != "" {
		attrs = append(attrs, attribute.String("lumodash.agent.client_id", s.agent.ClientID))
	}
	return attrs
}

// budgetEvent puts a budget warning or stop on the request span.
func (b *traceBuilder) budgetEvent(s *sessionSpans, e session.Event) {
	if s.request == nil {
		return
	}
	attrs := []attribute.KeyValue{attribute.String("lumodash.budget.limit", e.Limit), attribute.Float64("lumodash.budget.percent", e.Percent)}
	if !e.ResetsAt.IsZero() {
		attrs = append(attrs, attribute.String("lumodash.budget.resets_at", e.ResetsAt.UTC().Format(time.RFC3339)))
	}
	s.request.span.AddEvent(string(e.Kind), trace.WithTimestamp(e.Time), trace.WithAttributes(attrs...))
}

// failure ends the model call an error event belongs to, or notes it on the request.
func (b *traceBuilder) failure(s *sessionSpans, e session.Event) {
	errType, msg := errorOf(e.Err, "error")
	if c := s.chat; c != nil && !c.responded {
		c.errType, c.errMsg, c.endAt = errType, msg, e.Time
		b.endChat(s, e.Time)
		return
	}
	if s.request != nil {
		s.request.span.AddEvent("exception", trace.WithTimestamp(e.Time), trace.WithAttributes(
			semconv.ExceptionTypeKey.String(errType), semconv.ExceptionMessageKey.String(msg)))
	}
}
