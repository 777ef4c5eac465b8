package telemetry

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
)

// seedAgents are the seed session's three cases: allowed and exchanged, denied, budget stop
// (before any model call).
var seedAgents = []struct {
	id, name string
	outcome  session.Outcome
	tree     string
}{
	{"research-analyst", "Research Analyst", session.OutcomeOK, `
invoke_agent Research Analyst (lumodash.outcome=ok)` + firstTurn + financialAllowed + `
  chat lumodash-demo (offline) (gen_ai.response.finish_reasons=[stop])`},
	{"junior-analyst", "Junior Analyst", session.OutcomeDenied, `
invoke_agent Junior Analyst (lumodash.outcome=denied, error.type=denied) ERROR` + firstTurn + `
  execute_tool query_financial_mcp (lumodash.tool.status=denied, error.type=denied) ERROR
    check_capability mcp:financial (lumodash.gate.decision=deny)
  chat lumodash-demo (offline) (gen_ai.response.finish_reasons=[stop])`},
	// 1,000 tokens left: the guard refuses the first model call, which needs room for an answer.
	{"capped-analyst", "Capped Analyst", session.OutcomeBudgetExhausted, `
invoke_agent Capped Analyst (lumodash.outcome=budget_exhausted, error.type=budget_exhausted) ERROR`},
}

// The parts of the trees the sessions share: the first model call and the document search,
// and the financial MCP call when the agent holds mcp:financial.
const (
	firstTurn = `
  chat lumodash-demo (offline) (gen_ai.response.finish_reasons=[tool_calls])
  execute_tool search_company_documents (lumodash.tool.status=ok)
    check_capability read:documents (lumodash.gate.decision=allow)`
	financialAllowed = `
  execute_tool query_financial_mcp (lumodash.tool.status=ok)
    check_capability mcp:financial (lumodash.gate.decision=allow)
    exchange_token urn:mcp:financial-data (lumodash.exchange.result=new)
    tools/call get_metric (mcp.method.name=tools/call, lumodash.mcp.status=ok)`
)

// seedRun is the three seed sessions exported to one collector over one protocol.
type seedRun struct {
	col    *telemetrytest.Collector
	worlds map[string]*world // by agent id
	spans  []telemetrytest.Span
	roots  map[string]telemetrytest.Span // invoke_agent span by agent id
}

func runSeed(t *testing.T, protocol string, capture bool) *seedRun {
	t.Helper()
	col := telemetrytest.StartCollector(t)
	endpoint := "http://" + col.GRPC
	if protocol == ProtocolHTTP {
		endpoint = "http://" + col.HTTP
	}
	settings := Settings{OTLP: Signal{Endpoint: endpoint, Protocol: protocol}, CaptureContent: capture,
		ServiceName: "lumodash-test", ResourceAttributes: map[string]string{"deployment.environment.name": "test"}}
	run := &seedRun{col: col, worlds: map[string]*world{}, roots: map[string]telemetrytest.Span{}}
	var total int64
	for _, a := range seedAgents {
		w := newWorld(t, a.id)
		var notices atomic.Int32
		tel, err := New(context.Background(), settings, Options{Version: "test", Notice: func(string) { notices.Add(1) }})
		if err != nil || tel == nil {
			t.Fatalf("New: %v, %v", tel, err)
		}
		if out := w.run(t, tel); out != a.outcome {
			t.Fatalf("%s: outcome %s, want %s", a.id, out, a.outcome)
		}
		if err := tel.Shutdown(context.Background()); err != nil {
			t.Fatalf("%s: shutdown: %v", a.id, err)
		}
		if n := notices.Load(); n != 0 {
			t.Errorf("%s: %d notices with a working collector", a.id, n)
		}
		total += tel.Stats().Spans
		run.worlds[a.id] = w
	}
	run.spans = telemetrytest.WaitFor(t, col, telemetrytest.ReadSpans, func(s []telemetrytest.Span) bool { return int64(len(s)) >= total }, fmt.Sprintf("%d spans", total))
	if int64(len(run.spans)) != total {
		t.Errorf("the collector received %d spans, the sessions recorded %d", len(run.spans), total)
	}
	for _, s := range run.spans {
		for _, a := range seedAgents {
			if strings.HasPrefix(s.Name, "invoke_agent ") && s.Attr("gen_ai.agent.name") == a.name {
				run.roots[a.id] = s
			}
		}
	}
	return run
}

func TestSeedSessionsReachTheCollector(t *testing.T) {
	for _, c := range []struct {
		protocol string
		capture  bool
	}{{ProtocolGRPC, false}, {ProtocolHTTP, true}} {
		t.Run(strings.ReplaceAll(c.protocol, "/", "-"), func(t *testing.T) {
			run := runSeed(t, c.protocol, c.capture)
			t.Run("span trees", func(t *testing.T) { checkTrees(t, run) })
			t.Run("attributes and times", func(t *testing.T) { checkResearchSpans(t, run) })
			t.Run("trace context reached the MCP server", func(t *testing.T) { checkPropagation(t, run) })
			t.Run("no secret exported", func(t *testing.T) { checkNoSecrets(t, run) })
			t.Run("content only when captured", func(t *testing.T) { checkContent(t, run, c.capture) })
			t.Run("metrics", func(t *testing.T) { checkMetrics(t, run) })
		})
	}
}

// checkTrees: each session is one trace whose span tree (names, parent links, key
// attributes, error status) is the expected one, and no span is outside those trees.
func checkTrees(t *testing.T, run *seedRun) {
	inTrees := 0
	for _, a := range seedAgents {
		root, ok := run.roots[a.id]
		if !ok {
			t.Fatalf("no invoke_agent span for %s", a.name)
		}
		if root.ParentSpanID != "" {
			t.Errorf("%s: invoke_agent has a parent %s", a.id, root.ParentSpanID)
		}
		got, n := renderTree(run.spans, root, 0)
		inTrees += n
		if strings.TrimSpace(got) != strings.TrimSpace(a.tree) {
			t.Errorf("%s span tree:\n%s\nwant:\n%s", a.id, got, strings.TrimSpace(a.tree))
		}
		t.Logf("%s:\n%s", a.id, got)
	}
	if inTrees != len(run.spans) {
		t.Errorf("%d spans are outside the three session trees", len(run.spans)-inTrees)
	}
}

// treeKeys are the attributes renderTree shows, in this order.
var treeKeys = []string{"lumodash.outcome", "gen_ai.response.finish_reasons", "lumodash.tool.status", "lumodash.gate.decision",
	"lumodash.exchange.result", "mcp.method.name", "lumodash.mcp.status", "error.type"}

// renderTree draws root and its descendants (children by start time) in the same trace.
func renderTree(spans []telemetrytest.Span, root telemetrytest.Span, depth int) (string, int) {
	var b strings.Builder
	b.WriteString(strings.Repeat("  ", depth) + root.Name)
	var shown []string
	for _, k := range treeKeys {
		if v := root.Attr(k); v != "" {
			shown = append(shown, k+"="+v)
		}
	}
	if len(shown) > 0 {
		b.WriteString(" (" + strings.Join(shown, ", ") + ")")
	}
	if root.Status.Code == 2 {
		b.WriteString(" ERROR")
	}
	b.WriteString("\n")
	var children []telemetrytest.Span
	for _, s := range spans {
		if s.TraceID == root.TraceID && s.ParentSpanID == root.SpanID {
			children = append(children, s)
		}
	}
	sort.SliceStable(children, func(i, j int) bool {
		return children[i].Nanos(children[i].Start) < children[j].Nanos(children[j].Start)
	})
	n := 1
	for _, c := range children {
		sub, k := renderTree(spans, c, depth+1)
		b.WriteString(sub)
		n += k
	}
	return b.String(), n
}
