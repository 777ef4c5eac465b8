package telemetry

import (
	"bytes"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
)

// spanNamed is the n-th span (by start) of the trace whose name is name.
func (r *seedRun) spanNamed(t *testing.T, agent, name string, n int) telemetrytest.Span {
	t.Helper()
	var found []telemetrytest.Span
	for _, s := range r.spans {
		if s.TraceID == r.roots[agent].TraceID && s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) <= n {
		t.Fatalf("%s: %d spans named %q, want at least %d", agent, len(found), name, n+1)
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Nanos(found[i].Start) < found[j].Nanos(found[j].Start) })
	return found[n]
}

func eventsOf(w *world, kind session.Kind) []session.Event {
	var out []session.Event
	for _, e := range w.events.All() {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func wantAttrs(t *testing.T, s telemetrytest.Span, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := s.Attr(k); got != v {
			t.Errorf("%s: %s = %q, want %q", s.Name, k, got, v)
		}
	}
}

func wantTimes(t *testing.T, s telemetrytest.Span, start, end int64) {
	t.Helper()
	if s.Nanos(s.Start) != start || s.Nanos(s.End) != end {
		t.Errorf("%s: span %s…%s, events %d…%d", s.Name, s.Start, s.End, start, end)
	}
}

// checkResearchSpans: the research analyst's spans carry the conventions' attributes and
// the times of the events they stand for.
func checkResearchSpans(t *testing.T, run *seedRun) {
	w := run.worlds["research-analyst"]
	root := run.roots["research-analyst"]
	sessionID := eventsOf(w, session.KindPrompt)[0].Session
	wantAttrs(t, root, map[string]string{"gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "openai",
		"gen_ai.agent.id": "agt_7f3a9c2e41b8", "gen_ai.request.model": demomodel.ModelID, "lumodash.organization": "acme-corp", "gen_ai.conversation.id": sessionID})
	wantTimes(t, root, eventsOf(w, session.KindPrompt)[0].Time.UnixNano(), eventsOf(w, session.KindRequestFinish)[0].Time.UnixNano())
	if root.Resource["service.name"] != "lumodash-test" || root.Resource["service.version"] != "test" || root.Resource["deployment.environment.name"] != "test" {
		t.Errorf("resource %v", root.Resource)
	}

	requests, responses := eventsOf(w, session.KindModelRequest), eventsOf(w, session.KindModelResponse)
	for i, resp := range responses {
		chat := run.spanNamed(t, "research-analyst", "chat "+demomodel.ModelID, i)
		wantAttrs(t, chat, map[string]string{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
			"gen_ai.request.model": demomodel.ModelID, "gen_ai.response.model": resp.Model, "gen_ai.conversation.id": sessionID,
			"gen_ai.usage.input_tokens": strconv.FormatInt(resp.Usage.PromptTokens, 10), "gen_ai.usage.output_tokens": strconv.FormatInt(resp.Usage.CompletionTokens, 10),
			"server.address": "127.0.0.1", "lumodash.usage.estimated": "true", "lumodash.cost.usd": "0"})
		wantTimes(t, chat, requests[i].Time.UnixNano(), resp.Time.UnixNano())
		if chat.Kind != 3 { // client
			t.Errorf("chat span kind %d, want client", chat.Kind)
		}
	}

	calls, results := eventsOf(w, session.KindToolCall), eventsOf(w, session.KindToolResult)
	for i, call := range calls {
		span := run.spanNamed(t, "research-analyst", "execute_tool "+call.Tool, 0)
		wantAttrs(t, span, map[string]string{"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": call.Tool,
			"gen_ai.tool.call.id": call.CallID, "gen_ai.tool.type": "function"})
		wantTimes(t, span, call.Time.UnixNano(), results[i].Time.UnixNano())
	}

	x := eventsOf(w, session.KindTokenExchange)[0]
	exchange := run.spanNamed(t, "research-analyst", "exchange_token urn:mcp:financial-data", 0)
	wantAttrs(t, exchange, map[string]string{"lumodash.token.fingerprint": x.Token.Fingerprint, "lumodash.exchange.audience": "urn:mcp:financial-data",
		"lumodash.exchange.cached": "false", "http.response.status_code": "200", "http.request.method": "POST", "lumodash.token.scope": "financial:read"})
	wantTimes(t, exchange, x.Time.Add(-x.Duration).UnixNano(), x.Time.UnixNano())

	m := eventsOf(w, session.KindMCPCall)[0]
	mcp := run.spanNamed(t, "research-analyst", "tools/call get_metric", 0)
	proxy, _ := url.Parse("http://" + w.runnerPart("mcp"))
	wantAttrs(t, mcp, map[string]string{"mcp.method.name": "tools/call", "gen_ai.tool.name": "get_metric", "gen_ai.operation.name": "execute_tool",
		"server.address": proxy.Hostname(), "server.port": proxy.Port(), "http.response.status_code": "200", "lumodash.mcp.server": "financial-data",
		"network.protocol.name": "http"})
	if mcp.Attr("mcp.session.id") == "" {
		t.Error("tools/call span has no mcp.session.id")
	}
	tool := run.spanNamed(t, "research-analyst", "execute_tool query_financial_mcp", 0)
	if mcp.Nanos(mcp.Start) < tool.Nanos(tool.Start) || mcp.Nanos(mcp.End) != m.Time.UnixNano() || mcp.Nanos(mcp.End) > tool.Nanos(tool.End) {
		t.Errorf("tools/call %s…%s is not within its tool call %s…%s or does not end at gate.mcp", mcp.Start, mcp.End, tool.Start, tool.End)
	}

	capped := run.roots["capped-analyst"]
	if len(capped.Events) == 0 || capped.Events[len(capped.Events)-1].Name != "budget.exhausted" ||
		telemetrytest.AttrMap(capped.Events[len(capped.Events)-1].Attributes)["lumodash.budget.limit"] != "tokens/day" {
		t.Errorf("capped analyst's request has no budget.exhausted event: %+v", capped.Events)
	}
}

// runnerPart is the host of the world's part with role.
func (w *world) runnerPart(role string) string {
	for _, e := range w.events.All() {
		for _, p := range e.Parts {
			if p.Role == role {
				return p.Host
			}
		}
	}
	return ""
}

// checkPropagation: every MCP request of the tool call carried the trace context of its
// tools/call span, so a traced MCP server would join the session's trace.
func checkPropagation(t *testing.T, run *seedRun) {
	run.worlds["research-analyst"].mcpProxy.CheckPropagation(t, run.spanNamed(t, "research-analyst", "tools/call get_metric", 0))
}

// checkNoSecrets: neither the client secret nor any token the devserver issued (nor what the
// MCP server was sent) appears in anything the collector received.
func checkNoSecrets(t *testing.T, run *seedRun) {
	raw := run.col.Raw(t)
	if fp := eventsOf(run.worlds["research-analyst"], session.KindTokenExchange)[0].Token.Fingerprint; !bytes.Contains(raw, []byte(fp)) {
		t.Fatalf("the exchanged token's fingerprint %s is not in the output: the search below would prove nothing", fp)
	}
	for id, w := range run.worlds {
		_, bearers := w.mcpProxy.Requests()
		list := append(w.secrets.All(), bearers...)
		if len(list) < 2 {
			t.Fatalf("%s: only %d secrets recorded; the check would prove nothing", id, len(list))
		}
		for _, s := range list {
			if len(s) < 16 || bytes.Contains(raw, []byte(s)) {
				t.Errorf("%s: a secret (%d bytes) is in the collector's output, or too short to check", id, len(s))
			}
		}
	}
}

// checkContent: prompts, answers and tool data are exported only when captured, then in
// the conventions' message shapes.
func checkContent(t *testing.T, run *seedRun, capture bool) {
	raw := string(run.col.Raw(t))
	for _, text := range []string{"Search documents for Q3 performance", "$4.21M", "gen_ai.input.messages", "gen_ai.tool.call.arguments"} {
		if got := strings.Contains(raw, text); got != capture {
			t.Errorf("collector output contains %q: %v, want %v (capture %v)", text, got, capture, capture)
		}
	}
	if !capture {
		return
	}
	chat := run.spanNamed(t, "research-analyst", "chat "+demomodel.ModelID, 0)
	if out := chat.Attr("gen_ai.output.messages"); !strings.Contains(out, `"type":"tool_call"`) || !strings.Contains(out, `"name":"query_financial_mcp"`) || !strings.Contains(out, `"finish_reason":"tool_calls"`) {
		t.Errorf("first chat output messages %s", out)
	}
	second := run.spanNamed(t, "research-analyst", "chat "+demomodel.ModelID, 1)
	if in := second.Attr("gen_ai.input.messages"); !strings.Contains(in, `"type":"tool_call_response"`) || !strings.Contains(in, "$4.21M") || !strings.Contains(in, `"role":"user"`) {
		t.Errorf("second chat input messages %s", in)
	}
	if si := second.Attr("gen_ai.system_instructions"); !strings.Contains(si, session.DefaultInstructions) {
		t.Errorf("system instructions %s", si)
	}
}
