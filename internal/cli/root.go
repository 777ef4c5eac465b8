package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/safetext"
)

// newRoot is the lumodash command: the dashboard, and every subcommand.
func newRoot(stdio IO) *cobra.Command {
	s := app.DefaultSettings(stdio.Getenv)
	s.Version = versionString()
	root := newTUICmd(&s, stdio)
	registerGlobalFlags(root, &s)
	root.PersistentPreRun = func(cmd *cobra.Command, _ []string) { s.AgentSet = cmd.Flags().Changed("agent") }
	root.AddCommand(
		newRunCmd(&s),
		newCallCmd(&s),
		newWhoamiCmd(&s),
		newToolsCmd(&s),
		newServeCmd(&s),
		newReplayCmd(&s, stdio),
		newExportCmd(&s),
		newVersionCmd(),
	)
	return root
}

// registerGlobalFlags binds the flags every command shares to s.
func registerGlobalFlags(c *cobra.Command, s *app.Settings) {
	f := c.PersistentFlags()
	f.StringVar(&s.Agent, "agent", s.Agent, "seeded agent to run as on the embedded server (research-analyst, junior-analyst, capped-analyst)")
	f.StringVar(&s.ConfigPath, "config", "", "lumodash configuration file (default $XDG_CONFIG_HOME/lumodash/config.yaml when it exists)")
	f.BoolVar(&s.Insecure, "insecure", false, "allow plain http:// to a non-loopback authorization server")
	f.BoolVar(&s.EphemeralKey, "ephemeral-key", false, "give the embedded authorization server a signing key made for this run, not the one kept in $XDG_STATE_HOME/lumodash (also LUMODASH_EPHEMERAL_KEY=1)")
	f.StringVar(&s.EnvFile, "env-file", s.EnvFile, "dotenv file read for LUMOAUTH_* / AGENT_* / OPENAI_* variables (missing is fine)")
	f.StringVar(&s.LumoAuthURL, "lumoauth-url", "", "authorization server base URL (overrides LUMOAUTH_URL)")
	f.StringVar(&s.OrgID, "org", "", "organisation id, current API /orgs/{id}/api/v1 (overrides LUMOAUTH_ORG_ID)")
	f.StringVar(&s.Tenant, "tenant", "", "tenant, legacy API /t/{tenant}/api/v1 (overrides LUMOAUTH_TENANT)")
	f.StringVar(&s.MCPURL, "mcp-url", "", "financial MCP server endpoint (default: the embedded one); its audience is urn:mcp:financial-data")
	f.StringVar(&s.Docs, "docs", "", "folder of Markdown/text documents to search (default: the embedded Acme Corp corpus)")
	f.StringVar(&s.ClientID, "client-id", "", "agent client id (overrides AGENT_CLIENT_ID; the secret comes only from AGENT_CLIENT_SECRET)")
}

// registerSessionFlags binds the flags of analyst sessions (the dashboard's and run's) to ss.
func registerSessionFlags(c *cobra.Command, ss *app.SessionSettings) {
	f := c.Flags()
	f.StringVar(&ss.Model, "model", "", "model id (overrides OPENAI_MODEL; default gpt-4o-mini on OpenAI, the embedded demo model when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set)")
	f.StringVar(&ss.Instructions, "instructions", "", "system instructions for the analyst (default: the seed's \"You are a senior analyst. …\")")
	f.IntVar(&ss.MaxTurns, "max-turns", ss.MaxTurns, "most model turns per request, a guard against tool-call loops")
	f.Int64Var(&ss.MaxTokens, "max-tokens", 0, "local cap on the session's model tokens (0 = none; the agent's own budget always applies)")
	f.Float64Var(&ss.MaxCost, "max-cost", 0, "local cap on the session's model cost in USD (0 = none; needs a priced model)")
	f.StringVar(&ss.Transcript, "transcript", "", "write the session transcript (JSONL) here (default $XDG_STATE_HOME/lumodash/sessions/)")
	f.DurationVar(&ss.ModelTimeout, "model-timeout", ss.ModelTimeout, "how long the model may stay silent before an attempt times out")
	f.IntVar(&ss.ModelRetries, "model-retries", ss.ModelRetries, "retries after a rate limit, server error, timeout or cut stream (0 = none)")
	f.DurationVar(&ss.DemoPace, "demo-pace", ss.DemoPace, "pause between the embedded demo model's streamed words")
	_ = f.MarkHidden("demo-pace")
	f.StringVar(&ss.JITMode, "jit", ss.JITMode, "just-in-time escalation of a missing capability: ask (confirm before requesting), auto (request at once), off (plain denial)")
	f.DurationVar(&ss.JITTimeout, "jit-timeout", ss.JITTimeout, "how long to wait for a human to approve a high-risk JIT request")
	f.Int64Var(&ss.ContextWindow, "context-window", 0, "the model's context window in tokens, e.g. 16384 (0 = the configuration file's, else what the server reports, else the built-in table); requests are trimmed to fit it")
}

// registerDisplayFlags binds the dashboard's display flags (the live dashboard's and replay's).
func registerDisplayFlags(c *cobra.Command, d *app.DisplaySettings) {
	f := c.Flags()
	f.StringVar(&d.Theme, "theme", "", "colour theme: auto (follow the terminal), dark, light, high-contrast, no-color (default: config file theme, else auto)")
	f.BoolVar(&d.NoColor, "no-color", false, "draw without colours (also when NO_COLOR is set)")
	f.BoolVar(&d.Flat, "flat", false, "flat layout for screen readers: no borders, no block glyphs, text labels")
	f.BoolVar(&d.Links, "links", false, "make http(s) links in answers clickable terminal hyperlinks (OSC 8); other links are always shown as text with their target")
	f.StringVar(&d.Clipboard, "clipboard", "", "where y copies a log row or a trace: osc52 (the terminal's clipboard, also over SSH) or system (xclip, xsel, wl-copy, pbcopy); default: the config file's clipboard, else osc52")
}

// display is d with NO_COLOR from the environment.
func display(d app.DisplaySettings, stdio IO) app.DisplaySettings {
	d.NoColor = d.NoColor || stdio.Getenv("NO_COLOR") != ""
	return d
}

// withSession is s with the command's own session settings.
func withSession(s *app.Settings, ss app.SessionSettings) app.Settings {
	out := *s
	out.Session = ss
	return out
}

// printNotices writes what the user should know about the world opened (a dotenv file that
// chose a real server, an --agent ignored for it) on stderr, before the command's output.
func printNotices(out io.Writer, w *app.World) {
	for _, n := range w.Auth.Notices {
		fmt.Fprintln(out, "notice:", safetext.Line(n))
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
