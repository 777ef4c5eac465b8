package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
)

func TestStartAuthInsecureAllowsRemoteHTTP(t *testing.T) {
	t.Parallel()
	s := Settings{Agent: DefaultAgent, EnvFile: filepath.Join(t.TempDir(), "none.env"), LumoAuthURL: "http://auth.example.com", Tenant: "acme-corp", ClientID: "bot",
		Getenv: auth.MapEnv(map[string]string{"AGENT_CLIENT_SECRET": "s"})}
	_, err := Open(t.Context(), s, ScopeAuth)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("plain http to a remote host accepted without Insecure: %v", err)
	}
	s.Insecure = true
	w, err := Open(t.Context(), s, ScopeAuth)
	if err != nil {
		t.Fatalf("Insecure: %v", err)
	}
	defer w.Close()
	as := w.Auth
	if as.Embedded || as.Dev != nil || as.Part.Name != "LumoAuth" || as.Part.Host != "auth.example.com" || as.Client.ClientID != "bot" {
		t.Errorf("auth side = %+v", as)
	}
	if a, err := as.NewAgent("someone-else", nil); err != nil || a.Config().ClientID != "bot" {
		t.Errorf("NewAgent on a real server: %v", err)
	}
}

// TestMissingVariablesAreNamedAtOnce: a half-configured real server names every variable
// still missing in one error, and where the ones that chose the real server were set.
func TestMissingVariablesAreNamedAtOnce(t *testing.T) {
	t.Parallel()
	env := filepath.Join(t.TempDir(), "my.env")
	if err := os.WriteFile(env, []byte("LUMOAUTH_URL=https://auth.example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), Settings{Agent: DefaultAgent, EnvFile: env}, ScopeAuth)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a configuration error, got %v", err)
	}
	for _, want := range []string{"my.env sets LUMOAUTH_URL", "3 variables are missing", "LUMOAUTH_ORG_ID", "LUMOAUTH_TENANT", "AGENT_CLIENT_ID", "AGENT_CLIENT_SECRET"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestDotenvSwitchIsSaid: a dotenv file that configures a real server says so, and that an
// --agent asked for is ignored there.
func TestDotenvSwitchIsSaid(t *testing.T) {
	t.Parallel()
	env := filepath.Join(t.TempDir(), ".env")
	body := "LUMOAUTH_URL=https://auth.example.com\nLUMOAUTH_ORG_ID=acme\nAGENT_CLIENT_ID=bot\nAGENT_CLIENT_SECRET=s3cr3t-value\n"
	if err := os.WriteFile(env, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Open(t.Context(), Settings{Agent: "junior-analyst", AgentSet: true, EnvFile: env}, ScopeAuth)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	n := strings.Join(w.Auth.Notices, "\n")
	for _, want := range []string{env + " sets LUMOAUTH_URL", "real authorization server at auth.example.com as bot", "--agent junior-analyst is ignored", "--env-file /dev/null"} {
		if !strings.Contains(n, want) {
			t.Errorf("notice lacks %q:\n%s", want, n)
		}
	}
	if strings.Contains(n, "s3cr3t-value") {
		t.Error("the notice shows the client secret")
	}
}
