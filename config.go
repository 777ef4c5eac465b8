package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// fileConfig is the lumodash configuration file (--config, YAML). Every section is optional.
// Sections are owned by the part they configure; see the README for the full reference.
type fileConfig struct {
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
}

type mcpServerConfig struct {
	Name       string `yaml:"name"`
	URL        string `yaml:"url"`
	Audience   string `yaml:"audience"`
	Capability string `yaml:"capability"`
}

type modelPrice struct {
	InputPerMTok       float64 `yaml:"input_per_mtok"`
	CachedInputPerMTok float64 `yaml:"cached_input_per_mtok"`
	OutputPerMTok      float64 `yaml:"output_per_mtok"`
}

// loadFileConfig reads the configuration file. An empty path means the default location,
// which may be absent; an explicit path that is missing is an error.
func loadFileConfig(path string) (*fileConfig, error) {
	explicit := path != ""
	if !explicit {
		dir, err := os.UserConfigDir()
		if err != nil {
			return &fileConfig{WarnPercent: 80}, nil
		}
		path = filepath.Join(dir, "lumodash", "config.yaml")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return &fileConfig{WarnPercent: 80}, nil
	}
	if err != nil {
		return nil, withCode(exitConfig, fmt.Errorf("reading configuration file: %w (pass an existing YAML file with --config)", err))
	}
	fc := &fileConfig{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(fc); err != nil && !errors.Is(err, io.EOF) {
		return nil, withCode(exitConfig, fmt.Errorf("configuration file %s: %w (see the README's Configuration section for the keys)", path, err))
	}
	if fc.WarnPercent == 0 {
		fc.WarnPercent = 80
	}
	if fc.WarnPercent < 1 || fc.WarnPercent > 100 {
		return nil, withCode(exitConfig, fmt.Errorf("configuration file %s: warn_percent must be between 1 and 100, got %v", path, fc.WarnPercent))
	}
	for i, s := range fc.MCPServers {
		if s.Name == "" || s.URL == "" || s.Audience == "" {
			return nil, withCode(exitConfig, fmt.Errorf("configuration file %s: mcp_servers[%d] needs name, url and audience (capability is optional), e.g. {name: crm, url: https://crm.example.com/mcp, audience: urn:mcp:crm, capability: mcp:crm}", path, i))
		}
	}
	return fc, nil
}
