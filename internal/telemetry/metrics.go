package telemetry

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/semconv/v1.41.0/genaiconv"
	"go.opentelemetry.io/otel/semconv/v1.41.0/mcpconv"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
)

// Bucket boundaries the GenAI and MCP conventions advise for their histograms.
var (
	tokenBuckets    = []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}
	durationBuckets = []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}
	mcpBuckets      = []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300}
)

// meters records the session's metrics. Every instrument carries the agent (gen_ai.agent.name).
type meters struct {
	tokens     genaiconv.ClientTokenUsage        // gen_ai.client.token.usage
	duration   genaiconv.ClientOperationDuration // gen_ai.client.operation.duration
	mcp        mcpconv.ClientOperationDuration   // mcp.client.operation.duration
	cost       metric.Float64Counter             // lumodash.gen_ai.cost
	requests   metric.Int64Counter               // lumodash.requests
	decisions  metric.Int64Counter               // lumodash.gate.decisions
	exchange   metric.Float64Histogram           // lumodash.token_exchange.duration
	tokensLeft metric.Int64Gauge                 // lumodash.budget.tokens.remaining
	callsLeft  metric.Int64Gauge                 // lumodash.budget.calls.remaining
}

func newMeters(m metric.Meter) (*meters, error) {
	var x meters
	var errs [9]error
	x.tokens, errs[0] = genaiconv.NewClientTokenUsage(m, metric.WithExplicitBucketBoundaries(tokenBuckets...))
	x.duration, errs[1] = genaiconv.NewClientOperationDuration(m, metric.WithExplicitBucketBoundaries(durationBuckets...))
	x.mcp, errs[2] = mcpconv.NewClientOperationDuration(m, metric.WithExplicitBucketBoundaries(mcpBuckets...))
	x.cost, errs[3] = m.Float64Counter("lumodash.gen_ai.cost", metric.WithUnit("{USD}"), metric.WithDescription("Cost of the model calls, by agent and model (priced calls only)."))
	x.requests, errs[4] = m.Int64Counter("lumodash.requests", metric.WithUnit("{request}"), metric.WithDescription("Requests (prompts) by agent and outcome."))
	x.decisions, errs[5] = m.Int64Counter("lumodash.gate.decisions", metric.WithUnit("{decision}"), metric.WithDescription("Capability checks by capability and decision (allow, deny)."))
	x.exchange, errs[6] = m.Float64Histogram("lumodash.token_exchange.duration", metric.WithUnit("s"), metric.WithExplicitBucketBoundaries(mcpBuckets...),
		metric.WithDescription("RFC 8693 token exchanges by audience and result (new, cached, failed)."))
	x.tokensLeft, errs[7] = m.Int64Gauge("lumodash.budget.tokens.remaining", metric.WithUnit("{token}"), metric.WithDescription("Tokens left of the agent's daily budget."))
	x.callsLeft, errs[8] = m.Int64Gauge("lumodash.budget.calls.remaining", metric.WithUnit("{call}"), metric.WithDescription("API calls left of the agent's hourly budget."))
	return &x, errors.Join(errs[:]...)
}

// who is the agent and model an event's metrics are recorded for.
type who struct{ agent, model string }

func (w who) attrs() []attribute.KeyValue {
	return []attribute.KeyValue{semconv.GenAIAgentName(w.agent), semconv.GenAIRequestModel(w.model)}
}

func (x *meters) emit(e session.Event, w who) {
	ctx := context.Background()
	agent := semconv.GenAIAgentName(w.agent)
	switch e.Kind {
	case session.KindModelResponse:
		attrs := append(w.attrs(), semconv.GenAIResponseModel(e.Model))
		if u := e.Usage; u != nil {
			x.tokens.Record(ctx, u.PromptTokens, genaiconv.OperationNameChat, genaiconv.ProviderNameOpenAI, genaiconv.TokenTypeInput, attrs...)
			x.tokens.Record(ctx, u.CompletionTokens, genaiconv.OperationNameChat, genaiconv.ProviderNameOpenAI, genaiconv.TokenTypeOutput, attrs...)
		}
		x.duration.Record(ctx, e.Duration.Seconds(), genaiconv.OperationNameChat, genaiconv.ProviderNameOpenAI, attrs...)
		if c := e.Cost; c != nil && c.Priced {
			x.cost.Add(ctx, c.USD, metric.WithAttributes(w.attrs()...))
		}
	case session.KindRequestFinish:
		x.requests.Add(ctx, 1, metric.WithAttributes(agent, attribute.String("lumodash.outcome", string(e.Outcome))))
	case session.KindCapabilityCheck:
		x.decisions.Add(ctx, 1, metric.WithAttributes(agent, semconv.GenAIToolName(e.Tool),
			attribute.String("lumodash.gate.capability", e.Capability), attribute.String("lumodash.gate.decision", decision(e))))
	case session.KindTokenExchange:
		x.exchange.Record(ctx, e.Duration.Seconds(), metric.WithAttributes(agent,
			attribute.String("lumodash.exchange.audience", e.Audience), attribute.String("lumodash.exchange.result", exchangeResult(e))))
	case session.KindMCPCall:
		attrs := []attribute.KeyValue{agent, x.mcp.AttrGenAIToolName(e.Tool), x.mcp.AttrGenAIOperationName(mcpconv.GenAIOperationNameExecuteTool),
			attribute.String("lumodash.mcp.server", e.Server)}
		if t := mcpErrorType(e); t != "" {
			attrs = append(attrs, x.mcp.AttrErrorType(mcpconv.ErrorTypeAttr(t)))
		}
		x.mcp.Record(ctx, e.Duration.Seconds(), mcpconv.MethodNameToolsCall, attrs...)
	case session.KindBudgetUpdate, session.KindBudgetWarning, session.KindBudgetExhausted:
		x.budget(ctx, e.Budget, agent)
	case session.KindInfoRefreshed:
		if e.Info != nil {
			x.budget(ctx, &e.Info.Budget, agent)
		}
	}
}

// budget records what is left of the agent's limits (those it has).
func (x *meters) budget(ctx context.Context, p *auth.BudgetPolicy, agent attribute.KeyValue) {
	if p == nil {
		return
	}
	if p.MaxTokensPerDay > 0 {
		x.tokensLeft.Record(ctx, max(p.MaxTokensPerDay-p.TokensUsedToday, 0), metric.WithAttributes(agent))
	}
	if p.MaxAPICallsPerHour > 0 {
		x.callsLeft.Record(ctx, max(p.MaxAPICallsPerHour-p.APICallsThisHour, 0), metric.WithAttributes(agent))
	}
}
