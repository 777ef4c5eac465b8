package auth

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/joho/godotenv"
)

// Environment variables, exactly as LumoAuth's SDKs read them.
const (
	EnvURL          = "LUMOAUTH_URL"
	EnvOrgID        = "LUMOAUTH_ORG_ID"
	EnvTenant       = "LUMOAUTH_TENANT"
	EnvClientID     = "AGENT_CLIENT_ID"
	EnvClientSecret = "AGENT_CLIENT_SECRET"
)

// DefaultBaseURL is LumoAuth's hosted service, used when LUMOAUTH_URL is unset.
const DefaultBaseURL = "https://app.lumoauth.dev"

// DefaultTimeout bounds each HTTP request when Config.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// redactedSecret replaces the client secret wherever a Config is handed out.
const redactedSecret = "[redacted]"

// String prints the configuration (also for %v and %+v) with the client secret redacted, so a
// Config that reaches a log or an error message cannot leak it.
func (c Config) String() string {
	if c.ClientSecret != "" {
		c.ClientSecret = redactedSecret
	}
	type fields Config // drops the methods, so Sprintf does not call String again
	return fmt.Sprintf("%+v", fields(c))
}

// GoString is String for %#v.
func (c Config) GoString() string { return "auth.Config" + c.String() }

// ConfigError is a configuration mistake: which variable, what was wrong, a right example.
type ConfigError struct {
	Variable string // e.g. LUMOAUTH_URL (--lumoauth-url)
	Problem  string
	Example  string
}

func (e *ConfigError) Error() string {
	s := e.Variable + ": " + e.Problem
	if e.Example != "" {
		s += " (example: " + e.Example + ")"
	}
	return s
}

// ConfigFromEnv reads the agent configuration through getenv (os.Getenv, or a chain that
// puts flags and a .env file in front of it, see EnvChain). configured is false when none of
// the LumoAuth variables is set: the caller may then fall back to an embedded server.
func ConfigFromEnv(getenv func(string) string) (cfg Config, configured bool, err error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	cfg = Config{
		BaseURL:      get(EnvURL),
		OrgID:        get(EnvOrgID),
		Tenant:       get(EnvTenant),
		ClientID:     get(EnvClientID),
		ClientSecret: get(EnvClientSecret),
	}
	configured = cfg.BaseURL != "" || cfg.OrgID != "" || cfg.Tenant != "" ||
		cfg.ClientID != "" || cfg.ClientSecret != ""
	if !configured {
		return cfg, false, nil
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	return cfg, true, cfg.Validate()
}

// LoadDotEnv reads a dotenv file (KEY=value lines). A missing file is an empty map.
func LoadDotEnv(path string) (map[string]string, error) {
	m, err := godotenv.Read(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w (each line should look like AGENT_CLIENT_ID=research-analyst)", path, err)
	}
	return m, nil
}

// MapEnv adapts a map (a .env file, flag overrides) to a getenv function.
func MapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// EnvChain returns a getenv that asks each source in order and returns the first non-empty
// value, e.g. EnvChain(MapEnv(flags), os.Getenv, MapEnv(dotenv)).
func EnvChain(sources ...func(string) string) func(string) string {
	return func(k string) string {
		for _, src := range sources {
			if v := src(k); v != "" {
				return v
			}
		}
		return ""
	}
}

var slugPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// Validate reports the first configuration mistake, naming the variable and a right value.
func (c Config) Validate() error {
	if err := c.validateURL(); err != nil {
		return err
	}
	switch {
	case c.OrgID == "" && c.Tenant == "":
		return &ConfigError{Variable: EnvOrgID + " or " + EnvTenant,
			Problem: "neither is set; set LUMOAUTH_ORG_ID for the current API (/orgs/{id}/api/v1) or LUMOAUTH_TENANT for the legacy one (/t/{tenant}/api/v1)",
			Example: "LUMOAUTH_ORG_ID=acme-corp"}
	case c.OrgID != "" && !slugPattern.MatchString(c.OrgID):
		return &ConfigError{Variable: EnvOrgID + " (--org)",
			Problem: fmt.Sprintf("%q is not an organisation id: use letters, digits, '.', '_' or '-' only", c.OrgID),
			Example: "LUMOAUTH_ORG_ID=acme-corp"}
	case c.OrgID == "" && !slugPattern.MatchString(c.Tenant):
		return &ConfigError{Variable: EnvTenant + " (--tenant)",
			Problem: fmt.Sprintf("%q is not a tenant slug: use letters, digits, '.', '_' or '-' only", c.Tenant),
			Example: "LUMOAUTH_TENANT=acme-corp"}
	}
	if c.ClientID == "" {
		return &ConfigError{Variable: EnvClientID + " (--client-id)",
			Problem: "not set; it is the agent's client id from the LumoAuth agent registry",
			Example: "AGENT_CLIENT_ID=research-analyst"}
	}
	if strings.ContainsAny(c.ClientID, " \t\r\n") {
		return &ConfigError{Variable: EnvClientID + " (--client-id)",
			Problem: "contains whitespace; a client id is a single word", Example: "AGENT_CLIENT_ID=research-analyst"}
	}
	if c.ClientSecret == "" {
		return &ConfigError{Variable: EnvClientSecret,
			Problem: "not set; it is shown once when the agent is registered (keep it in .env, not on the command line)",
			Example: "AGENT_CLIENT_SECRET=<the secret from the agent registry>"}
	}
	for _, s := range c.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n") {
			return &ConfigError{Variable: "scopes", Problem: fmt.Sprintf("%q is not a single scope", s), Example: "read:documents"}
		}
	}
	if c.Timeout < 0 {
		return &ConfigError{Variable: "timeout", Problem: fmt.Sprintf("%s is negative", c.Timeout), Example: "15s"}
	}
	return nil
}

func (c Config) validateURL() error {
	const v = EnvURL + " (--lumoauth-url)"
	const example = "LUMOAUTH_URL=https://app.lumoauth.dev"
	if c.BaseURL == "" {
		return &ConfigError{Variable: v, Problem: "empty", Example: example}
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return &ConfigError{Variable: v, Problem: fmt.Sprintf("%q is not a URL", c.BaseURL), Example: example}
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return &ConfigError{Variable: v, Problem: fmt.Sprintf("%q needs an http:// or https:// scheme", c.BaseURL), Example: example}
	case u.Host == "":
		return &ConfigError{Variable: v, Problem: fmt.Sprintf("%q has no host", c.BaseURL), Example: example}
	case u.User != nil:
		return &ConfigError{Variable: v, Problem: "must not contain user:password@; credentials go in AGENT_CLIENT_ID / AGENT_CLIENT_SECRET", Example: example}
	case u.RawQuery != "" || u.Fragment != "":
		return &ConfigError{Variable: v, Problem: fmt.Sprintf("%q must not have a query or fragment", c.BaseURL), Example: example}
	case strings.Contains(u.Path, "/api/v1") || strings.HasPrefix(u.Path, "/t/") || strings.HasPrefix(u.Path, "/orgs/"):
		return &ConfigError{Variable: v,
			Problem: fmt.Sprintf("%q includes the API path; give only the base URL and set LUMOAUTH_ORG_ID or LUMOAUTH_TENANT", c.BaseURL),
			Example: example}
	case u.Scheme == "http" && !isLoopback(u.Hostname()) && !c.AllowInsecureHTTP:
		return &ConfigError{Variable: v,
			Problem: fmt.Sprintf("%q uses plain http:// to a non-loopback host, which would send the client secret unencrypted; use https:// or pass --insecure", c.BaseURL),
			Example: example}
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Prefix is the API path prefix: /orgs/{id}/api/v1 when OrgID is set, else /t/{tenant}/api/v1.
func (c Config) Prefix() string {
	if c.OrgID != "" {
		return "/orgs/" + url.PathEscape(c.OrgID) + "/api/v1"
	}
	return "/t/" + url.PathEscape(c.Tenant) + "/api/v1"
}

// URL is the absolute URL of an endpoint path after the prefix, e.g. URL("/oauth/token").
func (c Config) URL(path string) string {
	return strings.TrimRight(c.BaseURL, "/") + c.Prefix() + path
}

// path is the request path (without host) of an endpoint, as reports and errors show it.
func (c Config) path(endpoint string) string {
	u, err := url.Parse(c.URL(endpoint))
	if err != nil {
		return c.Prefix() + endpoint
	}
	return u.Path
}

func (c Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}
