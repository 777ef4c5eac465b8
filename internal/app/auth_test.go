package app

import (
	"errors"
	"path/filepath"
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
