package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/safetext"
)

// MCPServerConfig is a secured MCP server a user adds in the configuration file.
type MCPServerConfig struct {
	Name       string // short name; its tools are offered as <Name>__<tool>
	URL        string // streamable-HTTP endpoint
	Audience   string // resource to exchange the agent's token for
	Capability string // capability the agent must hold to call its tools ("" = none)
	// Tools are the server's tools as the user declares them: offered (and denied at the
	// gate) when the agent may not get a token for the server and no earlier discovery of
	// it is cached.
	Tools []ToolInfo
}

// Validate says what is missing or malformed.
func (c MCPServerConfig) Validate() error {
	if c.Name == "" || sanitizeName(c.Name) != c.Name {
		return fmt.Errorf("MCP server name %q must be non-empty letters, digits, _ or -", c.Name)
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("MCP server %s: url %q is not an http(s) URL", c.Name, c.URL)
	}
	if c.Audience == "" {
		return fmt.Errorf("MCP server %s: audience is required (the resource its tokens are exchanged for)", c.Name)
	}
	for i, t := range c.Tools {
		if t.Name == "" {
			return fmt.Errorf("MCP server %s: tools[%d] needs a name (the server's name for the tool)", c.Name, i)
		}
	}
	return nil
}

// DiscoverMCPTools is Discover without a cache or client hooks, for an agent that must be
// allowed: a refused exchange is an error unless cfg declares its tools.
func DiscoverMCPTools(ctx context.Context, agent *auth.Agent, cfg MCPServerConfig) ([]Tool, error) {
	ts, _, err := Discover(ctx, agent, cfg, Discovery{})
	return ts, err
}

// Discover lists the tools of cfg's server with a token exchanged for cfg.Audience and wraps
// each as a Tool named <server>__<tool> that goes through the gate like any other. When the
// authorization server refuses the exchange, the server stays: its tools come from the last
// successful discovery (d.CacheDir) or cfg.Tools, and the gate denies them (or asks for a JIT
// grant). The tools share one session; closing any of them (or CloseTools) ends it.
func Discover(ctx context.Context, agent *auth.Agent, cfg MCPServerConfig, d Discovery) ([]Tool, ServerStatus, error) {
	st := ServerStatus{Name: cfg.Name, URL: cfg.URL, Capability: cfg.Capability}
	if err := cfg.Validate(); err != nil {
		return nil, st, err
	}
	conn := newMCPConn(agent, cfg.Name, cfg.URL, cfg.Audience)
	conn.hooks = d.Hooks
	cred, err := agent.Exchange(ctx, cfg.Audience)
	if err != nil {
		reason := fmt.Sprintf("exchanging a token for %s: %s", cfg.Audience, oauthReason(err))
		if !refused(err) {
			st.State, st.Reason = ServerUnreachable, reason
			return nil, st, fmt.Errorf("MCP server %s: %s", cfg.Name, reason)
		}
		known, source := knownTools(d.CacheDir, cfg)
		st.State, st.Reason, st.Source = ServerDenied, reason, source
		if len(known) == 0 {
			return nil, st, fmt.Errorf("MCP server %s: %s; no tools of it are known (declare them under tools: in its configuration entry, or run once as an agent allowed to list them)", cfg.Name, reason)
		}
		return wrapTools(conn, cfg, known), st, nil
	}
	var listed []*mcp.Tool
	_, _, err = conn.run(ctx, cred, func(ctx context.Context, s *mcp.ClientSession) error {
		listed = listed[:0]
		for t, err := range s.Tools(ctx, nil) {
			if err != nil {
				return err
			}
			listed = append(listed, t)
		}
		return nil
	})
	if err != nil {
		_ = conn.Close()
		st.State, st.Reason = ServerUnreachable, "listing tools: "+safetext.Line(err.Error())
		return nil, st, fmt.Errorf("MCP server %s (%s): listing tools: %s", cfg.Name, cfg.URL, safetext.Line(err.Error()))
	}
	infos := make([]ToolInfo, 0, len(listed))
	for _, t := range listed {
		infos = append(infos, ToolInfo{Name: t.Name, Description: t.Description, InputSchema: schemaMap(t.InputSchema)})
	}
	st.State, st.Source = ServerReachable, SourceDiscovered
	if d.CacheDir != "" {
		if err := saveCache(d.CacheDir, cfg, infos); err != nil {
			st.Reason = "tools not cached: " + safetext.Line(err.Error())
		}
	}
	return wrapTools(conn, cfg, infos), st, nil
}

// wrapTools makes the gate's tools of one server's tool list.
func wrapTools(conn *mcpConn, cfg MCPServerConfig, infos []ToolInfo) []Tool {
	ts := make([]Tool, 0, len(infos))
	for _, t := range infos {
		ts = append(ts, newMCPTool(conn, cfg, t))
	}
	return ts
}

// refused says the authorization server answered the exchange with a refusal (4xx), as
// opposed to not answering or failing.
func refused(err error) bool {
	var oe *auth.OAuthError
	return errors.As(err, &oe) && oe.Status >= 400 && oe.Status < 500
}

// CloseTools closes every tool in ts that holds an MCP session.
func CloseTools(ts []Tool) {
	for _, t := range ts {
		if c, ok := t.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}
}

// mcpTool is one tool of a configured MCP server.
type mcpTool struct {
	conn        *mcpConn
	name        string // <server>__<tool>
	remote      string // the server's name for it
	description string
	params      map[string]any
	capability  string
	audience    string
	server      string
}

func newMCPTool(conn *mcpConn, cfg MCPServerConfig, t ToolInfo) *mcpTool {
	name := sanitizeName(cfg.Name + "__" + t.Name)
	if len(name) > 64 {
		name = name[:64]
	}
	desc := safetext.Line(t.Description)
	if len(desc) > 1000 {
		desc = desc[:1000] + "…"
	}
	if desc == "" {
		desc = "Tool " + t.Name
	}
	return &mcpTool{conn: conn, name: name, remote: t.Name, capability: cfg.Capability, audience: cfg.Audience,
		description: desc + " (MCP server " + cfg.Name + ")", params: schemaMap(t.InputSchema), server: cfg.Name}
}

// schemaMap turns the server's input schema into a map, defaulting to an open object.
func schemaMap(s any) map[string]any {
	m, ok := s.(map[string]any)
	if !ok && s != nil {
		if b, err := json.Marshal(s); err == nil {
			_ = json.Unmarshal(b, &m)
		}
	}
	if m == nil {
		m = map[string]any{}
	}
	if _, ok := m["type"]; !ok {
		m["type"] = "object"
	}
	if strings.TrimSpace(fmt.Sprint(m["type"])) == "object" {
		if _, ok := m["properties"]; !ok {
			m["properties"] = map[string]any{}
		}
	}
	return m
}

func (t *mcpTool) Name() string               { return t.name }
func (t *mcpTool) Description() string        { return t.description }
func (t *mcpTool) Parameters() map[string]any { return t.params }
func (t *mcpTool) Capability() string         { return t.capability }
func (t *mcpTool) Audience() string           { return t.audience }
func (t *mcpTool) Server() string             { return t.server }

// Close ends the session shared by the server's tools.
func (t *mcpTool) Close() error { return t.conn.Close() }

func (t *mcpTool) Call(ctx context.Context, raw json.RawMessage, cred *auth.Credential) (Result, error) {
	args, err := decodeArgs(raw)
	if err != nil {
		return Result{}, err
	}
	plain := map[string]any{}
	if b, err := json.Marshal(args); err == nil {
		_ = json.Unmarshal(b, &plain)
	}
	return callMCPTool(ctx, t.conn, cred, t.remote, plain)
}
