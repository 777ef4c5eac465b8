package cli

import (
	"errors"
	"fmt"
	"io"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/ui"
)

// newTUICmd is the root command: with no subcommand, lumodash shows the dashboard.
func newTUICmd(s *app.Settings, stdio IO) *cobra.Command {
	ss, d := app.DefaultSessionSettings(), app.DisplaySettings{}
	var compare string
	cmd := &cobra.Command{
		Use:           "lumodash",
		Short:         "A terminal dashboard for AI-agent sessions governed by LumoAuth",
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd, withSession(s, ss), display(d, stdio), compare)
		},
	}
	registerDisplayFlags(cmd, &d)
	registerSessionFlags(cmd, &ss)
	cmd.Flags().StringVar(&compare, "compare", "", "compare mode: two agents' sessions side by side, e.g. research-analyst,junior-analyst; each prompt goes to both")
	registerOTelFlags(cmd, &s.Telemetry)
	return cmd
}

// runTUI opens the world (embedded or real parts) and shows the dashboard on it.
func runTUI(cmd *cobra.Command, s app.Settings, d app.DisplaySettings, compare string) error {
	var agents [2]string
	if cmd.Flags().Changed("compare") {
		var err error
		if agents, err = app.ParseCompare(compare); err != nil {
			return worldError(err)
		}
	}
	if !isTerminal(cmd.OutOrStdout()) { // else Bubble Tea draws escape codes into a pipe or fails on /dev/tty
		return withCode(ExitConfig, errors.New("the dashboard needs a terminal, but standard output is not one; for a pipe or a file use: lumodash run --plain|--json PROMPT"))
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
	defer stop()
	cfg, err := app.LoadConfig(s)
	if err != nil {
		return worldError(err)
	}
	opts, err := cfg.Display(d)
	if err != nil {
		return worldError(err)
	}
	w, err := app.OpenWith(ctx, s, cfg, app.ScopeSessions)
	if err != nil {
		return worldError(err)
	}
	defer w.Close()
	if cmd.Flags().Changed("compare") {
		if err := w.CheckCompare(agents); err != nil {
			return worldError(err)
		}
		err = ui.RunCompare(ctx, w.CompareDashboard(opts, agents))
	} else {
		err = ui.Run(ctx, w.Dashboard(opts))
	}
	printTranscripts(cmd.ErrOrStderr(), w.Transcripts())
	endTelemetry(w, cmd.ErrOrStderr()) // the notice went to the dashboard's log; the screen is back now
	return err
}

// printTranscripts says, once the screen is back, where the sessions were recorded and how
// to look at them again: the dashboard itself has no room for it.
func printTranscripts(out io.Writer, paths []string) {
	shown := 0
	for _, p := range paths {
		if p != "" {
			fmt.Fprintln(out, "transcript:", p)
			shown++
		}
	}
	if shown > 0 {
		fmt.Fprintln(out, "  replay with: lumodash replay TRANSCRIPT · report with: lumodash export TRANSCRIPT")
	}
}
