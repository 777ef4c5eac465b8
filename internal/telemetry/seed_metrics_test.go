package telemetry

import (
	"testing"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
)

// checkMetrics: token use, model call durations, cost, gate decisions, budget left,
// exchange and MCP latencies, by agent (and model), as the events of each session say.
func checkMetrics(t *testing.T, run *seedRun) {
	metrics := waitFor(t, run.col, readMetrics, func(m map[string][]metricPoint) bool {
		return len(find(m["lumodash.requests"], nil)) >= len(seedAgents)
	}, "the metrics of the three sessions")
	for _, a := range seedAgents {
		w := run.worlds[a.id]
		agent := map[string]string{"gen_ai.agent.name": a.name}
		var in, out float64
		responses := eventsOf(w, session.KindModelResponse)
		for _, r := range responses {
			in, out = in+float64(r.Usage.PromptTokens), out+float64(r.Usage.CompletionTokens)
		}
		for tokenType, want := range map[string]float64{"input": in, "output": out} {
			p := one(t, metrics, "gen_ai.client.token.usage", with(agent, map[string]string{"gen_ai.token.type": tokenType,
				"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": demomodel.ModelID}))
			if p.sum != want || p.count != int64(len(responses)) {
				t.Errorf("%s %s tokens: sum %v over %d calls, want %v over %d", a.id, tokenType, p.sum, p.count, want, len(responses))
			}
		}
		if p := one(t, metrics, "gen_ai.client.operation.duration", agent); p.count != int64(len(responses)) || p.sum <= 0 {
			t.Errorf("%s: operation duration %d calls, %v s", a.id, p.count, p.sum)
		}
		if p := one(t, metrics, "lumodash.gen_ai.cost", with(agent, map[string]string{"gen_ai.request.model": demomodel.ModelID})); p.sum != 0 {
			t.Errorf("%s: the demo model cost $%v", a.id, p.sum)
		}
		if p := one(t, metrics, "lumodash.requests", with(agent, map[string]string{"lumodash.outcome": string(a.outcome)})); p.sum != 1 {
			t.Errorf("%s: %v requests with outcome %s", a.id, p.sum, a.outcome)
		}
		decision := map[string]string{"research-analyst": "allow", "junior-analyst": "deny", "capped-analyst": "allow"}[a.id]
		if p := one(t, metrics, "lumodash.gate.decisions", with(agent, map[string]string{"lumodash.gate.capability": "mcp:financial", "lumodash.gate.decision": decision})); p.sum != 1 {
			t.Errorf("%s: %v mcp:financial %s decisions", a.id, p.sum, decision)
		}
		var last session.Event
		for _, e := range w.events.All() {
			if e.Budget != nil {
				last = e
			}
		}
		left := float64(last.Budget.MaxTokensPerDay - last.Budget.TokensUsedToday)
		if p := one(t, metrics, "lumodash.budget.tokens.remaining", agent); p.sum != left {
			t.Errorf("%s: %v tokens left, the last budget says %v", a.id, p.sum, left)
		}
		exchanges := find(metrics["lumodash.token_exchange.duration"], with(agent, map[string]string{"lumodash.exchange.audience": "urn:mcp:financial-data", "lumodash.exchange.result": "new"}))
		mcp := find(metrics["mcp.client.operation.duration"], with(agent, map[string]string{"mcp.method.name": "tools/call", "gen_ai.tool.name": "get_metric"}))
		wantCalls := map[bool]int64{true: 0, false: 1}[a.id == "junior-analyst"]
		if count(exchanges) != wantCalls || count(mcp) != wantCalls {
			t.Errorf("%s: %d exchanges and %d MCP calls timed, want %d", a.id, count(exchanges), count(mcp), wantCalls)
		}
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
func one(t *testing.T, metrics map[string][]metricPoint, name string, want map[string]string) metricPoint {
	t.Helper()
	ps := find(metrics[name], want)
	if len(ps) != 1 {
		t.Fatalf("%s: %d points match %v, want 1 (all: %v)", name, len(ps), want, metrics[name])
	}
	return ps[0]
}

func count(ps []metricPoint) int64 {
	var n int64
	for _, p := range ps {
		n += p.count
	}
	return n
}
