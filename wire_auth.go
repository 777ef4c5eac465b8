package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/session"
)

// authStack is the authorization side of a run: a real LumoAuth (configured by flags, the
// environment or the dotenv file) or, when nothing is configured, the embedded devserver.
type authStack struct {
	Cfg      auth.Config // the configured client, or the --agent one on the embedded server
	Embedded bool
	Dev      *devserver.Server // nil for a real server
	Part     session.Part
	// NewAgent builds an agent client. Embedded: a seeded agent by name ("" = --agent).
	// Real: the configured client (a different name is ignored: there is only one secret).
	NewAgent func(agentName string, hook auth.Hook) (*auth.Agent, error)
	Close    func()
}

// startAuth decides between the real server and the embedded one. Flags beat the process
// environment, which beats the dotenv file.
func startAuth(_ context.Context, g *globalFlags, fc *fileConfig) (*authStack, error) {
	dotenv, err := auth.LoadDotEnv(g.envFile)
	if err != nil {
		return nil, withCode(exitConfig, fmt.Errorf("--env-file: %w", err))
	}
	flags := map[string]string{auth.EnvURL: g.baseURL, auth.EnvOrgID: g.orgID, auth.EnvTenant: g.tenant, auth.EnvClientID: g.clientID}
	// ConfigFromEnv's verdict is taken again below with --insecure applied, which may change
	// it for plain http:// to a remote host.
	cfg, configured, _ := auth.ConfigFromEnv(auth.EnvChain(auth.MapEnv(flags), os.Getenv, auth.MapEnv(dotenv)))
	cfg.AllowInsecureHTTP = g.insecure
	if configured {
		if err := cfg.Validate(); err != nil {
			return nil, withCode(exitConfig, fmt.Errorf("LumoAuth configuration: %w", err))
		}
		return realAuth(cfg), nil
	}
	devPath := ""
	if fc != nil {
		devPath = fc.Devserver
	}
	return startEmbeddedAuth(g.agent, devPath, "127.0.0.1:0")
}

func realAuth(cfg auth.Config) *authStack {
	return &authStack{
		Cfg:  cfg,
		Part: session.Part{Role: "auth", Name: "LumoAuth", Host: authHost(cfg.BaseURL)},
		NewAgent: func(_ string, hook auth.Hook) (*auth.Agent, error) {
			return newAuthAgent(cfg, hook)
		},
		Close: func() {},
	}
}

// loadDevConfig reads the devserver YAML at path, or the built-in demo world when path is "".
func loadDevConfig(path string) (devserver.Config, error) {
	if path == "" {
		return devserver.DefaultConfig(), nil
	}
	cfg, err := devserver.LoadConfig(path)
	if err != nil {
		return devserver.Config{}, withCode(exitConfig, err)
	}
	return cfg, nil
}

// startEmbeddedAuth starts the devserver on addr and signs in as agent (a seeded client id).
func startEmbeddedAuth(agent, devPath, addr string) (*authStack, error) {
	devCfg, err := loadDevConfig(devPath)
	if err != nil {
		return nil, err
	}
	dev, err := devserver.Start(devCfg, addr)
	if err != nil {
		return nil, withCode(exitError, fmt.Errorf("starting the embedded authorization server: %w", err))
	}
	clientCfg := func(name string) (auth.Config, error) {
		id, secret, ok := dev.Credentials(name)
		if !ok {
			return auth.Config{}, withCode(exitConfig, fmt.Errorf("unknown agent %q on the embedded server; choose one of: %s (--agent)",
				name, strings.Join(dev.AgentNames(), ", ")))
		}
		return auth.Config{BaseURL: dev.URL(), OrgID: devCfg.Organization, ClientID: id, ClientSecret: secret}, nil
	}
	cfg, err := clientCfg(agent)
	if err != nil {
		_ = dev.Close()
		return nil, err
	}
	return &authStack{
		Cfg:      cfg,
		Embedded: true,
		Dev:      dev,
		Part:     session.Part{Role: "auth", Name: "embedded LumoAuth-compatible", Host: authHost(dev.URL()), Embedded: true},
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

func newAuthAgent(cfg auth.Config, hook auth.Hook) (*auth.Agent, error) {
	var opts []auth.Option
	if hook != nil {
		opts = append(opts, auth.WithHook(hook))
	}
	a, err := auth.New(cfg, opts...)
	if err != nil {
		return nil, withCode(exitConfig, err)
	}
	return a, nil
}

// authHost is the host:port of a base URL, for the Parts line.
func authHost(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}
