package tools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// ToolInfo is one tool of an MCP server as discovery saw it (or the configuration declares it).
type ToolInfo struct {
	Name        string         `json:"name" yaml:"name"` // the server's name for it
	Description string         `json:"description,omitempty" yaml:"description"`
	InputSchema map[string]any `json:"input_schema,omitempty" yaml:"input_schema"`
}

// ServerState is how discovery of one MCP server went.
type ServerState string

// Server states.
const (
	ServerReachable   ServerState = "reachable"   // listed with the agent's own token
	ServerDenied      ServerState = "denied"      // the exchange was refused: its tools are offered and denied at the gate
	ServerUnreachable ServerState = "unreachable" // left out: no answer, or listing failed
)

// Where a server's tools came from, for ServerStatus.Source.
const (
	SourceDiscovered = "discovered" // listed just now
	SourceCache      = "cache"      // the last successful discovery
	SourceConfig     = "config"     // the tools: list of its configuration entry
)

// ServerStatus says how one MCP server's discovery went, for the sidebar, the log and
// `lumodash tools`.
type ServerStatus struct {
	Name       string      `json:"name"`
	URL        string      `json:"url"`
	Capability string      `json:"capability,omitempty"`
	State      ServerState `json:"state"`
	Reason     string      `json:"reason,omitempty"` // why denied or left out
	Source     string      `json:"source,omitempty"` // where the tools came from
}

// Discovery is how Discover runs: where it caches tool lists and how the client answers the
// server's requests.
type Discovery struct {
	// CacheDir holds the last successful discovery of each server ("" = no cache).
	CacheDir string
	Hooks    ClientHooks
}

// cachedList is one server's cache file.
type cachedList struct {
	URL          string     `json:"url"`
	Audience     string     `json:"audience"`
	DiscoveredAt time.Time  `json:"discovered_at"`
	Tools        []ToolInfo `json:"tools"`
}

func cachePath(dir, server string) string {
	return filepath.Join(dir, "mcp-tools", server+".json")
}

// saveCache writes the server's tool list, readable by the user alone (0600): tool lists
// can say what a private server does.
func saveCache(dir string, cfg MCPServerConfig, infos []ToolInfo) error {
	b, err := json.MarshalIndent(cachedList{URL: cfg.URL, Audience: cfg.Audience, DiscoveredAt: time.Now().UTC(), Tools: infos}, "", "  ")
	if err != nil {
		return err
	}
	path := cachePath(dir, cfg.Name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// knownTools are the tools offered for a server the agent may not list: the cached
// discovery of the same URL and audience, else the configured list.
func knownTools(dir string, cfg MCPServerConfig) ([]ToolInfo, string) {
	if dir != "" {
		if b, err := os.ReadFile(cachePath(dir, cfg.Name)); err == nil {
			var c cachedList
			if json.Unmarshal(b, &c) == nil && c.URL == cfg.URL && c.Audience == cfg.Audience && len(c.Tools) > 0 {
				return c.Tools, SourceCache
			}
		}
	}
	if len(cfg.Tools) > 0 {
		return cfg.Tools, SourceConfig
	}
	return nil, ""
}

// Listing is one offered tool as `lumodash tools`, the session.start event and the
// dashboard's Tools dialog show it.
type Listing struct {
	Name        string `json:"name"`
	Server      string `json:"server,omitempty"` // "" for a built-in tool
	Capability  string `json:"capability,omitempty"`
	Description string `json:"description"`
	// State is reachable, or denied: its server refused the agent a token, or (when the
	// agent's capabilities are known) the agent lacks the capability.
	State ServerState `json:"state"`
}

// List is the registry's tools, in order, with their servers' discovery states; held, when
// not nil, are the agent's capabilities, and a tool needing another one is denied too.
func List(reg *Registry, servers []ServerStatus, held ...string) []Listing {
	if reg == nil {
		return nil
	}
	state := map[string]ServerState{}
	for _, s := range servers {
		state[s.Name] = s.State
	}
	var out []Listing
	for _, t := range reg.Tools() {
		l := Listing{Name: t.Name(), Capability: t.Capability(), Description: t.Description(), State: ServerReachable}
		switch s := t.(type) {
		case interface{ Server() string }:
			l.Server = s.Server()
		case *FinancialMCP:
			l.Server = "financial-data"
		}
		if st, ok := state[l.Server]; ok && st == ServerDenied || held != nil && l.Capability != "" && !slices.Contains(held, l.Capability) {
			l.State = ServerDenied
		}
		out = append(out, l)
	}
	return out
}
