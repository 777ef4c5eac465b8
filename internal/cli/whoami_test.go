package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
)

// knownSecretConfig writes a lumodash config whose devserver file fixes research-analyst's
// secret, so tests can assert it never appears.
func knownSecretConfig(env *clitest.Env) (configPath, secret string) {
	secret = "known-secret-Zq7Xv2Lp9Wm4"
	dev := env.WriteFile("devserver.yaml", "agents:\n  - client_id: research-analyst\n    client_secret: "+secret+"\n    name: Research Analyst\n"+
		"    capabilities: [read:documents, mcp:financial]\n    budget: {max_tokens_per_day: 100000, tokens_used_today: 61000, max_api_calls_per_hour: 500}\n"+
		"resources:\n  - {audience: urn:mcp:financial-data, capability: mcp:financial, scope: financial:read}\n")
	return env.WriteFile("config.yaml", "devserver: "+dev+"\n"), secret
}

func TestWhoamiEmbeddedShowsIdentityNeverSecrets(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	cfg, secret := knownSecretConfig(env)
	r := env.Run("", "whoami", "--config", cfg, "--audience", "urn:mcp:financial-data")
	if r.Code != cli.ExitOK {
		t.Fatalf("exit %d: %s\n%s", r.Code, r.Stderr, r.Stdout)
	}
	for _, want := range []string{"Research Analyst", "read:documents, mcp:financial", "EMBEDDED", "61,000 of 100,000 (61%)",
		"resets 20", "sha256:", "agent:research-analyst", "urn:mcp:financial-data", "financial:read", "token_use   exchange"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, secret) || clitest.JWT.MatchString(r.Stdout) {
		t.Errorf("output reveals the secret or a raw token:\n%s", r.Stdout)
	}
}

// The default configuration file ($XDG_CONFIG_HOME/lumodash/config.yaml of the environment)
// is read when --config is not given.
func TestWhoamiReadsTheDefaultConfigFile(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	cfg, _ := knownSecretConfig(env)
	data, _ := os.ReadFile(cfg)
	env.WriteFile(filepath.Join("lumodash", "config.yaml"), string(data))
	r := env.Run("", "whoami")
	if r.Code != cli.ExitOK || !strings.Contains(r.Stdout, "61,000 of 100,000 (61%)") {
		t.Errorf("exit %d: %s\n%s", r.Code, r.Stderr, r.Stdout)
	}
}

func TestWhoamiJSON(t *testing.T) {
	t.Parallel()
	r := clitest.NewEnv(t).Run("", "whoami", "--json", "--agent", "capped-analyst")
	if r.Code != cli.ExitOK {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	var rep struct {
		Server struct{ Embedded bool }
		Agent  struct {
			Name         string
			Capabilities []string
			Budget       struct {
				MaxTokensPerDay int64 `json:"max_tokens_per_day"`
				TokensUsedToday int64 `json:"tokens_used_today"`
			} `json:"budget_policy"`
		}
		Token struct {
			Fingerprint string
			Claims      struct{ Sub, Scope string }
		}
	}
	if err := json.Unmarshal([]byte(r.Stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.Stdout)
	}
	if !rep.Server.Embedded || rep.Agent.Name != "Capped Analyst" || len(rep.Agent.Capabilities) != 2 ||
		rep.Agent.Budget.TokensUsedToday != 99000 || rep.Agent.Budget.MaxTokensPerDay != 100000 ||
		len(rep.Token.Fingerprint) < 8 || rep.Token.Claims.Sub != "agent:capped-analyst" {
		t.Errorf("report = %+v", rep)
	}
	if clitest.JWT.MatchString(r.Stdout) {
		t.Error("JSON reveals a raw token")
	}
}

func TestWhoamiExchangeRefusedExitsAuth(t *testing.T) {
	t.Parallel()
	r := clitest.NewEnv(t).Run("", "whoami", "--agent", "junior-analyst", "--audience", "urn:mcp:financial-data")
	if r.Code != cli.ExitAuth || !strings.Contains(r.Stderr, "delegation_not_allowed") {
		t.Fatalf("exit %d, stderr %s", r.Code, r.Stderr)
	}
	if !strings.Contains(r.Stdout, "Junior Analyst") || !strings.Contains(r.Stdout, "FAILED · delegation_not_allowed") {
		t.Errorf("output:\n%s", r.Stdout)
	}
}

func TestWhoamiConfigurationErrors(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	r := env.Run("", "whoami", "--agent", "ghost")
	if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "research-analyst, junior-analyst, capped-analyst") {
		t.Errorf("unknown agent: exit %d, %s", r.Code, r.Stderr)
	}
	r = env.Run("", "whoami", "--lumoauth-url", "http://127.0.0.1:1")
	if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "lumodash: ") {
		t.Errorf("URL without org or tenant: exit %d, %s", r.Code, r.Stderr)
	}
	bad := env.WriteFile("bad.yaml", "agents:\n  - client_id: a\n    colour: red\n")
	cfg := env.WriteFile("cfg.yaml", "devserver: "+bad+"\n")
	r = env.Run("", "whoami", "--config", cfg)
	if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "line 3") {
		t.Errorf("bad devserver file: exit %d, %s", r.Code, r.Stderr)
	}
}

// A real server configured through a dotenv file; a flag overrides the client id, and a wrong
// secret for that client is an authentication failure (exit 3), not a configuration one.
func TestWhoamiAgainstConfiguredServerViaDotEnv(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	dev, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	id, secret, _ := dev.Credentials("research-analyst")
	dotenv := env.WriteFile("agent.env", "LUMOAUTH_URL="+dev.URL()+"\nLUMOAUTH_TENANT=acme-corp\nAGENT_CLIENT_ID="+id+"\nAGENT_CLIENT_SECRET="+secret+"\n")
	r := env.Run("", "whoami", "--env-file", dotenv)
	if r.Code != cli.ExitOK || !strings.Contains(r.Stdout, "Research Analyst") || strings.Contains(r.Stdout, "EMBEDDED") || !strings.Contains(r.Stdout, "LumoAuth") {
		t.Fatalf("exit %d %s:\n%s", r.Code, r.Stderr, r.Stdout)
	}
	if strings.Contains(r.Stdout, secret) {
		t.Error("output reveals the secret")
	}
	r = env.Run("", "whoami", "--env-file", dotenv, "--client-id", "junior-analyst")
	if r.Code != cli.ExitAuth || !strings.Contains(r.Stderr, "invalid_client") || strings.Contains(r.Stderr, secret) {
		t.Errorf("wrong secret: exit %d, %s", r.Code, r.Stderr)
	}
}
