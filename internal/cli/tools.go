package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
)

func newToolsCmd(s *app.Settings) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List the tools the agent is offered: name, server, required capability, reachable or denied",
		Long: `List the tools offered to the configured agent's model — the built-in ones and those of the
MCP servers of the configuration file — with the server each belongs to, the capability the
gate requires, whether the server is reachable or denied (the agent may not get a token for
it: its tools are offered and denied at the gate), and the description the model reads.
Servers left out (unreachable, or nothing of them known) are listed with the reason.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runTools(cmd, *s, asJSON) },
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object: {agent, servers, tools}")
	return cmd
}

// toolsReport is what `lumodash tools --json` prints.
type toolsReport struct {
	Agent   string               `json:"agent"`
	Servers []tools.ServerStatus `json:"servers"`
	Tools   []tools.Listing      `json:"tools"`
}

func runTools(cmd *cobra.Command, s app.Settings, asJSON bool) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	w, err := app.Open(ctx, s, app.ScopeTools)
	if err != nil {
		return worldError(err)
	}
	defer w.Close()
	printNotices(cmd.ErrOrStderr(), w)
	agent, err := w.Auth.NewAgent("", nil)
	if err != nil {
		return worldError(err)
	}
	at, err := w.Tools.Tools(ctx, agent, tools.ClientHooks{})
	if err != nil {
		return withCode(ExitError, err)
	}
	defer at.Close()
	info, err := agent.Info(ctx)
	if err != nil {
		return worldError(fmt.Errorf("reading the agent's capabilities: %w", err))
	}
	rep := toolsReport{Agent: agent.Config().ClientID, Servers: at.Servers, Tools: at.Listing(append([]string{}, info.Capabilities...)...)}
	if rep.Servers == nil {
		rep.Servers = []tools.ServerStatus{}
	}
	out := cmd.OutOrStdout()
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printToolsTable(out, rep)
	return nil
}

func printToolsTable(out io.Writer, rep toolsReport) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOOL\tSERVER\tCAPABILITY\tSTATE\tDESCRIPTION")
	for _, l := range rep.Tools {
		desc := safetext.Line(l.Description)
		if r := []rune(desc); len(r) > 70 {
			desc = string(r[:69]) + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", safetext.Line(l.Name), orDash(safetext.Line(l.Server)), orDash(l.Capability), l.State, desc)
	}
	_ = tw.Flush()
	for _, st := range rep.Servers {
		line := fmt.Sprintf("MCP server %s (%s): %s", safetext.Line(st.Name), safetext.Line(st.URL), st.State)
		if st.Source != "" && st.Source != tools.SourceDiscovered {
			line += ", tools from the " + st.Source
		}
		if st.Reason != "" {
			line += " — " + safetext.Line(st.Reason)
		}
		fmt.Fprintln(out, line)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
