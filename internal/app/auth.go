package app

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
)

// AuthSide is the authorization side of a world: a real LumoAuth (configured by settings,
// the environment or the dotenv file) or, when nothing is configured, the embedded devserver.
type AuthSide struct {
	Client   auth.Config // the configured client, or the Settings.Agent one on the embedded server
	Embedded bool
	Dev      *devserver.Server // nil for a real server
	Part     session.Part
	// NewAgent builds an agent client. Embedded: a seeded agent by name ("" = Settings.Agent).
	// Real: the configured client (a different name is ignored: there is only one secret).
	NewAgent func(agentName string, hook auth.Hook) (*auth.Agent, error)
	Close    func()
	// Notices are what the user should know about the choice made (a dotenv file that
	// switched to a real server, an --agent that is then ignored).
	Notices []string
	// credentials finds a named agent's client on a real server (compare mode); nil embedded.
	credentials func(agent string) (auth.Config, bool)
}

// lumoAuthVariables are the variables whose presence means a real LumoAuth.
var lumoAuthVariables = []string{auth.EnvURL, auth.EnvOrgID, auth.EnvTenant, auth.EnvClientID, auth.EnvClientSecret}

// startAuth decides between the real server and the embedded one. Settings beat the
// environment, which beats the dotenv file (already in env; dotenv is what the file set).
func startAuth(s Settings, cfg *Config, env func(string) string, dotenv map[string]string) (*AuthSide, error) {
	flags := map[string]string{auth.EnvURL: s.LumoAuthURL, auth.EnvOrgID: s.OrgID, auth.EnvTenant: s.Tenant, auth.EnvClientID: s.ClientID}
	// ConfigFromEnv's verdict is taken again below with Insecure applied, which may change
	// it for plain http:// to a remote host.
	client, configured, _ := auth.ConfigFromEnv(auth.EnvChain(auth.MapEnv(flags), env))
	client.AllowInsecureHTTP = s.Insecure
	if !configured {
		return startEmbeddedAuth(s.Agent, cfg.Devserver, "127.0.0.1:0")
	}
	var fromFile []string
	for _, k := range lumoAuthVariables {
		if dotenv[k] != "" {
			fromFile = append(fromFile, k)
		}
	}
	if missing := missingVariables(client); len(missing) > 0 {
		return nil, configError(fmt.Errorf("LumoAuth configuration: a real authorization server is configured%s, but %s:\n  %s",
			setIn(fromFile, s.EnvFile), present.Plural(len(missing), "variable is missing", "variables are missing"), strings.Join(missing, "\n  ")))
	}
	if err := client.Validate(); err != nil {
		return nil, configError(fmt.Errorf("LumoAuth configuration: %w", err))
	}
	side := realAuth(client, env)
	if len(fromFile) > 0 {
		n := fmt.Sprintf("%s sets %s: lumodash talks to the real authorization server at %s as %s, not the embedded one",
			s.EnvFile, strings.Join(fromFile, ", "), hostOf(client.BaseURL), client.ClientID)
		if s.AgentSet {
			n += fmt.Sprintf("; --agent %s is ignored (it chooses a seeded agent of the embedded server)", s.Agent)
		}
		side.Notices = append(side.Notices, n+" — use --env-file /dev/null for the embedded default")
	} else if s.AgentSet {
		side.Notices = append(side.Notices, fmt.Sprintf("--agent %s is ignored: the environment configures a real authorization server (%s), where the agent is AGENT_CLIENT_ID=%s",
			s.Agent, hostOf(client.BaseURL), client.ClientID))
	}
	return side, nil
}

// setIn says where the LumoAuth variables that chose a real server were set.
func setIn(fromFile []string, envFile string) string {
	if len(fromFile) == 0 {
		return " (by the environment)"
	}
	return " (" + envFile + " sets " + strings.Join(fromFile, ", ") + ")"
}

// missingVariables lists every required LumoAuth variable that is unset, each with an
// example, so that one run names all that is missing.
func missingVariables(c auth.Config) []string {
	var out []string
	if c.OrgID == "" && c.Tenant == "" {
		out = append(out, auth.EnvOrgID+" (current API, e.g. LUMOAUTH_ORG_ID=acme-corp) or "+auth.EnvTenant+" (legacy API, e.g. LUMOAUTH_TENANT=acme-corp)")
	}
	if c.ClientID == "" {
		out = append(out, auth.EnvClientID+" (or --client-id): the agent's client id, e.g. AGENT_CLIENT_ID=research-analyst")
	}
	if c.ClientSecret == "" {
		out = append(out, auth.EnvClientSecret+": the secret shown when the agent was registered (keep it in .env, not on the command line)")
	}
	return out
}

func realAuth(client auth.Config, env func(string) string) *AuthSide {
	credentials := func(agent string) (auth.Config, bool) { return agentCredentials(client, env, agent) }
	return &AuthSide{
		Client: client,
		Part:   session.Part{Role: "auth", Name: "LumoAuth", Host: hostOf(client.BaseURL)},
		NewAgent: func(name string, hook auth.Hook) (*auth.Agent, error) {
			if c, ok := credentials(name); ok {
				return newAuthAgent(c, hook) // compare mode: an agent with credentials of its own
			}
			return newAuthAgent(client, hook)
		},
		Close:       func() {},
		credentials: credentials,
	}
}

// loadDevConfig reads the devserver YAML at path, or the built-in demo world when path is "".
func loadDevConfig(path string) (devserver.Config, error) {
	if path == "" {
		return devserver.DefaultConfig(), nil
	}
	cfg, err := devserver.LoadConfig(path)
	if err != nil {
		return devserver.Config{}, configError(err)
	}
	return cfg, nil
}

// startEmbeddedAuth starts the devserver on addr and signs in as agent (a seeded client id).
func startEmbeddedAuth(agent, devPath, addr string) (*AuthSide, error) {
	devCfg, err := loadDevConfig(devPath)
	if err != nil {
		return nil, err
	}
	dev, err := devserver.Start(devCfg, addr)
	if err != nil {
		return nil, fmt.Errorf("starting the embedded authorization server: %w", err)
	}
	clientCfg := func(name string) (auth.Config, error) {
		id, secret, ok := dev.Credentials(name)
		if !ok {
			return auth.Config{}, configError(fmt.Errorf("unknown agent %q on the embedded server; choose one of: %s (--agent)",
				name, strings.Join(dev.AgentNames(), ", ")))
		}
		return auth.Config{BaseURL: dev.URL(), OrgID: devCfg.Organization, ClientID: id, ClientSecret: secret}, nil
	}
	client, err := clientCfg(agent)
	if err != nil {
		_ = dev.Close()
		return nil, err
	}
	return &AuthSide{
		Client:   client,
		Embedded: true,
		Dev:      dev,
		Part:     session.Part{Role: "auth", Name: "embedded LumoAuth-compatible", Host: hostOf(dev.URL()), Embedded: true},
		NewAgent: func(name string, hook auth.Hook) (*auth.Agent, error) {
			if name == "" {
				name = agent
			}
			c, err := clientCfg(name)
			if err != nil {
				return nil, err
			}
			return newAuthAgent(c, hook)
		},
		Close: func() { _ = dev.Close() },
	}, nil
}

func newAuthAgent(client auth.Config, hook auth.Hook) (*auth.Agent, error) {
	var opts []auth.Option
	if hook != nil {
		opts = append(opts, auth.WithHook(hook))
	}
	a, err := auth.New(client, opts...)
	if err != nil {
		return nil, configError(err)
	}
	return a, nil
}

// hostOf is the host:port of a URL, for the Parts line; raw itself when it has none.
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
