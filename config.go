package main

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
