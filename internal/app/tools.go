package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
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
	// approvals are the embedded world's approval_required rules for the financial tool;
	// approver is who is asked (set by World.Dashboard; nil: nobody).
	approvals []devserver.ApprovalRequirement
	approver  approvalShower

	mu      sync.Mutex
	notices []string
}

// startTools indexes the documents and starts (or points at) the financial MCP server: the
// embedded one next to the embedded devserver, trusting its issuer and JWKS; Settings.MCPURL
// for a real one. With a real LumoAuth and no MCPURL the embedded server trusts that LumoAuth.
func startTools(s Settings, cfg *Config, as *AuthSide) (*ToolSide, error) {
	m := &ToolSide{}
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
		server := tools.MCPServerConfig{Name: c.Name, URL: c.URL, Audience: c.Audience, Capability: c.Capability}
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
	var srv *financialmcp.Server
	name := "financial-data"
	switch {
	case as != nil && as.Dev != nil:
		// Both issuers, introspection, the jit_required rules and the URL as the resource's
		// second name: the demo world's wiring, in one place.
		srv, err = financialmcp.StartEmbedded(as.Dev, "127.0.0.1:0", financialmcp.Options{Resource: tools.FinancialAudience})
		if res, ok := as.Dev.Resource(tools.FinancialAudience); ok {
			m.approvals = res.ApprovalRequired
		}
	case as != nil:
		opts := financialmcp.Options{Resource: tools.FinancialAudience, Issuer: as.Client.URL(""), JWKSURL: as.Client.URL("/.well-known/jwks.json")}
		name = "financial-data (trusts " + hostOf(as.Client.BaseURL) + ")"
		srv, err = financialmcp.Start(opts, "127.0.0.1:0")
	default:
		return nil, configError(errors.New("no authorization server to trust for the embedded financial MCP server; pass --mcp-url"))
	}
	if err != nil {
		return nil, fmt.Errorf("starting the embedded financial MCP server: %w", err)
	}
	m.embedded, m.financialURL = srv, srv.URL()
	m.Parts = append([]session.Part{{Role: "mcp", Name: name, Host: hostOf(srv.URL()), Embedded: true}}, m.Parts...)
	return m, nil
}

// Registry builds the tools of one agent: document search, the financial MCP client (its
// own session and tokens) and the tools discovered on the configured MCP servers. A server
// that cannot be listed (unreachable, or the agent may not exchange a token for it) is left
// out with a notice. The returned function closes the agent's MCP sessions.
func (m *ToolSide) Registry(ctx context.Context, agent *auth.Agent) (*tools.Registry, func(), error) {
	reg := tools.NewRegistry()
	if err := reg.Add(m.docs); err != nil {
		return nil, nil, err
	}
	if err := reg.Add(withApprovals(tools.NewFinancialMCP(agent, m.financialURL), agent, m.approvals, m.approverNow)); err != nil {
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

// approverNow is the person asked about approvals now (nil: nobody).
func (m *ToolSide) approverNow() approvalShower {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.approver
}

// setApprover makes a the person asked about the approval_required calls.
func (m *ToolSide) setApprover(a approvalShower) {
	m.mu.Lock()
	m.approver = a
	m.mu.Unlock()
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
