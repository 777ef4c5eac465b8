package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"sync"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// ToolSide is the tool side of a world: the document index (built once, shared by every
// agent), the financial MCP server (embedded or real) and the MCP servers of the
// configuration file.
type ToolSide struct {
	Parts []session.Part

	docs         *tools.DocumentSearch
	financialURL string
	embedded     *financialmcp.Server
	servers      []tools.MCPServerConfig
	cacheDir     string   // where discovered tool lists are kept ("" = not kept)
	roots        []string // answered to roots/list

	mu      sync.Mutex
	notices []string
}

// startTools indexes the documents and starts (or points at) the financial MCP server: the
// embedded one next to the embedded devserver, trusting its issuer and JWKS; Settings.MCPURL
// for a real one. With a real LumoAuth and no MCPURL the embedded server trusts that LumoAuth.
func startTools(s Settings, cfg *Config, as *AuthSide) (*ToolSide, error) {
	m := &ToolSide{cacheDir: cacheDir(s.getenv), roots: cfg.Roots}
	dir := s.Docs
	if dir == "" {
		dir = cfg.Docs
	}
	docs, notices, err := tools.NewDocumentSearch(dir)
	if err != nil {
		return nil, configError(err)
	}
	m.docs, m.notices = docs, notices

	for _, c := range cfg.MCPServers {
		server := tools.MCPServerConfig{Name: c.Name, URL: c.URL, Audience: c.Audience, Capability: c.Capability, Tools: c.Tools}
		if err := server.Validate(); err != nil {
			return nil, configError(fmt.Errorf("configuration file: mcp_servers: %w", err))
		}
		if err := checkEndpoint(server.URL, s.Insecure); err != nil {
			return nil, configError(fmt.Errorf("configuration file: mcp_servers %s: %w", server.Name, err))
		}
		m.servers = append(m.servers, server)
		m.Parts = append(m.Parts, session.Part{Role: "mcp", Name: server.Name, Host: hostOf(server.URL)})
	}

	if s.MCPURL != "" {
		if err := checkEndpoint(s.MCPURL, s.Insecure); err != nil {
			return nil, configError(fmt.Errorf("--mcp-url: %w", err))
		}
		m.financialURL = s.MCPURL
		m.Parts = append([]session.Part{{Role: "mcp", Name: "financial-data", Host: hostOf(s.MCPURL)}}, m.Parts...)
		return m, nil
	}
	opts := financialmcp.Options{Resource: tools.FinancialAudience}
	name := "financial-data"
	switch {
	case as != nil && as.Dev != nil:
		opts.Issuer, opts.JWKSURL = as.Dev.Issuer(), as.Dev.JWKSURL()
		opts.Introspection = devIntrospection(as.Dev)
	case as != nil:
		opts.Issuer, opts.JWKSURL = as.Client.URL(""), as.Client.URL("/.well-known/jwks.json")
		name = "financial-data (trusts " + hostOf(as.Client.BaseURL) + ")"
	default:
		return nil, configError(errors.New("no authorization server to trust for the embedded financial MCP server; pass --mcp-url"))
	}
	srv, err := financialmcp.Start(opts, "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the embedded financial MCP server: %w", err)
	}
	m.embedded, m.financialURL = srv, srv.URL()
	m.Parts = append([]session.Part{{Role: "mcp", Name: name, Host: hostOf(srv.URL()), Embedded: true}}, m.Parts...)
	return m, nil
}

// Registry is Tools without hooks: server notifications go nowhere, elicitations are
// declined.
func (m *ToolSide) Registry(ctx context.Context, agent *auth.Agent) (*tools.Registry, func(), error) {
	at, err := m.Tools(ctx, agent, tools.ClientHooks{})
	if err != nil {
		return nil, nil, err
	}
	return at.Registry, at.Close, nil
}

// AgentTools are one agent's tools and how discovery of each configured server went.
type AgentTools struct {
	Registry *tools.Registry
	Servers  []tools.ServerStatus
	Close    func() // closes the agent's MCP sessions
}

// Listing is the tools offered, each with its server, capability and whether it is reachable
// (denied: its server refused the agent a token, or the agent lacks the capability of
// held, when held is given).
func (a *AgentTools) Listing(held ...string) []tools.Listing {
	return tools.List(a.Registry, a.Servers, held...)
}

// Parts are parts with each configured MCP server's discovery state and reason.
func (a *AgentTools) Parts(parts []session.Part) []session.Part {
	out := append([]session.Part(nil), parts...)
	for i, p := range out {
		for _, st := range a.Servers {
			if p.Role == "mcp" && p.Name == st.Name {
				out[i].Status, out[i].Reason = string(st.State), st.Reason
			}
		}
	}
	return out
}

// Tools builds the tools of one agent: document search, the financial MCP client (its own
// session and tokens) and the tools of the configured MCP servers. A server the agent may
// not get a token for stays, with its cached or declared tools, denied at the gate; one that
// cannot be reached or listed is left out with a notice. hooks answer the servers' requests
// (the configured roots are added here).
func (m *ToolSide) Tools(ctx context.Context, agent *auth.Agent, hooks tools.ClientHooks) (*AgentTools, error) {
	reg := tools.NewRegistry()
	if err := reg.Add(m.docs); err != nil {
		return nil, err
	}
	if err := reg.Add(tools.NewFinancialMCP(agent, m.financialURL)); err != nil {
		return nil, err
	}
	hooks.Roots = m.roots
	at := &AgentTools{Registry: reg, Close: reg.Close}
	for _, s := range m.servers {
		ts, st, err := tools.Discover(ctx, agent, s, tools.Discovery{CacheDir: m.cacheDir, Hooks: hooks})
		at.Servers = append(at.Servers, st)
		switch {
		case err != nil:
			m.notice(fmt.Sprintf("MCP server %s left out: %s", s.Name, safetext.Line(err.Error())))
			continue
		case st.State == tools.ServerDenied:
			m.notice(fmt.Sprintf("MCP server %s denied: %s; its %d tools (from the %s) are offered and denied at the gate", s.Name, st.Reason, len(ts), st.Source))
		}
		for _, t := range ts {
			if err := reg.Add(t); err != nil {
				m.notice(fmt.Sprintf("MCP server %s: %v", s.Name, err))
				tools.CloseTools([]tools.Tool{t})
			}
		}
	}
	return at, nil
}

// cacheDir is $XDG_CACHE_HOME/lumodash (when absolute), else $HOME/.cache/lumodash; "" when
// neither is known.
func cacheDir(getenv func(string) string) string {
	if getenv == nil {
		return ""
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "lumodash")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".cache", "lumodash")
	}
	return ""
}

// Notices are what the user should know about the tools: skipped documents, MCP servers
// left out. They are not errors.
func (m *ToolSide) Notices() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.notices...)
}

func (m *ToolSide) notice(s string) {
	m.mu.Lock()
	m.notices = append(m.notices, s)
	m.mu.Unlock()
}

// FinancialURL is the financial MCP endpoint in use.
func (m *ToolSide) FinancialURL() string { return m.financialURL }

// Close stops the embedded MCP server, if any.
func (m *ToolSide) Close() {
	if m != nil && m.embedded != nil {
		_ = m.embedded.Close()
		m.embedded = nil
	}
}

// checkEndpoint accepts http(s) URLs; plain http only to a loopback host unless insecure.
func checkEndpoint(raw string, insecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL, e.g. https://mcp.example.com/mcp", raw)
	}
	if u.Scheme == "http" && !insecure && !loopbackHost(u.Hostname()) {
		return fmt.Errorf("%s uses plain http to a non-loopback host; use https or pass --insecure", raw)
	}
	return nil
}

func loopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// devIntrospection lets the embedded financial MCP server check JIT-derived tokens with the
// devserver, as its seeded financial-mcp client; nil when the world has no such client.
func devIntrospection(dev *devserver.Server) *financialmcp.Introspection {
	id, secret, ok := dev.Credentials("financial-mcp")
	if !ok {
		return nil
	}
	return &financialmcp.Introspection{URL: dev.Issuer() + "/oauth/introspect", ClientID: id, ClientSecret: secret}
}
