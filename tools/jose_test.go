package tools

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/testpeers"
)

// startJoseServer runs testdata/jose-server.mjs: an MCP server (TypeScript SDK) that verifies
// every token with jose against the devserver's JWKS, for audience.
func startJoseServer(t *testing.T, dev *devserver.Server, audience string) string {
	t.Helper()
	node, modules := testpeers.Node(t, "jose")
	testpeers.Node(t, "@modelcontextprotocol/sdk")
	script := testpeers.Script(t, modules, filepath.Join("testdata", "jose-server.mjs"))
	cmd := exec.Command(node, script, dev.Issuer(), dev.JWKSURL(), audience)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "listening "); ok {
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p + "/mcp"
	case <-time.After(60 * time.Second):
		t.Fatal("the jose MCP server did not start within 60s")
	}
	return ""
}

// A bring-your-own server that verifies tokens with third-party code (jose) accepts the
// tokens lumodash's gate exchanges for it and refuses anything else with invalid_token.
func TestJoseVerifyingServerThroughTheGate(t *testing.T) {
	const audience = "urn:mcp:reports"
	cfg := devserver.DefaultConfig()
	cfg.Resources = append(cfg.Resources, devserver.ResourceConfig{Audience: audience, Capability: "mcp:financial", Scope: "reports:read"})
	dev, err := devserver.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close() })
	w := &testWorld{dev: dev, auth: &tokenCounter{base: http.DefaultTransport}}
	url := startJoseServer(t, dev, audience)

	agent := w.agent(t, "research-analyst")
	server := MCPServerConfig{Name: "reports", URL: url, Audience: audience, Capability: "mcp:financial"}
	ts, st, err := Discover(context.Background(), agent, server, Discovery{})
	if err != nil || st.State != ServerReachable || len(ts) != 1 || ts[0].Name() != "reports__token_claims" {
		t.Fatalf("discovery: %+v %v %d tools", st, err, len(ts))
	}
	defer CloseTools(ts)
	out := NewGate(agent, nil).Call(context.Background(), ts[0], "c1", json.RawMessage(`{}`))
	var claims struct {
		Sub, Scope string
		Aud        any
		Act        struct {
			ClientID string `json:"client_id"`
		}
	}
	if out.Status != StatusOK || json.Unmarshal([]byte(out.Text), &claims) != nil {
		t.Fatalf("call: %+v", out)
	}
	if claims.Aud != audience || claims.Scope != "reports:read" || claims.Act.ClientID != "research-analyst" {
		t.Errorf("the server verified %+v", claims)
	}

	// A token for another audience (the financial server's) is refused by jose.
	wrong, err := agent.Exchange(context.Background(), FinancialAudience)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	wrong.SetAuthHeader(req)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("wrong audience: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}
