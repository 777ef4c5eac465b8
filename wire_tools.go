package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// mcpStack is the tool side of a run: the document index (built once, shared by every
// agent), the financial MCP server (embedded or real) and the MCP servers of the
// configuration file.
type mcpStack struct {
	Parts []session.Part

	docs         *tools.DocumentSearch
	financialURL string
	embedded     *financialmcp.Server
	servers      []tools.MCPServerConfig

	mu      sync.Mutex
	notices []string
}

// startMCP indexes the documents and starts (or points at) the financial MCP server: the
// embedded one next to the embedded devserver, trusting its issuer and JWKS; --mcp-url for a
// real one. With a real LumoAuth and no --mcp-url the embedded server trusts that LumoAuth.
func startMCP(ctx context.Context, g *globalFlags, fc *fileConfig, as *authStack) (*mcpStack, error) {
	m := &mcpStack{}
	dir := g.docs
	if dir == "" {
		dir = fc.Docs
	}
	docs, notices, err := tools.NewDocumentSearch(dir)
	if err != nil {
		return nil, withCode(exitConfig, err)
	}
	m.docs, m.notices = docs, notices

	for _, s := range fc.MCPServers {
		cfg := tools.MCPServerConfig{Name: s.Name, URL: s.URL, Audience: s.Audience, Capability: s.Capability}
		if err := cfg.Validate(); err != nil {
			return nil, withCode(exitConfig, fmt.Errorf("configuration file: mcp_servers: %w", err))
		}
		if err := checkEndpoint(cfg.URL, g.insecure); err != nil {
			return nil, withCode(exitConfig, fmt.Errorf("configuration file: mcp_servers %s: %w", cfg.Name, err))
		}
		m.servers = append(m.servers, cfg)
		m.Parts = append(m.Parts, session.Part{Role: "mcp", Name: cfg.Name, Host: hostOf(cfg.URL)})
	}

	if g.mcpURL != "" {
		if err := checkEndpoint(g.mcpURL, g.insecure); err != nil {
			return nil, withCode(exitConfig, fmt.Errorf("--mcp-url: %w", err))
		}
		m.financialURL = g.mcpURL
		m.Parts = append([]session.Part{{Role: "mcp", Name: "financial-data", Host: hostOf(g.mcpURL)}}, m.Parts...)
		return m, nil
	}
	opts := financialmcp.Options{Resource: tools.FinancialAudience}
	name := "financial-data"
	if as != nil && as.Dev != nil {
		opts.Issuer, opts.JWKSURL = as.Dev.Issuer(), as.Dev.JWKSURL()
		opts.Introspection = devIntrospection(as.Dev)
	} else if as != nil {
		opts.Issuer, opts.JWKSURL = as.Cfg.URL(""), as.Cfg.URL("/.well-known/jwks.json")
		name = "financial-data (trusts " + hostOf(as.Cfg.BaseURL) + ")"
	} else {
		return nil, withCode(exitConfig, fmt.Errorf("no authorization server to trust for the embedded financial MCP server; pass --mcp-url"))
	}
	srv, err := financialmcp.Start(opts, "127.0.0.1:0")
	if err != nil {
		return nil, withCode(exitError, fmt.Errorf("starting the embedded financial MCP server: %w", err))
	}
	m.embedded, m.financialURL = srv, srv.URL()
	m.Parts = append([]session.Part{{Role: "mcp", Name: name, Host: hostOf(srv.URL()), Embedded: true}}, m.Parts...)
	return m, nil
}

// Registry builds the tools of one agent: document search, the financial MCP client (its
// own session and tokens) and the tools discovered on the configured MCP servers. A server
// that cannot be listed (unreachable, or the agent may not exchange a token for it) is left
// out with a notice. The returned function closes the agent's MCP sessions.
func (m *mcpStack) Registry(ctx context.Context, agent *auth.Agent) (*tools.Registry, func(), error) {
	reg := tools.NewRegistry()
	if err := reg.Add(m.docs); err != nil {
		return nil, nil, err
	}
	if err := reg.Add(tools.NewFinancialMCP(agent, m.financialURL)); err != nil {
		return nil, nil, err
	}
	for _, s := range m.servers {
		ts, err := tools.DiscoverMCPTools(ctx, agent, s)
		if err != nil {
			m.notice(fmt.Sprintf("MCP server %s left out: %s", s.Name, safetext.Line(err.Error())))
			continue
		}
		for _, t := range ts {
			if err := reg.Add(t); err != nil {
				m.notice(fmt.Sprintf("MCP server %s: %v", s.Name, err))
				tools.CloseTools([]tools.Tool{t})
			}
		}
	}
	return reg, reg.Close, nil
}

// Notices are what the user should know about the tools: skipped documents, MCP servers
// left out. They are not errors.
func (m *mcpStack) Notices() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.notices...)
}

func (m *mcpStack) notice(s string) {
	m.mu.Lock()
	m.notices = append(m.notices, s)
	m.mu.Unlock()
}

// FinancialURL is the financial MCP endpoint in use.
func (m *mcpStack) FinancialURL() string { return m.financialURL }

// Close stops the embedded MCP server, if any.
func (m *mcpStack) Close() {
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

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

func init() { serveExtras = append(serveExtras, serveFinancialMCP) }

// serveFinancialMCP runs the embedded financial MCP server next to `lumodash serve`'s
// devserver, on the port after the devserver's when it is free, else on any free port.
func serveFinancialMCP(_ context.Context, _ *globalFlags, _ *fileConfig, dev *devserver.Server, out io.Writer) (func(), error) {
	opts := financialmcp.Options{Issuer: dev.Issuer(), JWKSURL: dev.JWKSURL(), Resource: tools.FinancialAudience,
		Introspection: devIntrospection(dev)}
	srv, err := financialmcp.Start(opts, nextPort(dev.URL()))
	if err != nil {
		srv, err = financialmcp.Start(opts, "127.0.0.1:0")
	}
	if err != nil {
		return nil, withCode(exitError, fmt.Errorf("starting the embedded financial MCP server: %w", err))
	}
	fmt.Fprintf(out, "financial MCP server (embedded) · %s\n  audience %s · scope %s · tools get_metric, list_metrics\n  metadata %s\n  lumodash --mcp-url %s\n\n",
		srv.URL(), tools.FinancialAudience, financialmcp.Scope, srv.MetadataURL(), srv.URL())
	return func() { _ = srv.Close() }, nil
}

// nextPort is host:(port+1) of base URL, or a random port on loopback when it cannot tell.
func nextPort(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "127.0.0.1:0"
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil || port == 0 || port >= 65535 {
		return "127.0.0.1:0"
	}
	return net.JoinHostPort(u.Hostname(), strconv.Itoa(port+1))
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
