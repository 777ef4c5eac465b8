package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	full := map[string]string{
		EnvURL: "https://auth.example.com/", EnvTenant: "acme-corp", EnvClientID: "agent-1", EnvClientSecret: "  s3cret  ",
	}
	with := func(changes map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range full {
			m[k] = v
		}
		for k, v := range changes {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name           string
		env            map[string]string
		wantConfigured bool
		wantVar        string // ConfigError.Variable prefix; "" = no error
		wantText       string
		wantPrefix     string
	}{
		{name: "nothing set", env: map[string]string{}, wantConfigured: false},
		{name: "legacy tenant", env: full, wantConfigured: true, wantPrefix: "/t/acme-corp/api/v1"},
		{name: "org wins over tenant", env: with(map[string]string{EnvOrgID: "acme-org"}), wantConfigured: true, wantPrefix: "/orgs/acme-org/api/v1"},
		{name: "default URL", env: with(map[string]string{EnvURL: ""}), wantConfigured: true, wantPrefix: "/t/acme-corp/api/v1"},
		{name: "neither org nor tenant", env: with(map[string]string{EnvTenant: ""}), wantConfigured: true, wantVar: EnvOrgID, wantText: "LUMOAUTH_ORG_ID=acme-corp"},
		{name: "bad tenant", env: with(map[string]string{EnvTenant: "acme/corp"}), wantConfigured: true, wantVar: EnvTenant, wantText: "not a tenant slug"},
		{name: "bad org", env: with(map[string]string{EnvOrgID: "acme corp"}), wantConfigured: true, wantVar: EnvOrgID, wantText: "not an organisation id"},
		{name: "missing client id", env: with(map[string]string{EnvClientID: ""}), wantConfigured: true, wantVar: EnvClientID, wantText: "AGENT_CLIENT_ID=research-analyst"},
		{name: "missing secret", env: with(map[string]string{EnvClientSecret: ""}), wantConfigured: true, wantVar: EnvClientSecret, wantText: "not set"},
		{name: "no scheme", env: with(map[string]string{EnvURL: "auth.example.com"}), wantConfigured: true, wantVar: EnvURL, wantText: "https://app.lumoauth.dev"},
		{name: "ftp scheme", env: with(map[string]string{EnvURL: "ftp://auth.example.com"}), wantConfigured: true, wantVar: EnvURL, wantText: "http:// or https://"},
		{name: "api path in URL", env: with(map[string]string{EnvURL: "https://auth.example.com/t/acme-corp/api/v1"}), wantConfigured: true, wantVar: EnvURL, wantText: "includes the API path"},
		{name: "plain http remote", env: with(map[string]string{EnvURL: "http://auth.example.com"}), wantConfigured: true, wantVar: EnvURL, wantText: "--insecure"},
		{name: "plain http loopback", env: with(map[string]string{EnvURL: "http://127.0.0.1:8080"}), wantConfigured: true, wantPrefix: "/t/acme-corp/api/v1"},
		{name: "plain http localhost", env: with(map[string]string{EnvURL: "http://localhost:8080"}), wantConfigured: true, wantPrefix: "/t/acme-corp/api/v1"},
		{name: "plain http ::1", env: with(map[string]string{EnvURL: "http://[::1]:8080"}), wantConfigured: true, wantPrefix: "/t/acme-corp/api/v1"},
		{name: "credentials in URL", env: with(map[string]string{EnvURL: "https://u:p@auth.example.com"}), wantConfigured: true, wantVar: EnvURL, wantText: "user:password"},
		{name: "only a secret", env: map[string]string{EnvClientSecret: "x"}, wantConfigured: true, wantVar: EnvOrgID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, configured, err := ConfigFromEnv(MapEnv(tt.env))
			if configured != tt.wantConfigured {
				t.Errorf("configured = %v", configured)
			}
			if tt.wantVar == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if configured && cfg.Prefix() != tt.wantPrefix {
					t.Errorf("prefix %q, want %q", cfg.Prefix(), tt.wantPrefix)
				}
				if configured && cfg.ClientSecret != "s3cret" {
					t.Errorf("secret not trimmed: %q", cfg.ClientSecret)
				}
				return
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.HasPrefix(ce.Variable, tt.wantVar) {
				t.Fatalf("err = %v, want a ConfigError for %s", err, tt.wantVar)
			}
			if !strings.Contains(err.Error(), tt.wantText) || ce.Example == "" {
				t.Errorf("error %q should contain %q and an example", err, tt.wantText)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestInsecureFlagAllowsRemoteHTTP(t *testing.T) {
	cfg := Config{BaseURL: "http://auth.internal", OrgID: "acme", ClientID: "a", ClientSecret: "s"}
	if cfg.Validate() == nil {
		t.Fatal("plain http to a remote host accepted without the flag")
	}
	cfg.AllowInsecureHTTP = true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestURLAndPrefix(t *testing.T) {
	cfg := Config{BaseURL: "https://app.lumoauth.dev/", OrgID: "acme-corp"}
	if got := cfg.URL("/oauth/token"); got != "https://app.lumoauth.dev/orgs/acme-corp/api/v1/oauth/token" {
		t.Errorf("URL = %s", got)
	}
	cfg = Config{BaseURL: "https://app.lumoauth.dev", Tenant: "acme-corp"}
	if got := cfg.URL("/oauth/userinfo"); got != "https://app.lumoauth.dev/t/acme-corp/api/v1/oauth/userinfo" {
		t.Errorf("URL = %s", got)
	}
}

func TestNewRejectsBadConfigAndRedactsSecret(t *testing.T) {
	if _, err := New(Config{BaseURL: "https://x.example", Tenant: "t", ClientID: "a"}); err == nil {
		t.Fatal("New accepted a config without a secret")
	}
	a, err := New(Config{BaseURL: "https://x.example", Tenant: "t", ClientID: "a", ClientSecret: "topsecret"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Config().ClientSecret == "topsecret" || a.Config().ClientSecret == "" {
		t.Errorf("Config() secret = %q, want redacted", a.Config().ClientSecret)
	}
}

func TestLoadDotEnvAndChain(t *testing.T) {
	dir := t.TempDir()
	m, err := LoadDotEnv(filepath.Join(dir, "missing.env"))
	if err != nil || len(m) != 0 {
		t.Fatalf("missing file: %v %v", m, err)
	}
	path := filepath.Join(dir, ".env")
	content := "# agent\nLUMOAUTH_URL=https://auth.example.com\nLUMOAUTH_TENANT=acme-corp\nAGENT_CLIENT_ID=from-file\nAGENT_CLIENT_SECRET=\"quoted secret\"\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err = LoadDotEnv(path)
	if err != nil {
		t.Fatal(err)
	}
	flags := map[string]string{EnvClientID: "from-flag"}
	process := map[string]string{EnvTenant: "from-process"}
	cfg, configured, err := ConfigFromEnv(EnvChain(MapEnv(flags), MapEnv(process), MapEnv(m)))
	if err != nil || !configured {
		t.Fatal(configured, err)
	}
	if cfg.ClientID != "from-flag" || cfg.Tenant != "from-process" || cfg.ClientSecret != "quoted secret" || cfg.BaseURL != "https://auth.example.com" {
		t.Errorf("cfg = %+v", cfg)
	}
	if err := os.WriteFile(path, []byte("JUSTAKEY\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDotEnv(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("malformed file: %v", err)
	}
}
