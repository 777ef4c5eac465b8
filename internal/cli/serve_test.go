package cli_test

import (
	"bufio"
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
)

// parseExports returns, per client id, the variables of its export block.
func parseExports(out string) map[string]map[string]string {
	blocks := map[string]map[string]string{}
	var cur map[string]string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		kv, ok := strings.CutPrefix(line, "export ")
		if !ok {
			cur = nil
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		v = strings.Trim(v, "'")
		if cur == nil {
			cur = map[string]string{}
		}
		cur[k] = v
		if k == "AGENT_CLIENT_ID" {
			blocks[v] = cur
		}
	}
	return blocks
}

// urlAfter is the first http URL on the line that starts with prefix.
func urlAfter(out, prefix string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			for _, f := range strings.Fields(line) {
				if strings.HasPrefix(f, "http://") {
					return f
				}
			}
		}
	}
	return ""
}

func TestServePrintsExportsThatWhoamiCanUse(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &clitest.Output{}
	done := make(chan clitest.Result, 1)
	go func() { done <- env.RunContext(ctx, "", out, "serve", "--addr", "127.0.0.1:0") }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "serving; press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	printed := out.String()
	// The parts next to the devserver, in the banner's order: financial MCP server, demo model.
	mcpURL, modelURL := urlAfter(printed, "financial MCP server (embedded)"), urlAfter(printed, "demo model (embedded")
	if mcpURL == "" || modelURL == "" || strings.Index(printed, "financial MCP server") > strings.Index(printed, "demo model") {
		t.Fatalf("the financial MCP server and the demo model are not announced in order:\n%s", printed)
	}
	for _, u := range []string{mcpURL, modelURL + "/v1/models"} { // any answer: the part is up
		if res, err := http.Get(u); err != nil {
			t.Errorf("%s: %v", u, err)
		} else {
			res.Body.Close()
		}
	}
	exports := parseExports(printed)
	for _, name := range []string{"research-analyst", "junior-analyst", "capped-analyst", "operator"} {
		vars := exports[name]
		for _, k := range []string{"LUMOAUTH_URL", "LUMOAUTH_TENANT", "LUMOAUTH_ORG_ID", "AGENT_CLIENT_SECRET"} {
			if vars[k] == "" {
				t.Errorf("%s: no export %s in:\n%s", name, k, printed)
			}
		}
	}
	ra := exports["research-analyst"]
	client := clitest.NewEnv(t)
	for k, v := range ra {
		client.Set(k, v)
	}
	r := client.Run("", "whoami", "--audience", "urn:mcp:financial-data")
	whoami := r.Stdout
	if r.Code != cli.ExitOK {
		t.Fatalf("whoami against serve: exit %d %s\n%s", r.Code, r.Stderr, whoami)
	}
	if !strings.Contains(whoami, "Research Analyst") || !strings.Contains(whoami, "mcp:financial") ||
		!strings.Contains(whoami, "LumoAuth · "+strings.TrimPrefix(ra["LUMOAUTH_URL"], "http://")) {
		t.Errorf("whoami output:\n%s", whoami)
	}
	if strings.Contains(whoami, ra["AGENT_CLIENT_SECRET"]) || clitest.JWT.MatchString(whoami) {
		t.Error("whoami reveals the secret or a raw token")
	}

	cancel()
	select {
	case r := <-done:
		if r.Code != cli.ExitOK {
			t.Fatalf("serve exited %d: %s", r.Code, r.Stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
	for _, u := range []string{ra["LUMOAUTH_URL"], mcpURL, modelURL} {
		if _, err := http.Get(u); err == nil {
			t.Errorf("%s still answers after shutdown", u)
		}
	}
}

func TestServeBadAddressAndFile(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	if r := env.Run("", "serve", "--addr", "256.0.0.1:99999"); r.Code == cli.ExitOK {
		t.Error("serve accepted an impossible address")
	}
	r := env.Run("", "serve", "--addr", "127.0.0.1:0", "--devserver", filepath.Join(env.Dir, "missing.yaml"))
	if r.Code == cli.ExitOK || !strings.Contains(r.Stderr, "missing.yaml") {
		t.Errorf("missing devserver file: exit %d, %s", r.Code, r.Stderr)
	}
}
