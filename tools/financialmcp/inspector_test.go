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

// MCP Inspector's CLI (npm @modelcontextprotocol/inspector), as a user would run it with a
// bearer token exchanged by lumodash's authorization server: it lists the financial tools and
// calls one; without the token it is told to authorize.
func TestInspectorCLIWithBearerToken(t *testing.T) {
	node, modules := testpeers.Node(t, "@modelcontextprotocol/inspector")
	w := startWorld(t, nil)
	token := w.exchanged(t, orgs, w.agentToken(t, orgs, "research-analyst"))
	cli := filepath.Join(modules, "@modelcontextprotocol/inspector/clients/launcher/build/index.js")
	inspect := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, node, append([]string{cli, "--cli", w.mcp.URL(), "--transport", "http"}, args...)...)
		cmd.Env = append(cmd.Environ(), "MCP_CATALOG_PATH="+filepath.Join(t.TempDir(), "mcp.json"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := inspect("--method", "tools/list", "--header", "Authorization: Bearer "+token)
	if err != nil {
		t.Fatalf("tools/list: %v\n%s", err, out)
	}
	var listed struct {
		Tools []struct{ Name string } `json:"tools"`
	}
	// The JSON answer comes first; the CLI may add notes (schema portability) after it.
	if err := json.NewDecoder(strings.NewReader(out[strings.Index(out, "{"):])).Decode(&listed); err != nil || len(listed.Tools) != 2 || listed.Tools[0].Name != "get_metric" {
		t.Fatalf("tools/list: %v\n%s", err, out)
	}
	out, err = inspect("--method", "tools/call", "--tool-name", "get_metric", "--tool-arg", "metric=EBITDA", "period=2026-Q3", "--header", "Authorization: Bearer "+token)
	want, _ := Lookup("EBITDA", "2026-Q3")
	if err != nil || !strings.Contains(out, want.Line()) {
		t.Errorf("tools/call: %v\n%s", err, out)
	}
	// Without a token the server's 401 sends the Inspector to its (interactive) OAuth flow.
	if out, err := inspect("--method", "tools/list"); err == nil || !strings.Contains(out, "auth_required") {
		t.Errorf("no token: %v\n%s", err, out)
	}
}
