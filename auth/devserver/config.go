package devserver

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// Config is the server's world: its organisation, agents, protected resources and JIT rules.
type Config struct {
	// Organization is the id served under both /orgs/{id}/api/v1 and /t/{id}/api/v1.
	Organization string `yaml:"organization"`
	// OrganizationName is the display name, e.g. "Acme Corp".
	OrganizationName string `yaml:"organization_name"`
	// TokenTTL is the lifetime of client-credentials tokens (default 1h).
	TokenTTL time.Duration `yaml:"token_ttl"`
	// ExchangedTokenTTL is the lifetime of RFC 8693 exchanged tokens (default 5m).
	ExchangedTokenTTL time.Duration `yaml:"exchanged_token_ttl"`
	// JITPendingTTL is how long a JIT request awaits a human before it expires (default 10m).
	JITPendingTTL time.Duration `yaml:"jit_pending_ttl"`
	// JITTaskTTL is the lifetime of a JIT task (default 1h).
	JITTaskTTL time.Duration `yaml:"jit_task_ttl"`
	// ApprovalTTL is how long a push-approval request (agents/me/approvals) awaits a person
	// before it expires (default 2m, LumoAuth's).
	ApprovalTTL time.Duration `yaml:"approval_ttl"`

	Agents    []AgentConfig    `yaml:"agents"`
	Resources []ResourceConfig `yaml:"resources"`
	JITRules  []JITRule        `yaml:"jit_rules"`
}

// AgentConfig is one registered client: an agent, or a user such as the JIT operator.
type AgentConfig struct {
	ClientID string `yaml:"client_id"`
	// ClientSecret empty = a random secret on every start (see Server.Credentials).
	ClientSecret string `yaml:"client_secret"`
	Name         string `yaml:"name"`     // display name, e.g. "Research Analyst"
	AgentID      string `yaml:"agent_id"` // e.g. agt_7f3a9c2e41b8 (derived from client_id when empty)
	// Email is a person's address, named as approved_by when they approve an action.
	Email string `yaml:"email"`
	// IdentityType is "agent" (default), "user" (e.g. the JIT operator) or "service" (e.g. a
	// resource server that introspects tokens); only agents are listed by AgentNames.
	IdentityType string       `yaml:"identity_type"`
	Capabilities []string     `yaml:"capabilities"`
	Budget       BudgetConfig `yaml:"budget"`
}

// BudgetConfig is an agent's budget policy and its usage at start. Zero max = no limit.
type BudgetConfig struct {
	MaxTokensPerDay    int64 `yaml:"max_tokens_per_day"`
	TokensUsedToday    int64 `yaml:"tokens_used_today"`
	MaxAPICallsPerHour int64 `yaml:"max_api_calls_per_hour"`
	APICallsThisHour   int64 `yaml:"api_calls_this_hour"`
	// Optional policy fields, reported by userinfo as configured (not enforced here).
	MaxCostPerMonthUSD      *float64 `yaml:"max_cost_per_month_usd"`
	AllowedModels           []string `yaml:"allowed_models"`
	RequireApprovalAboveUSD *float64 `yaml:"require_approval_above_usd"`
}

// ResourceConfig is a protected resource that tokens can be exchanged for.
type ResourceConfig struct {
	Audience   string `yaml:"audience"`   // e.g. urn:mcp:financial-data
	Capability string `yaml:"capability"` // required of the agent, e.g. mcp:financial
	Scope      string `yaml:"scope"`      // scope of the exchanged token, e.g. financial:read
	// JITRequired are calls its resource server refuses (403 insufficient_authorization_details)
	// unless the token carries a just-in-time grant of Capability, even for an agent that
	// holds it. The resource server reads them from here (the embedded financial MCP server).
	JITRequired []JITRequirement `yaml:"jit_required"`
	// ApprovalRequired are calls an agent of this world asks a person to approve first (the
	// SDKs' require_approval, POST agents/me/approvals): lumodash's embedded analyst does,
	// and the dashboard shows the approval to the operator. The server itself enforces nothing.
	ApprovalRequired []ApprovalRequirement `yaml:"approval_required"`
}

// ApprovalRequirement names calls that need a person's approval: the arguments they match
// (as in JITRequirement), what the approver is asked, and the impact shown to them.
type ApprovalRequirement struct {
	Metric string `yaml:"metric"`
	Period string `yaml:"period"`
	Reason string `yaml:"reason"`
	Impact string `yaml:"impact"` // low | medium | high | critical ("" = medium)
}

// JITRequirement names calls that need a JIT grant: the arguments they match (for the
// financial MCP server, a metric, a period or both) and why, for the error and the reviewer.
type JITRequirement struct {
	Metric string `yaml:"metric"`
	Period string `yaml:"period"`
	Reason string `yaml:"reason"`
}

// JITRule says at which risk a capability may be requested just in time.
// low and medium are approved automatically; high and critical wait for a human.
type JITRule struct {
	Capability string `yaml:"capability"`
	Risk       string `yaml:"risk"`
}

// DefaultConfig returns the built-in demo world (default.yaml): Acme Corp's research-analyst,
// junior-analyst, capped-analyst and operator, and the urn:mcp:financial-data resource.
func DefaultConfig() Config {
	cfg, err := parseConfig("default.yaml", defaultYAML)
	if err != nil {
		panic("devserver: built-in default.yaml is invalid: " + err.Error())
	}
	return cfg
}

// LoadConfig reads and validates a YAML configuration file. Unknown keys are errors; every
// error names the file, the line and the key.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("devserver configuration: %w", err)
	}
	return parseConfig(path, data)
}

func parseConfig(name string, data []byte) (Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return Config{}, fmt.Errorf("devserver configuration %s: %w", name, err)
	}
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return Config{}, fmt.Errorf("devserver configuration %s is empty: it needs at least an agents list", name)
		}
		return Config{}, fmt.Errorf("devserver configuration %s: %w (see default.yaml in auth/devserver for the keys)", name, err)
	}
	cfg.applyDefaults()
	if p := cfg.problem(); p != nil {
		return Config{}, fmt.Errorf("devserver configuration %s: line %d: %s: %s", name, lineOf(&root, p.path), p.key(), p.msg)
	}
	return cfg, nil
}

func (c *Config) applyDefaults() {
	if c.Organization == "" {
		c.Organization = "acme-corp"
	}
	if c.OrganizationName == "" {
		c.OrganizationName = c.Organization
	}
	if c.TokenTTL == 0 {
		c.TokenTTL = time.Hour
	}
	if c.ExchangedTokenTTL == 0 {
		c.ExchangedTokenTTL = 5 * time.Minute
	}
	if c.JITPendingTTL == 0 {
		c.JITPendingTTL = 10 * time.Minute
	}
	if c.JITTaskTTL == 0 {
		c.JITTaskTTL = time.Hour
	}
	if c.ApprovalTTL == 0 {
		c.ApprovalTTL = 2 * time.Minute
	}
	for i := range c.Agents {
		a := &c.Agents[i]
		if a.IdentityType == "" {
			a.IdentityType = "agent"
		}
		if a.Name == "" {
			a.Name = a.ClientID
		}
		if a.AgentID == "" && a.ClientID != "" {
			a.AgentID = derivedAgentID(a.ClientID)
		}
	}
}

// clone returns a deep copy, so a running server never shares slices with its caller.
func (c Config) clone() Config {
	out := c
	out.Agents = make([]AgentConfig, len(c.Agents))
	for i, a := range c.Agents {
		a.Capabilities = append([]string(nil), a.Capabilities...)
		a.Budget.AllowedModels = append([]string(nil), a.Budget.AllowedModels...)
		out.Agents[i] = a
	}
	out.Resources = make([]ResourceConfig, len(c.Resources))
	for i, r := range c.Resources {
		r.JITRequired = append([]JITRequirement(nil), r.JITRequired...)
		r.ApprovalRequired = append([]ApprovalRequirement(nil), r.ApprovalRequired...)
		out.Resources[i] = r
	}
	out.JITRules = append([]JITRule(nil), c.JITRules...)
	return out
}
