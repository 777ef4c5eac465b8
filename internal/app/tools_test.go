package app

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/tools"
)

func TestStartToolsEmbeddedAndConfiguredServers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := Settings{Agent: DefaultAgent}
	as, err := startEmbeddedAuth(s.Agent, "", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer as.Close()
	first, err := startTools(s, &Config{}, as)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if len(first.Parts) != 1 || !first.Parts[0].Embedded || first.Parts[0].Role != "mcp" || !strings.HasPrefix(first.Parts[0].Host, "127.0.0.1:") {
		t.Fatalf("parts: %+v", first.Parts)
	}

	// A user's own secured MCP server, here the first side's embedded one, added by config.
	cfg := &Config{MCPServers: []mcpServerConfig{{Name: "fin", URL: first.FinancialURL(), Audience: tools.FinancialAudience, Capability: "mcp:financial"}}}
	m, err := startTools(Settings{Agent: s.Agent, MCPURL: first.FinancialURL()}, cfg, as)
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

func TestStartToolsRejectsBadServers(t *testing.T) {
	t.Parallel()
	as, err := startEmbeddedAuth(DefaultAgent, "", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer as.Close()
	for _, s := range []mcpServerConfig{
		{Name: "bad name", URL: "https://x/mcp", Audience: "a"},
		{Name: "x", URL: "ftp://x/mcp", Audience: "a"},
		{Name: "x", URL: "http://remote.example.com/mcp", Audience: "a"},
	} {
		_, err := startTools(Settings{}, &Config{MCPServers: []mcpServerConfig{s}}, as)
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%+v: %v (not a configuration error)", s, err)
		}
	}
}

func TestConfigRootsAndDeclaredTools(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, "research"), 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, "config.yaml")
	write := func(body string) {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := func(k string) string { return map[string]string{"HOME": home}[k] }
	s := DefaultSettings(env)
	s.ConfigPath = path
	write("roots: [~/research]\nmcp_servers:\n  - {name: crm, url: http://127.0.0.1:1/mcp, audience: urn:mcp:crm, tools: [{name: find, description: Find}]}\n")
	cfg, err := LoadConfig(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Roots) != 1 || cfg.Roots[0] != filepath.Join(home, "research") || cfg.MCPServers[0].Tools[0].Name != "find" {
		t.Errorf("config: %+v", cfg)
	}
	for body, want := range map[string]string{
		"roots: [/no/such/folder]\n": "roots[0] \"/no/such/folder\" is not a folder",
		"mcp_servers:\n  - {name: crm, url: http://127.0.0.1:1/mcp, audience: a, tools: [{description: x}]}\n": "tools[0] needs a name",
		"mcp_servers:\n  - {name: crm, url: http://127.0.0.1:1/mcp, audience: a, tools: [{nmae: x}]}\n":        "unknown key \"nmae\" in an mcp_servers tools entry — did you mean name?",
	} {
		write(body)
		if _, err := LoadConfig(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", body, err, want)
		}
	}
}
