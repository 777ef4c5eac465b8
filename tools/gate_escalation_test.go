package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// startRuledWorld is the embedded world as lumodash runs it: the devserver and the financial
// MCP server wired by StartEmbedded, with the headcount rule of the default devserver file.
func startRuledWorld(t *testing.T) *testWorld {
	t.Helper()
	dev, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	srv, err := financialmcp.StartEmbedded(dev, "127.0.0.1:0", financialmcp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return &testWorld{dev: dev, mcpURL: srv.URL(), auth: &tokenCounter{base: http.DefaultTransport}}
}

// The research analyst holds mcp:financial, but the MCP server wants a JIT grant for the
// headcount: the gate requests exactly what the 403 names, the operator approves, and the
// call is retried with the token exchanged from the grant — all over real HTTP.
func TestResourceServerJITRuleEscalatesOverTheWire(t *testing.T) {
	w := startRuledWorld(t)
	human := &scriptedHuman{decision: &JITDecision{Approve: true, Notes: "people data for the board pack"}}
	gate, fin, j, jl, sl := jitGateFor(t, w, "research-analyst", JITConfig{Mode: JITModeAuto, Human: human, Reviewer: w.operator(t), Poll: 50 * time.Millisecond})
	ctx := context.Background()
	want, _ := financialmcp.Lookup("headcount", "2026-Q3")

	if out := gate.Call(ctx, fin, "c0", json.RawMessage(`{"metric":"revenue"}`)); out.Status != StatusOK || jl.stages() != "" {
		t.Fatalf("revenue needs no grant: %+v, JIT %s", out, jl.stages())
	}
	before := sl.Len()
	out := gate.Call(ctx, fin, "c1", json.RawMessage(`{"metric":"headcount","period":"2026-Q3"}`))
	if out.Status != StatusOK || !strings.Contains(out.Text, want.Display) {
		t.Fatalf("headcount: %+v (steps %s, JIT %s)", out, sl.kinds(), jl.stages())
	}
	var kinds []string
	steps := sl.All()[before:]
	for _, s := range steps {
		kinds = append(kinds, string(s.Kind))
	}
	if got := strings.Join(kinds, ","); got != "check,exchange,mcp,exchange,mcp,result" {
		t.Errorf("steps = %s", got)
	}
	if first := steps[2]; first.MCP == nil || first.MCP.HTTP != 403 {
		t.Errorf("first MCP call: %+v", first.MCP)
	}
	if got := jl.stages(); got != "requested,pending,approved" {
		t.Errorf("JIT stages = %s", got)
	}
	q := human.reviewed[0]
	if q.Capability != "mcp:financial" || q.Details.Identifier != financialmcp.DefaultResource || !strings.Contains(q.Justification, "resource server asked") {
		t.Errorf("the reviewer was asked: %+v", q)
	}
	// The grant is reused for the next sensitive call; other calls use the agent's own token.
	if out := gate.Call(ctx, fin, "c2", json.RawMessage(`{"metric":"employees","period":"FY2025"}`)); out.Status != StatusOK {
		t.Fatalf("second headcount call: %+v", out)
	}
	if got := jl.stages(); got != "requested,pending,approved" {
		t.Errorf("a second JIT request was made: %s", got)
	}
	// After the task completes, the refusal comes back and a new grant is needed.
	if err := j.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	gate.JIT = nil
	out = gate.Call(ctx, fin, "c3", json.RawMessage(`{"metric":"headcount"}`))
	if out.Status != StatusFailed || !strings.Contains(out.Text, "requires a just-in-time grant") || strings.Contains(out.Text, "scope") ||
		strings.Contains(out.Text, want.Display) {
		t.Errorf("without escalation: %+v", out)
	}
}
