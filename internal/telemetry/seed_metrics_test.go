package telemetry

import (
	"testing"

	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
)

// checkMetrics: token use, model call durations, cost, gate decisions, budget left,
// exchange and MCP latencies, by agent (and model), as the events of each session say.
func checkMetrics(t *testing.T, run *seedRun) {
	metrics := telemetrytest.WaitFor(t, run.col, telemetrytest.ReadMetrics, func(m map[string][]telemetrytest.MetricPoint) bool {
		return len(telemetrytest.Find(m["lumodash.requests"], nil)) >= len(seedAgents)
	}, "the metrics of the three sessions")
	for _, a := range seedAgents {
		w := run.worlds[a.id]
		agent := map[string]string{"gen_ai.agent.name": a.name}
		responses := eventsOf(w, session.KindModelResponse)
		if len(responses) == 0 { // stopped before the model was called
			for _, name := range []string{"gen_ai.client.token.usage", "gen_ai.client.operation.duration", "lumodash.gen_ai.cost"} {
				if ps := telemetrytest.Find(metrics[name], agent); len(ps) != 0 {
					t.Errorf("%s: %d points of %s without a model call", a.id, len(ps), name)
				}
			}
		} else {
			checkModelMetrics(t, metrics, agent, a.id, responses)
		}
		if p := one(t, metrics, "lumodash.requests", with(agent, map[string]string{"lumodash.outcome": string(a.outcome)})); p.Sum != 1 {
			t.Errorf("%s: %v requests with outcome %s", a.id, p.Sum, a.outcome)
		}
		if decision, ok := map[string]string{"research-analyst": "allow", "junior-analyst": "deny"}[a.id]; ok {
			if p := one(t, metrics, "lumodash.gate.decisions", with(agent, map[string]string{"lumodash.gate.capability": "mcp:financial", "lumodash.gate.decision": decision})); p.Sum != 1 {
				t.Errorf("%s: %v mcp:financial %s decisions", a.id, p.Sum, decision)
			}
		} else if ps := telemetrytest.Find(metrics["lumodash.gate.decisions"], agent); len(ps) != 0 {
			t.Errorf("%s: gate decisions without a tool call: %v", a.id, ps)
		}
		var last session.Event
		for _, e := range w.events.All() {
			if e.Budget != nil {
				last = e
			}
		}
		left := float64(last.Budget.MaxTokensPerDay - last.Budget.TokensUsedToday)
		if p := one(t, metrics, "lumodash.budget.tokens.remaining", agent); p.Sum != left {
			t.Errorf("%s: %v tokens left, the last budget says %v", a.id, p.Sum, left)
		}
		exchanges := telemetrytest.Find(metrics["lumodash.token_exchange.duration"], with(agent, map[string]string{"lumodash.exchange.audience": "urn:mcp:financial-data", "lumodash.exchange.result": "new"}))
		mcp := telemetrytest.Find(metrics["mcp.client.operation.duration"], with(agent, map[string]string{"mcp.method.name": "tools/call", "gen_ai.tool.name": "get_metric"}))
		wantCalls := map[bool]int64{true: 1, false: 0}[a.id == "research-analyst"]
		if count(exchanges) != wantCalls || count(mcp) != wantCalls {
			t.Errorf("%s: %d exchanges and %d MCP calls timed, want %d", a.id, count(exchanges), count(mcp), wantCalls)
		}
	}
}

// checkModelMetrics: token use and call durations by model, as the model.response events say.
func checkModelMetrics(t *testing.T, metrics map[string][]telemetrytest.MetricPoint, agent map[string]string, id string, responses []session.Event) {
	var in, out float64
	for _, r := range responses {
		in, out = in+float64(r.Usage.PromptTokens), out+float64(r.Usage.CompletionTokens)
	}
	for tokenType, want := range map[string]float64{"input": in, "output": out} {
		p := one(t, metrics, "gen_ai.client.token.usage", with(agent, map[string]string{"gen_ai.token.type": tokenType,
			"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": demomodel.ModelID}))
		if p.Sum != want || p.Count != int64(len(responses)) {
			t.Errorf("%s %s tokens: sum %v over %d calls, want %v over %d", id, tokenType, p.Sum, p.Count, want, len(responses))
		}
	}
	if p := one(t, metrics, "gen_ai.client.operation.duration", agent); p.Count != int64(len(responses)) || p.Sum <= 0 {
		t.Errorf("%s: operation duration %d calls, %v s", id, p.Count, p.Sum)
	}
	if p := one(t, metrics, "lumodash.gen_ai.cost", with(agent, map[string]string{"gen_ai.request.model": demomodel.ModelID})); p.Sum != 0 {
		t.Errorf("%s: the demo model cost $%v", id, p.Sum)
	}
}

func with(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{a, b} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// one is the single point of metric name matching want.
func one(t *testing.T, metrics map[string][]telemetrytest.MetricPoint, name string, want map[string]string) telemetrytest.MetricPoint {
	t.Helper()
	ps := telemetrytest.Find(metrics[name], want)
	if len(ps) != 1 {
		t.Fatalf("%s: %d points match %v, want 1 (all: %v)", name, len(ps), want, metrics[name])
	}
	return ps[0]
}

func count(ps []telemetrytest.MetricPoint) int64 {
	var n int64
	for _, p := range ps {
		n += p.Count
	}
	return n
}
