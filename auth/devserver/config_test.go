package devserver

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigSeedsTheDemoWorld(t *testing.T) {
	cfg := DefaultConfig()
	if cfg.Organization != "acme-corp" || cfg.OrganizationName != "Acme Corp" {
		t.Errorf("organisation = %q / %q", cfg.Organization, cfg.OrganizationName)
	}
	if cfg.TokenTTL != time.Hour || cfg.ExchangedTokenTTL != 5*time.Minute {
		t.Errorf("ttls = %s / %s, want 1h / 5m", cfg.TokenTTL, cfg.ExchangedTokenTTL)
	}
	agents := map[string]AgentConfig{}
	for _, a := range cfg.Agents {
		agents[a.ClientID] = a
	}
	ra := agents["research-analyst"]
	if ra.Name != "Research Analyst" || !strings.HasPrefix(ra.AgentID, "agt_7f3a") ||
		!slices.Equal(ra.Capabilities, []string{"read:documents", "mcp:financial"}) ||
		ra.Budget.MaxTokensPerDay != 100000 || ra.Budget.TokensUsedToday <= 0 || ra.Budget.MaxAPICallsPerHour != 500 {
		t.Errorf("research-analyst = %+v", ra)
	}
	if ja := agents["junior-analyst"]; !slices.Equal(ja.Capabilities, []string{"read:documents"}) {
		t.Errorf("junior-analyst capabilities = %v", ja.Capabilities)
	}
	if ca := agents["capped-analyst"]; ca.Budget.MaxTokensPerDay != 100000 || ca.Budget.TokensUsedToday != 99000 ||
		!slices.Contains(ca.Capabilities, "mcp:financial") {
		t.Errorf("capped-analyst = %+v", ca)
	}
	if op := agents["operator"]; !slices.Contains(op.Capabilities, "jit.approve") || op.IdentityType != "user" {
		t.Errorf("operator = %+v", op)
	}
	if len(cfg.Resources) != 1 || !reflect.DeepEqual(cfg.Resources[0], ResourceConfig{"urn:mcp:financial-data", "mcp:financial", "financial:read",
		[]JITRequirement{{Metric: "headcount", Reason: "people data: the headcount needs a just-in-time grant"}},
		[]ApprovalRequirement{{Metric: "cash", Reason: "read Acme's cash position (board-confidential)", Impact: "high"}}}) {
		t.Errorf("resources = %+v", cfg.Resources)
	}
	if op := agents["operator"]; op.Email != "security@acme-corp.example" || cfg.ApprovalTTL != 2*time.Minute {
		t.Errorf("operator email %q, approval_ttl %s", op.Email, cfg.ApprovalTTL)
	}
	if !slices.Contains(cfg.JITRules, JITRule{"mcp:financial", "high"}) {
		t.Errorf("jit rules = %+v", cfg.JITRules)
	}
}

func TestLoadConfigErrorsNameKeyAndLine(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"unknown key", "agents:\n  - client_id: a\n    colour: red\n", []string{"line 3", "colour"}},
		{"bad risk", "agents:\n  - client_id: a\njit_rules:\n  - capability: x\n    risk: extreme\n", []string{"line 5", "jit_rules[0].risk", "extreme"}},
		{"duplicate client", "agents:\n  - client_id: a\n  - client_id: a\n", []string{"line 3", "agents[1].client_id", "duplicate"}},
		{"negative budget", "agents:\n  - client_id: a\n    budget:\n      max_tokens_per_day: -5\n", []string{"line 4", "agents[0].budget.max_tokens_per_day"}},
		{"no agents", "organization: acme-corp\n", []string{"agents", "at least one agent"}},
		{"resource without capability", "agents:\n  - client_id: a\nresources:\n  - audience: urn:x\n    scope: s\n", []string{"line 4", "resources[0].capability"}},
		{"approval without a reason", "agents:\n  - client_id: a\nresources:\n  - audience: urn:x\n    capability: c\n    scope: s\n    approval_required:\n      - metric: cash\n",
			[]string{"resources[0].approval_required[0]", "reason is required"}},
		{"approval with a bad impact", "agents:\n  - client_id: a\nresources:\n  - audience: urn:x\n    capability: c\n    scope: s\n    approval_required:\n      - metric: cash\n        reason: r\n        impact: huge\n",
			[]string{"line 10", "approval_required[0].impact", "huge"}},
		{"bad ttl", "token_ttl: 90000h\nagents:\n  - client_id: a\n", []string{"line 1", "token_ttl"}},
		{"bad duration", "token_ttl: soon\nagents:\n  - client_id: a\n", []string{"line 1", "soon"}},
		{"empty", "", []string{"empty"}},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadConfig(path)
			if err == nil {
				t.Fatal("LoadConfig accepted an invalid file")
			}
			for _, w := range append(tc.want, path) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadConfigMinimalFileGetsDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agents.yaml")
	data := "agents:\n  - client_id: bot\n    client_secret: s3cret\n    capabilities: [read:documents]\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Agents[0]
	if cfg.Organization != "acme-corp" || a.Name != "bot" || a.IdentityType != "agent" || !strings.HasPrefix(a.AgentID, "agt_") {
		t.Errorf("defaults not applied: %+v / %+v", cfg, a)
	}
	s, _ := startTest(t, &cfg)
	if id, secret, ok := s.Credentials("bot"); !ok || id != "bot" || secret != "s3cret" {
		t.Errorf("Credentials = %q %q %v, want the configured secret", id, secret, ok)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v", err)
	}
}

func TestStartRejectsInvalidConfigAndBusyAddress(t *testing.T) {
	cfg := DefaultConfig()
	cfg.JITRules = append(cfg.JITRules, JITRule{"x", "whatever"})
	if _, err := Start(cfg, "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "jit_rules[3].risk") {
		t.Errorf("Start with a bad rule: %v", err)
	}
	s, _ := startTest(t, nil)
	addr := strings.TrimPrefix(s.URL(), "http://")
	if _, err := Start(DefaultConfig(), addr); err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("Start on a busy address: %v", err)
	}
}

func TestServerIdentity(t *testing.T) {
	s, _ := startTest(t, nil)
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") || s.Issuer() != s.URL()+"/orgs/acme-corp/api/v1" ||
		s.JWKSURL() != s.Issuer()+"/.well-known/jwks.json" {
		t.Errorf("URL %s Issuer %s JWKS %s", s.URL(), s.Issuer(), s.JWKSURL())
	}
	if got := s.AgentNames(); !slices.Equal(got, []string{"research-analyst", "junior-analyst", "capped-analyst"}) {
		t.Errorf("AgentNames = %v", got)
	}
	_, s1, _ := s.Credentials("research-analyst")
	_, s2, _ := s.Credentials("junior-analyst")
	if len(s1) < 32 || s1 == s2 {
		t.Errorf("secrets are not random per agent: %d chars, equal=%v", len(s1), s1 == s2)
	}
	if _, _, ok := s.Credentials("nobody"); ok {
		t.Error("Credentials(nobody) ok")
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
