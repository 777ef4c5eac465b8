package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

func TestResearchAnalystCallsSucceed(t *testing.T) {
	w := startWorld(t)
	agent := w.agent(t, "research-analyst")
	docs, _, err := newDocumentSearch(mapDocs(map[string]string{"q3.md": "# Q3 performance\n\nStrong quarter."}), "t")
	if err != nil {
		t.Fatal(err)
	}
	fin := NewFinancialMCP(agent, w.mcpURL)
	defer fin.Close()
	var log stepLog
	gate := NewGate(agent, log.Emit)
	ctx := context.Background()

	out := gate.Call(ctx, docs, "c1", json.RawMessage(`{"query":"Q3 performance"}`))
	if out.Status != StatusOK || out.Count != 1 || !strings.Contains(out.Text, "Q3 performance") {
		t.Fatalf("search: %+v", out)
	}
	if log.kinds() != "check,result" || !log.All()[0].Allowed || log.All()[0].Capability != "read:documents" {
		t.Errorf("search steps: %s %+v", log.kinds(), log.All()[0])
	}

	want, err := financialmcp.Lookup("EBITDA", "2026-Q3")
	if err != nil {
		t.Fatal(err)
	}
	log = stepLog{}
	out = gate.Call(ctx, fin, "c2", json.RawMessage(`{"metric":"EBITDA","period":"2026-Q3"}`))
	if out.Status != StatusOK || !strings.Contains(out.Text, want.Line()) {
		t.Fatalf("financial: %+v\nwant text containing %q", out, want.Line())
	}
	if log.kinds() != "check,exchange,mcp,result" {
		t.Fatalf("financial steps: %s", log.kinds())
	}
	x, m := log.All()[1], log.All()[2]
	if x.Cached || x.Credential == nil || x.Audience != FinancialAudience || !contains(x.Credential.Claims.Audience, FinancialAudience) {
		t.Errorf("exchange step: %+v", x)
	}
	if m.MCP.Status != "ok" || m.MCP.HTTP != 200 || m.MCP.Tool != "get_metric" || m.MCP.Retried || m.MCP.Duration <= 0 {
		t.Errorf("mcp step: %+v", m.MCP)
	}

	// The second call reuses the exchanged token and the MCP session.
	log = stepLog{}
	out = gate.Call(ctx, fin, "c3", json.RawMessage(`{"metric":"revenue"}`))
	if out.Status != StatusOK || !log.All()[1].Cached {
		t.Fatalf("second call: %+v, exchange %+v", out, log.All()[1])
	}
	if got := w.auth.exchanges.Load(); got != 1 {
		t.Errorf("token exchanges = %d, want 1 (cached)", got)
	}
	if fin.Sessions() != 1 || w.front.initializes.Load() != 1 {
		t.Errorf("sessions = %d, initializes = %d, want 1 (reused)", fin.Sessions(), w.front.initializes.Load())
	}

	// A tool-level error from the server is a failed call with the server's message.
	out = gate.Call(ctx, fin, "c4", json.RawMessage(`{"metric":"happiness"}`))
	if out.Status != StatusFailed || !strings.Contains(out.Text, "happiness") {
		t.Errorf("unknown metric: %+v", out)
	}
}

func TestJuniorAnalystDeniedWithoutExchange(t *testing.T) {
	w := startWorld(t)
	agent := w.agent(t, "junior-analyst")
	fin := NewFinancialMCP(agent, w.mcpURL)
	defer fin.Close()
	var log stepLog
	gate := NewGate(agent, log.Emit)

	out := gate.Call(context.Background(), fin, "c1", json.RawMessage(`{"metric":"EBITDA"}`))
	if out.Status != StatusDenied || out.Text != "Error: Agent lacks 'mcp:financial' capability." {
		t.Fatalf("outcome: %+v", out)
	}
	var ge *GateError
	if !errors.As(out.Err, &ge) || ge.Stage != StageCheck || !errors.Is(out.Err, ErrDenied) {
		t.Errorf("err: %v", out.Err)
	}
	if log.kinds() != "check,result" {
		t.Fatalf("steps: %s (no exchange may be attempted)", log.kinds())
	}
	if c := log.All()[0]; c.Allowed || c.Capability != "mcp:financial" || !strings.Contains(c.Reason, "lacks 'mcp:financial'") || c.JITAvailable {
		t.Errorf("check step: %+v", c)
	}
	if got := w.auth.exchanges.Load(); got != 0 {
		t.Errorf("token exchanges on the devserver = %d, want 0", got)
	}
	if got := w.auth.grants.Load(); got != 1 {
		t.Errorf("client-credentials grants = %d, want 1 (to read capabilities)", got)
	}
	if got := w.front.requests.Load(); got != 0 {
		t.Errorf("MCP server saw %d requests, want 0", got)
	}

	// With a JIT advisor that knows the policy, the denial says how to get the capability.
	gate.JITAdvisor = func(_ context.Context, capability string) bool { return capability == "mcp:financial" }
	log = stepLog{}
	out = gate.Call(context.Background(), fin, "c2", json.RawMessage(`{"metric":"EBITDA"}`))
	if out.Status != StatusDenied || !strings.Contains(out.Text, "just in time") || !log.All()[0].JITAvailable {
		t.Errorf("with JIT: %+v %+v", out, log.All()[0])
	}
	// The junior analyst may still search.
	docs, _, _ := newDocumentSearch(mapDocs(map[string]string{"a.md": "# A\n\nQ3"}), "t")
	if out := gate.Call(context.Background(), docs, "c3", json.RawMessage(`{"query":"q3"}`)); out.Status != StatusOK {
		t.Errorf("junior search: %+v", out)
	}
}

func TestExchangeFailureNamesTheOAuthError(t *testing.T) {
	w := startWorld(t)
	agent := w.agent(t, "research-analyst")
	tool := &gatedTool{fakeTool: fakeTool{name: "crm", params: map[string]any{"type": "object"}}, capability: "read:documents", audience: "urn:mcp:crm"}
	var log stepLog
	out := NewGate(agent, log.Emit).Call(context.Background(), tool, "c1", nil)
	if out.Status != StatusFailed || !strings.Contains(out.Text, "invalid_target") || !strings.Contains(out.Text, "urn:mcp:crm") {
		t.Fatalf("outcome: %+v", out)
	}
	var ge *GateError
	var oe *auth.OAuthError
	if !errors.As(out.Err, &ge) || ge.Stage != StageExchange || !errors.As(out.Err, &oe) {
		t.Errorf("err: %v", out.Err)
	}
	if log.kinds() != "check,exchange,result" || log.All()[1].Err == nil || tool.called {
		t.Errorf("steps %s, called %v", log.kinds(), tool.called)
	}
}

func TestUnauthorizedTriggersOneReExchange(t *testing.T) {
	w := startWorld(t)
	agent := w.agent(t, "research-analyst")
	fin := NewFinancialMCP(agent, w.mcpURL)
	defer fin.Close()
	var log stepLog
	gate := NewGate(agent, log.Emit)
	ctx := context.Background()
	if out := gate.Call(ctx, fin, "c1", json.RawMessage(`{"metric":"cash"}`)); out.Status != StatusOK {
		t.Fatalf("first call: %+v", out)
	}

	w.front.set(true, false) // the cached token gets revoked
	log = stepLog{}
	out := gate.Call(ctx, fin, "c2", json.RawMessage(`{"metric":"cash"}`))
	if out.Status != StatusOK {
		t.Fatalf("after revocation: %+v", out)
	}
	if m := log.All()[2].MCP; !m.Retried || m.Status != "ok" || m.HTTP != 200 {
		t.Errorf("mcp step: %+v", m)
	}
	if !log.All()[1].Cached {
		t.Errorf("the gate should have served the cached (revoked) token: %+v", log.All()[1])
	}
	if got := w.auth.exchanges.Load(); got != 2 {
		t.Errorf("exchanges = %d, want 2 (initial + one re-exchange)", got)
	}
	if w.front.unauthz.Load() != 1 || fin.Sessions() != 1 {
		t.Errorf("401s = %d, sessions = %d; want 1 and 1 (session survives)", w.front.unauthz.Load(), fin.Sessions())
	}

	// A server that refuses every token: exactly one re-exchange, then a clear failure.
	w.front.set(false, true)
	before := w.auth.exchanges.Load()
	out = gate.Call(ctx, fin, "c3", json.RawMessage(`{"metric":"cash"}`))
	if out.Status != StatusFailed || !strings.Contains(out.Text, "rejected the token") || !strings.Contains(out.Text, "401") {
		t.Fatalf("always 401: %+v", out)
	}
	if got := w.auth.exchanges.Load() - before; got != 1 {
		t.Errorf("re-exchanges = %d, want exactly 1", got)
	}
	if m := log.All()[log.Len()-2].MCP; m == nil || m.Status != "http 401" || !m.Retried {
		t.Errorf("mcp step: %+v", m)
	}
}

func TestConcurrentCallsShareOneSession(t *testing.T) {
	w := startWorld(t)
	agent := w.agent(t, "research-analyst")
	fin := NewFinancialMCP(agent, w.mcpURL)
	defer fin.Close()
	gate := NewGate(agent, nil)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := fmt.Sprintf(`{"metric":"revenue","period":"2025-Q%d"}`, i%4+1)
			if out := gate.Call(context.Background(), fin, "c", json.RawMessage(q)); out.Status != StatusOK {
				errs <- out.Text
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if fin.Sessions() != 1 {
		t.Errorf("sessions = %d", fin.Sessions())
	}
}

func TestDiscoverConfiguredMCPServer(t *testing.T) {
	w := startWorld(t)
	agent := w.agent(t, "research-analyst")
	cfg := MCPServerConfig{Name: "fin", URL: w.mcpURL, Audience: FinancialAudience, Capability: "mcp:financial"}
	ts, err := DiscoverMCPTools(context.Background(), agent, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer CloseTools(ts)
	reg := NewRegistry(ts...)
	if names := strings.Join(reg.Names(), ","); names != "fin__get_metric,fin__list_metrics" {
		t.Fatalf("tools: %s", names)
	}
	tool, _ := reg.Lookup("fin__get_metric")
	if tool.Capability() != "mcp:financial" || tool.Audience() != FinancialAudience {
		t.Errorf("tool gate settings: %s %s", tool.Capability(), tool.Audience())
	}
	var log stepLog
	gate := NewGate(agent, log.Emit)
	out := gate.Call(context.Background(), tool, "c1", json.RawMessage(`{"metric":"arr"}`))
	if out.Status != StatusOK || log.kinds() != "check,exchange,mcp,result" || !log.All()[1].Cached {
		t.Fatalf("discovered call: %+v %s", out, log.kinds())
	}
	// The server's schema is enforced by the gate before any call.
	if out := gate.Call(context.Background(), tool, "c2", json.RawMessage(`{"period":"Q3"}`)); out.Status != StatusFailed || !strings.Contains(out.Text, `"metric"`) {
		t.Errorf("schema: %+v", out)
	}

	junior := w.agent(t, "junior-analyst")
	if _, err := DiscoverMCPTools(context.Background(), junior, cfg); err == nil || !strings.Contains(err.Error(), "delegation_not_allowed") {
		t.Errorf("junior discovery: %v", err)
	}
	if _, err := DiscoverMCPTools(context.Background(), agent, MCPServerConfig{Name: "bad name", URL: w.mcpURL, Audience: "x"}); err == nil {
		t.Error("bad name accepted")
	}
}

// gatedTool is a fakeTool that requires a capability and an audience.
type gatedTool struct {
	fakeTool
	capability, audience string
	called               bool
}

func (g *gatedTool) Capability() string { return g.capability }
func (g *gatedTool) Audience() string   { return g.audience }
func (g *gatedTool) Call(context.Context, json.RawMessage, *auth.Credential) (Result, error) {
	g.called = true
	return Result{Text: "ok"}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
