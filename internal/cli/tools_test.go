package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/testpeers"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// everythingEnv is an environment whose configuration adds server-everything (a real npm
// MCP server) as a bring-your-own server behind mcp:everything, which only the research
// analyst holds; the junior analyst may request it just in time.
func everythingEnv(t *testing.T, tools string) *clitest.Env {
	t.Helper()
	url := testpeers.Everything(t)
	env := clitest.NewEnv(t)
	dev := env.WriteFile("world.yaml", `organization: acme-corp
agents:
  - client_id: research-analyst
    capabilities: [read:documents, mcp:financial, mcp:everything]
  - client_id: junior-analyst
    capabilities: [read:documents]
resources:
  - audience: urn:mcp:financial-data
    capability: mcp:financial
    scope: financial:read
  - audience: urn:mcp:everything
    capability: mcp:everything
    scope: everything:read
jit_rules:
  - capability: mcp:everything
    risk: low
`)
	env.WriteFile(filepath.Join("lumodash", "config.yaml"), "devserver: "+dev+`
mcp_servers:
  - name: everything
    url: `+url+`
    audience: urn:mcp:everything
    capability: mcp:everything
`+tools)
	return env
}

type toolsJSON struct {
	Agent   string `json:"agent"`
	Servers []struct {
		Name, State, Reason, Source string
	} `json:"servers"`
	Tools []struct {
		Name, Server, Capability, Description, State string
	} `json:"tools"`
}

func listTools(t *testing.T, env *clitest.Env, agent string) toolsJSON {
	t.Helper()
	r := env.Run("", "--agent", agent, "tools", "--json")
	if r.Code != cli.ExitOK {
		t.Fatalf("tools: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	var got toolsJSON
	if err := json.Unmarshal([]byte(r.Stdout), &got); err != nil {
		t.Fatalf("tools --json: %v\n%s", err, r.Stdout)
	}
	return got
}

func TestToolsListsABringYourOwnServerReachableThenDenied(t *testing.T) {
	env := everythingEnv(t, "")
	got := listTools(t, env, "research-analyst")
	if len(got.Servers) != 1 || got.Servers[0].State != "reachable" {
		t.Fatalf("servers: %+v", got.Servers)
	}
	echo := -1
	for i, l := range got.Tools {
		if l.Name == "everything__echo" {
			echo = i
		}
	}
	if echo < 0 || got.Tools[echo].Server != "everything" || got.Tools[echo].Capability != "mcp:everything" || got.Tools[echo].State != "reachable" || got.Tools[echo].Description == "" {
		t.Fatalf("tools: %+v", got.Tools)
	}
	if fi, err := os.Stat(filepath.Join(env.Dir, ".cache", "lumodash", "mcp-tools", "everything.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("discovery cache: %v %v", fi, err)
	}

	// What the server sends during a call is shown: progress, and roots/list answered (no
	// roots configured) instead of hanging get-roots-list.
	r := env.Run("", "call", "everything__trigger-long-running-operation", "duration=1", "steps=2")
	if r.Code != cli.ExitOK || !strings.Contains(r.Stderr, "mcp: everything progress 1 (50%) · trigger-long-running-operation") {
		t.Errorf("long-running: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	r = env.Run("", "call", "everything__get-roots-list")
	if r.Code != cli.ExitOK || !strings.Contains(r.Stdout, "no roots are currently configured") {
		t.Errorf("get-roots-list: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}

	// The junior analyst is refused a token: the tools come from the cache, denied.
	j := listTools(t, env, "junior-analyst")
	if j.Servers[0].State != "denied" || j.Servers[0].Source != "cache" || !strings.Contains(j.Servers[0].Reason, "delegation_not_allowed") || len(j.Tools) != len(got.Tools) {
		t.Fatalf("junior: %+v (%d tools, research %d)", j.Servers, len(j.Tools), len(got.Tools))
	}
	r = env.Run("", "--agent", "junior-analyst", "call", "everything__echo", "message=hi")
	if r.Code != cli.ExitDenied || !strings.Contains(r.Stderr, "mcp:everything") {
		t.Errorf("junior call: exit %d, want %d (denied, not unknown tool)\n%s%s", r.Code, cli.ExitDenied, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "MCP server everything denied") {
		t.Errorf("no notice of the denied server:\n%s", r.Stderr)
	}
	// A session says the same in its session.start event: the server's part is denied, with
	// why, and the tools offered are listed.
	r = env.Run("", "--agent", "junior-analyst", "run", "--json", clitest.SeedPrompt)
	starts := clitest.OfKind(clitest.Events(t, r.Stdout), session.KindSessionStart)
	if len(starts) != 1 {
		t.Fatalf("run: exit %d, %d session.start\n%s", r.Code, len(starts), r.Stderr)
	}
	var part session.Part
	for _, p := range starts[0].Parts {
		if p.Name == "everything" {
			part = p
		}
	}
	if part.Status != "denied" || !strings.Contains(part.Reason, "delegation_not_allowed") || len(starts[0].Tools) != len(got.Tools) {
		t.Errorf("session.start: part %+v, %d tools", part, len(starts[0].Tools))
	}
	for _, l := range starts[0].Tools {
		if l.Server == "everything" && l.State != tools.ServerDenied {
			t.Errorf("session.start tool %+v", l)
		}
	}

	r = env.Run("", "tools")
	if r.Code != cli.ExitOK || !strings.Contains(r.Stdout, "everything__echo") || !strings.Contains(r.Stdout, "MCP server everything") {
		t.Errorf("tools (text): exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}

func TestToolsDeclaredInTheConfigurationAreDenied(t *testing.T) {
	env := everythingEnv(t, `    tools:
      - name: echo
        description: Echoes back the input
        input_schema: {type: object, properties: {message: {type: string}}, required: [message]}
`)
	j := listTools(t, env, "junior-analyst")
	if len(j.Tools) != 3 || j.Tools[2].Name != "everything__echo" || j.Tools[2].State != "denied" || j.Servers[0].Source != "config" {
		t.Fatalf("junior: %+v %+v", j.Servers, j.Tools)
	}
	if r := env.Run("", "--agent", "junior-analyst", "call", "everything__echo", "message=hi"); r.Code != cli.ExitDenied {
		t.Errorf("call: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
}
