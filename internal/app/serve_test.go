package app

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/tools"
)

func TestNextPort(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"http://127.0.0.1:8787": "127.0.0.1:8788", "http://[::1]:9000": "[::1]:9001", "http://h": "127.0.0.1:0", "::": "127.0.0.1:0"} {
		if got := nextPort(in); got != want {
			t.Errorf("nextPort(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"abc-1_2": "abc-1_2", "http://127.0.0.1:8787": "http://127.0.0.1:8787",
		"it's": `'it'\''s'`, "a b": "'a b'", "": "''", "$(rm)": "'$(rm)'"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestServeFinancialMCP(t *testing.T) {
	t.Parallel()
	as, err := startEmbeddedAuth(Settings{Agent: DefaultAgent, EphemeralKey: true}, "", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer as.Close()
	var out strings.Builder
	stop, err := serveFinancialMCP(as.Dev, &out)
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
