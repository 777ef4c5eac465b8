package app

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/tools"
)

func TestPortAfter(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"http://127.0.0.1:8787": "8788", "http://[::1]:9000": "9001", "http://h": "", "::": "", "http://h:65535": ""} {
		if got := portAfter(in, 1); got != want {
			t.Errorf("portAfter(%q, 1) = %q, want %q", in, got, want)
		}
	}
}

func TestServeNetwork(t *testing.T) {
	t.Parallel()
	for addr, exposed := range map[string]bool{"127.0.0.1:8787": false, "localhost:1": false, "[::1]:1": false,
		"0.0.0.0:8787": true, ":8787": true, "[::]:1": true, "192.0.2.7:8787": true} {
		sn, err := serveNetwork(addr)
		if err != nil || sn.exposed != exposed {
			t.Errorf("serveNetwork(%q) = %+v, %v; want exposed %v", addr, sn, err, exposed)
		}
		if ip := net.ParseIP(sn.public); exposed && ip != nil && ip.IsUnspecified() {
			t.Errorf("serveNetwork(%q) announces %s, which no client can dial", addr, sn.public)
		}
	}
	if _, err := serveNetwork("8787"); err == nil || !strings.Contains(err.Error(), "want host:port") {
		t.Errorf("a bare port: %v", err)
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
	stop, err := serveFinancialMCP(as.Dev, serveNet{listenHost: "127.0.0.1", public: "127.0.0.1"}, &out)
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
