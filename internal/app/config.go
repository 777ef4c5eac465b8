package app

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lumodash/lumodash/internal/telemetry"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui"
)

// Config is the lumodash configuration file (--config, YAML), loaded once per command.
// Every section is optional; see the README's Configuration section.
type Config struct {
	// MCPServers are extra secured MCP servers whose tools are offered through the gate.
	MCPServers []mcpServerConfig `yaml:"mcp_servers"`
	// Prices override or extend the model price table (USD per million tokens).
	Prices map[string]modelPrice `yaml:"prices"`
	// WarnPercent is where budget gauges turn warning-coloured and a warning event fires (default 80).
	WarnPercent float64 `yaml:"warn_percent"`
	// Devserver points the embedded authorization server at a YAML file of agents.
	Devserver string `yaml:"devserver"`
	// Docs is the document folder for search_company_documents (default: the embedded corpus).
	Docs string `yaml:"docs"`
	// Theme is the default theme name.
	Theme string `yaml:"theme"`
	// OTel sends sessions to an OpenTelemetry Collector (under the --otel-* flags and OTEL_* variables).
	OTel telemetry.FileConfig `yaml:"otel"`
	// Clipboard is where the dashboard's y copies to: osc52 (the terminal's, default) or system.
	Clipboard string `yaml:"clipboard"`
	// Links makes http(s) links in answers terminal hyperlinks (OSC 8), like --links.
	Links bool `yaml:"links"`
	// ContextWindow is the model's context window in tokens, for any model (0 = the
	// server's report, else the built-in table); --context-window beats it.
	ContextWindow int64 `yaml:"context_window"`
	// ContextWindows are context windows by model id; an entry beats context_window.
	ContextWindows map[string]int64 `yaml:"context_windows"`
	// Roots are the folders lumodash's MCP client lists to servers that ask (roots/list);
	// none by default.
	Roots []string `yaml:"roots"`
}

type mcpServerConfig struct {
	Name       string `yaml:"name"`
	URL        string `yaml:"url"`
	Audience   string `yaml:"audience"`
	Capability string `yaml:"capability"`
	// Tools declare the server's tools for agents that may not list them (see the README).
	Tools []tools.ToolInfo `yaml:"tools"`
}

type modelPrice struct {
	InputPerMTok       float64 `yaml:"input_per_mtok"`
	CachedInputPerMTok float64 `yaml:"cached_input_per_mtok"`
	OutputPerMTok      float64 `yaml:"output_per_mtok"`
}

// LoadConfig reads s.ConfigPath, or the default location ($XDG_CONFIG_HOME/lumodash/config.yaml,
// else ~/.config/…) which may be absent; an explicit path that is missing is an error.
func LoadConfig(s Settings) (*Config, error) {
	path := s.ConfigPath
	explicit := path != ""
	if !explicit {
		dir := configDir(s.getenv)
		if dir == "" {
			return &Config{WarnPercent: 80}, nil
		}
		path = filepath.Join(dir, "lumodash", "config.yaml")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return &Config{WarnPercent: 80}, nil
	}
	if err != nil {
		return nil, configError(fmt.Errorf("reading configuration file: %w (pass an existing YAML file with --config)", err))
	}
	fc := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(fc); err != nil && !errors.Is(err, io.EOF) {
		return nil, configError(keyErrors(path, err))
	}
	if fc.WarnPercent == 0 {
		fc.WarnPercent = 80
	}
	if fc.WarnPercent < 1 || fc.WarnPercent > 100 {
		return nil, configError(fmt.Errorf("configuration file %s: warn_percent must be between 1 and 100, got %v", path, fc.WarnPercent))
	}
	if err := checkProtocol("otel.protocol", fc.OTel.Protocol); err != nil {
		return nil, configError(fmt.Errorf("configuration file %s: %w", path, err))
	}
	if err := fc.checkWindows(path); err != nil {
		return nil, configError(err)
	}
	for i, m := range fc.MCPServers {
		if m.Name == "" || m.URL == "" || m.Audience == "" {
			return nil, configError(fmt.Errorf("configuration file %s: mcp_servers[%d] needs name, url and audience (capability is optional), e.g. {name: crm, url: https://crm.example.com/mcp, audience: urn:mcp:crm, capability: mcp:crm}", path, i))
		}
		for j, t := range m.Tools {
			if t.Name == "" {
				return nil, configError(fmt.Errorf("configuration file %s: mcp_servers[%d] (%s) tools[%d] needs a name, e.g. {name: echo, description: Echoes the message, input_schema: {type: object, properties: {message: {type: string}}}}", path, i, m.Name, j))
			}
		}
	}
	for i, r := range fc.Roots {
		if rest, ok := strings.CutPrefix(r, "~/"); ok && s.getenv("HOME") != "" {
			r = filepath.Join(s.getenv("HOME"), rest)
			fc.Roots[i] = r
		}
		if info, err := os.Stat(r); err != nil || !info.IsDir() {
			return nil, configError(fmt.Errorf("configuration file %s: roots[%d] %q is not a folder (roots are folders MCP servers may be told about)", path, i, r))
		}
	}
	return fc, nil
}

// configDir is what os.UserConfigDir says on Unix, read from getenv: $XDG_CONFIG_HOME when
// absolute, else $HOME/.config; "" when neither is known.
func configDir(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); d != "" {
		if filepath.IsAbs(d) {
			return d
		}
		return ""
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config")
	}
	return ""
}

// Display is the display part of the dashboard's options: d, with the file's theme when d
// names none.
func (c *Config) Display(d DisplaySettings) (ui.Options, error) {
	theme := d.Theme
	if theme == "" {
		theme = c.Theme
	}
	if _, err := themes.Lookup(theme); err != nil {
		return ui.Options{}, configError(err)
	}
	clip, err := ui.ParseClipboard(cmp.Or(d.Clipboard, c.Clipboard))
	if err != nil {
		return ui.Options{}, configError(fmt.Errorf("--clipboard or the configuration file's clipboard: %w", err))
	}
	return ui.Options{Theme: theme, NoColor: d.NoColor, Flat: d.Flat, WarnPercent: c.WarnPercent,
		SuggestedPrompt: ui.DefaultSuggestedPrompt, Clipboard: clip, Links: d.Links || c.Links}, nil
}

// prices is the file's price table for the session.
func (c *Config) prices() map[string]session.Price {
	if c == nil || len(c.Prices) == 0 {
		return nil
	}
	out := make(map[string]session.Price, len(c.Prices))
	for name, p := range c.Prices {
		out[name] = session.Price{InputPerMTok: p.InputPerMTok, CachedInputPerMTok: p.CachedInputPerMTok, OutputPerMTok: p.OutputPerMTok}
	}
	return out
}
