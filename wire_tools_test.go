package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/tools"
)

func TestStartMCPEmbeddedAndConfiguredServers(t *testing.T) {
	ctx := context.Background()
	g := &globalFlags{agent: "research-analyst"}
	as, err := startEmbeddedAuth(g.agent, "", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer as.Close()
	first, err := startMCP(ctx, g, &fileConfig{}, as)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if len(first.Parts) != 1 || !first.Parts[0].Embedded || first.Parts[0].Role != "mcp" || !strings.HasPrefix(first.Parts[0].Host, "127.0.0.1:") {
		t.Fatalf("parts: %+v", first.Parts)
	}

	// A user's own secured MCP server, here the first stack's embedded one, added by config.
	fc := &fileConfig{MCPServers: []mcpServerConfig{{Name: "fin", URL: first.FinancialURL(), Audience: tools.FinancialAudience, Capability: "mcp:financial"}}}
	m, err := startMCP(ctx, &globalFlags{agent: g.agent, mcpURL: first.FinancialURL()}, fc, as)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if len(m.Parts) != 2 || m.Parts[0].Embedded || m.Parts[1].Name != "fin" {
		t.Errorf("parts: %+v", m.Parts)
	}

	research, _ := as.NewAgent("research-analyst", nil)
	reg, closeReg, err := m.Registry(ctx, research)
	if err != nil {
		t.Fatal(err)
	}
	defer closeReg()
	if got := strings.Join(reg.Names(), ","); got != "fin__get_metric,fin__list_metrics,query_financial_mcp,search_company_documents" {
		t.Fatalf("tools: %s", got)
	}
	tool, _ := reg.Lookup("fin__list_metrics")
	if out := tools.NewGate(research, nil).Call(ctx, tool, "c", json.RawMessage(`{}`)); out.Status != tools.StatusOK || !strings.Contains(out.Text, "ebitda") {
		t.Errorf("discovered tool call: %+v", out)
	}

	// The junior analyst may not exchange a token for it: the server is left out with a notice.
	junior, _ := as.NewAgent("junior-analyst", nil)
	reg2, close2, err := m.Registry(ctx, junior)
	if err != nil {
		t.Fatal(err)
	}
	defer close2()
	if got := strings.Join(reg2.Names(), ","); got != "query_financial_mcp,search_company_documents" {
		t.Errorf("junior tools: %s", got)
	}
	if n := strings.Join(m.Notices(), "\n"); !strings.Contains(n, "MCP server fin left out") || !strings.Contains(n, "delegation_not_allowed") {
		t.Errorf("notices: %q", n)
	}
}

func TestStartMCPRejectsBadServers(t *testing.T) {
	as, err := startEmbeddedAuth("research-analyst", "", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer as.Close()
	for _, s := range []mcpServerConfig{
		{Name: "bad name", URL: "https://x/mcp", Audience: "a"},
		{Name: "x", URL: "ftp://x/mcp", Audience: "a"},
		{Name: "x", URL: "http://remote.example.com/mcp", Audience: "a"},
	} {
		_, err := startMCP(context.Background(), &globalFlags{}, &fileConfig{MCPServers: []mcpServerConfig{s}}, as)
		if code := exitCodeOf(err); code != exitConfig {
			t.Errorf("%+v: %v (exit %d)", s, err, code)
		}
	}
}

func TestNextPort(t *testing.T) {
	for in, want := range map[string]string{"http://127.0.0.1:8787": "127.0.0.1:8788", "http://[::1]:9000": "[::1]:9001", "http://h": "127.0.0.1:0", "::": "127.0.0.1:0"} {
		if got := nextPort(in); got != want {
			t.Errorf("nextPort(%q) = %q, want %q", in, got, want)
		}
	}
}

func exitCodeOf(err error) int {
	if err == nil {
		return exitOK
	}
	if ce, ok := err.(*codedError); ok {
		return ce.code
	}
	return -1
}

func TestServeFinancialMCP(t *testing.T) {
	as, err := startEmbeddedAuth("research-analyst", "", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer as.Close()
	var out strings.Builder
	stop, err := serveFinancialMCP(context.Background(), &globalFlags{}, &fileConfig{}, as.Dev, &out)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	var url string
	for _, f := range strings.Fields(out.String()) {
		if strings.HasSuffix(f, "/mcp") {
			url = f
			break
		}
	}
	if url == "" || !strings.Contains(out.String(), tools.FinancialAudience) {
		t.Fatalf("banner: %s", out.String())
	}
	agent, _ := as.NewAgent("", nil)
	fin := tools.NewFinancialMCP(agent, url)
	defer fin.Close()
	if res := tools.NewGate(agent, nil).Call(context.Background(), fin, "c", json.RawMessage(`{"metric":"arr"}`)); res.Status != tools.StatusOK {
		t.Errorf("call through the served MCP server: %+v", res)
	}
}
