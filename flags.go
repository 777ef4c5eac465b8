package main

import "github.com/spf13/cobra"

// globalFlags are the flags every command shares.
type globalFlags struct {
	agent      string // --agent: seeded agent on the embedded default
	configPath string // --config: lumodash YAML configuration
	insecure   bool   // --insecure: allow http:// to non-loopback hosts
	envFile    string // --env-file: dotenv file (default .env in the working directory)
	baseURL    string // --lumoauth-url overrides LUMOAUTH_URL
	orgID      string // --org overrides LUMOAUTH_ORG_ID
	tenant     string // --tenant overrides LUMOAUTH_TENANT
	clientID   string // --client-id overrides AGENT_CLIENT_ID
	mcpURL     string // --mcp-url: a real financial MCP server instead of the embedded one
	docs       string // --docs: document folder for search_company_documents
}

func (g *globalFlags) register(c *cobra.Command) {
	f := c.PersistentFlags()
	f.StringVar(&g.agent, "agent", "research-analyst", "seeded agent to run as on the embedded server (research-analyst, junior-analyst, capped-analyst)")
	f.StringVar(&g.configPath, "config", "", "lumodash configuration file (default $XDG_CONFIG_HOME/lumodash/config.yaml when it exists)")
	f.BoolVar(&g.insecure, "insecure", false, "allow plain http:// to a non-loopback authorization server")
	f.StringVar(&g.envFile, "env-file", ".env", "dotenv file read for LUMOAUTH_* / AGENT_* / OPENAI_* variables (missing is fine)")
	f.StringVar(&g.baseURL, "lumoauth-url", "", "authorization server base URL (overrides LUMOAUTH_URL)")
	f.StringVar(&g.orgID, "org", "", "organisation id, current API /orgs/{id}/api/v1 (overrides LUMOAUTH_ORG_ID)")
	f.StringVar(&g.tenant, "tenant", "", "tenant, legacy API /t/{tenant}/api/v1 (overrides LUMOAUTH_TENANT)")
	f.StringVar(&g.mcpURL, "mcp-url", "", "financial MCP server endpoint (default: the embedded one); its audience is urn:mcp:financial-data")
	f.StringVar(&g.docs, "docs", "", "folder of Markdown/text documents to search (default: the embedded Acme Corp corpus)")
	f.StringVar(&g.clientID, "client-id", "", "agent client id (overrides AGENT_CLIENT_ID; the secret comes only from AGENT_CLIENT_SECRET)")
}
