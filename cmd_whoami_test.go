package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
)

// jwtPattern matches anything shaped like a raw JWT.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.`)

// isolate clears the LumoAuth environment and the default config location, so a test starts
// the embedded server unless it configures something itself.
func isolate(t *testing.T) string {
	t.Helper()
	for _, k := range []string{"LUMOAUTH_URL", "LUMOAUTH_ORG_ID", "LUMOAUTH_TENANT", "AGENT_CLIENT_ID", "AGENT_CLIENT_SECRET"} {
		t.Setenv(k, "")
	}
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	return dir
}

// runCLI runs lumodash with args like execute does, returning stdout and the exit code.
func runCLI(t *testing.T, args ...string) (string, int, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return out.String(), exitOK, nil
	}
	var ce *codedError
	if errors.As(err, &ce) {
		return out.String(), ce.code, err
	}
	return out.String(), exitConfig, err
}

// knownSecretConfig writes a lumodash config whose devserver file fixes research-analyst's
// secret, so tests can assert it never appears.
func knownSecretConfig(t *testing.T, dir string) (configPath, secret string) {
	t.Helper()
	secret = "known-secret-Zq7Xv2Lp9Wm4"
	dev := filepath.Join(dir, "devserver.yaml")
	yaml := "agents:\n  - client_id: research-analyst\n    client_secret: " + secret + "\n    name: Research Analyst\n" +
		"    capabilities: [read:documents, mcp:financial]\n    budget: {max_tokens_per_day: 100000, tokens_used_today: 61000, max_api_calls_per_hour: 500}\n" +
		"resources:\n  - {audience: urn:mcp:financial-data, capability: mcp:financial, scope: financial:read}\n"
	configPath = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(dev, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(configPath, []byte("devserver: "+dev+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return configPath, secret
}

func TestWhoamiEmbeddedShowsIdentityNeverSecrets(t *testing.T) {
	dir := isolate(t)
	cfg, secret := knownSecretConfig(t, dir)
	out, code, err := runCLI(t, "whoami", "--config", cfg, "--env-file", filepath.Join(dir, "none.env"), "--audience", "urn:mcp:financial-data")
	if code != exitOK {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	for _, want := range []string{"Research Analyst", "read:documents, mcp:financial", "EMBEDDED", "61,000 / 100,000 (61%)",
		"resets 20", "sha256:", "agent:research-analyst", "urn:mcp:financial-data", "financial:read", "token_use   exchange"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, secret) || jwtPattern.MatchString(out) {
		t.Errorf("output reveals the secret or a raw token:\n%s", out)
	}
}

func TestWhoamiJSON(t *testing.T) {
	dir := isolate(t)
	out, code, err := runCLI(t, "whoami", "--json", "--agent", "capped-analyst", "--env-file", filepath.Join(dir, "none.env"))
	if code != exitOK {
		t.Fatalf("exit %d: %v", code, err)
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
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !rep.Server.Embedded || rep.Agent.Name != "Capped Analyst" || len(rep.Agent.Capabilities) != 2 ||
		rep.Agent.Budget.TokensUsedToday != 99000 || rep.Agent.Budget.MaxTokensPerDay != 100000 ||
		len(rep.Token.Fingerprint) < 8 || rep.Token.Claims.Sub != "agent:capped-analyst" {
		t.Errorf("report = %+v", rep)
	}
	if jwtPattern.MatchString(out) {
		t.Error("JSON reveals a raw token")
	}
}

func TestWhoamiExchangeRefusedExitsAuth(t *testing.T) {
	dir := isolate(t)
	out, code, err := runCLI(t, "whoami", "--agent", "junior-analyst", "--audience", "urn:mcp:financial-data", "--env-file", filepath.Join(dir, "none.env"))
	if code != exitAuth || err == nil || !strings.Contains(err.Error(), "delegation_not_allowed") {
		t.Fatalf("exit %d, err %v", code, err)
	}
	if !strings.Contains(out, "Junior Analyst") || !strings.Contains(out, "FAILED · delegation_not_allowed") {
		t.Errorf("output:\n%s", out)
	}
}

func TestWhoamiConfigurationErrors(t *testing.T) {
	dir := isolate(t)
	none := filepath.Join(dir, "none.env")
	_, code, err := runCLI(t, "whoami", "--agent", "ghost", "--env-file", none)
	if code != exitConfig || !strings.Contains(err.Error(), "research-analyst, junior-analyst, capped-analyst") {
		t.Errorf("unknown agent: exit %d, %v", code, err)
	}
	_, code, err = runCLI(t, "whoami", "--lumoauth-url", "http://127.0.0.1:1", "--env-file", none)
	if code != exitConfig || err == nil {
		t.Errorf("URL without org or tenant: exit %d, %v", code, err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	_ = os.WriteFile(bad, []byte("agents:\n  - client_id: a\n    colour: red\n"), 0o600)
	cfg := filepath.Join(dir, "cfg.yaml")
	_ = os.WriteFile(cfg, []byte("devserver: "+bad+"\n"), 0o600)
	_, code, err = runCLI(t, "whoami", "--config", cfg, "--env-file", none)
	if code != exitConfig || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("bad devserver file: exit %d, %v", code, err)
	}
}

// A real server configured through a dotenv file; a flag overrides the client id, and a wrong
// secret for that client is an authentication failure (exit 3), not a configuration one.
func TestWhoamiAgainstConfiguredServerViaDotEnv(t *testing.T) {
	dir := isolate(t)
	dev, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	id, secret, _ := dev.Credentials("research-analyst")
	env := filepath.Join(dir, "agent.env")
	data := "LUMOAUTH_URL=" + dev.URL() + "\nLUMOAUTH_TENANT=acme-corp\nAGENT_CLIENT_ID=" + id + "\nAGENT_CLIENT_SECRET=" + secret + "\n"
	if err := os.WriteFile(env, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	out, code, err := runCLI(t, "whoami", "--env-file", env)
	if code != exitOK || !strings.Contains(out, "Research Analyst") || strings.Contains(out, "EMBEDDED") || !strings.Contains(out, "LumoAuth") {
		t.Fatalf("exit %d %v:\n%s", code, err, out)
	}
	if strings.Contains(out, secret) {
		t.Error("output reveals the secret")
	}
	_, code, err = runCLI(t, "whoami", "--env-file", env, "--client-id", "junior-analyst")
	if code != exitAuth || !strings.Contains(err.Error(), "invalid_client") || strings.Contains(err.Error(), secret) {
		t.Errorf("wrong secret: exit %d, %v", code, err)
	}
}

func TestStartAuthInsecureFlagAllowsRemoteHTTP(t *testing.T) {
	dir := isolate(t)
	g := &globalFlags{envFile: filepath.Join(dir, "none.env"), baseURL: "http://auth.example.com", tenant: "acme-corp", clientID: "bot"}
	t.Setenv("AGENT_CLIENT_SECRET", "s")
	if _, err := startAuth(context.Background(), g, &fileConfig{}); err == nil {
		t.Fatal("plain http to a remote host accepted without --insecure")
	}
	g.insecure = true
	as, err := startAuth(context.Background(), g, &fileConfig{})
	if err != nil {
		t.Fatalf("--insecure: %v", err)
	}
	defer as.Close()
	if as.Embedded || as.Dev != nil || as.Part.Name != "LumoAuth" || as.Part.Host != "auth.example.com" || as.Cfg.ClientID != "bot" {
		t.Errorf("stack = %+v", as)
	}
	if a, err := as.NewAgent("someone-else", nil); err != nil || a.Config().ClientID != "bot" {
		t.Errorf("NewAgent on a real server: %v", err)
	}
}
