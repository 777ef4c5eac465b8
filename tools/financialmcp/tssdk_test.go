package financialmcp

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/testpeers"
)

// The real MCP TypeScript SDK client (npm @modelcontextprotocol/sdk) with its stock
// ClientCredentialsProvider, given only an agent's credentials and the MCP server's URL:
// it must discover everything from the first 401 (RFC 9728 metadata naming this URL, RFC 8414
// metadata of the issuer), get an audience-bound token (RFC 8707 resource) and list and call
// the financial tools; the headcount stays refused without a JIT grant.
func TestTypeScriptSDKClientCredentials(t *testing.T) {
	node, modules := testpeers.Node(t, "@modelcontextprotocol/sdk")
	w := startWorld(t, nil)
	script := testpeers.Script(t, modules, filepath.Join("testdata", "ts-client-credentials.mjs"))
	id, secret, _ := w.dev.Credentials("research-analyst")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, w.mcp.URL(), id, secret)
	cmd.Dir = filepath.Dir(script)
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v (stderr %s)", err, stderrOf(err))
	}
	var got struct {
		Tools     []string `json:"tools"`
		Text      string   `json:"text"`
		IsError   bool     `json:"isError"`
		Headcount string   `json:"headcount"`
		Error     string   `json:"error"`
		Claims    struct {
			Iss      string `json:"iss"`
			Scope    string `json:"scope"`
			ClientID string `json:"client_id"`
			Aud      any    `json:"aud"`
		} `json:"claims"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("output %q: %v", raw, err)
	}
	if got.Error != "" {
		t.Fatalf("the TypeScript client failed: %s", got.Error)
	}
	want, _ := Lookup("EBITDA", "2026-Q3")
	if strings.Join(got.Tools, ",") != "get_metric,list_metrics" || got.IsError || got.Text != want.Line() {
		t.Errorf("tools %v, get_metric %q (error %v), want %q", got.Tools, got.Text, got.IsError, want.Line())
	}
	if got.Claims.Aud != w.mcp.URL() || got.Claims.Scope != Scope || got.Claims.Iss != w.dev.Issuer() || got.Claims.ClientID != id {
		t.Errorf("token claims %+v: want aud %s (RFC 8707), scope %s", got.Claims, w.mcp.URL(), Scope)
	}
	if !strings.Contains(got.Headcount, "insufficient_authorization_details") {
		t.Errorf("headcount without a JIT grant: %q", got.Headcount)
	}
	if strings.Contains(string(raw), secret) {
		t.Error("the script printed the client secret")
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}
