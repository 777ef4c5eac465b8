package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/safetext"
)

const formatOTLP = "otlp"

// exportOTLP is export --format otlp: the transcript's session, sent to the collector as
// traces; it says how many spans the collector took, and where.
func exportOTLP(cmd *cobra.Command, s app.Settings, path, output string) error {
	if output != "" {
		return withCode(ExitConfig, errors.New("--output does not go with --format otlp: the session is sent to the collector (--otel-endpoint), not written to a file"))
	}
	events, _, err := readTranscriptToExport(path, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	st, err := app.ExportTranscript(cmd.Context(), s, events)
	if err != nil {
		return worldError(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "sent %d spans of session %s to the collector at %s\n",
		st.Exported, safetext.Line(events[0].Session), st.Collector)
	return nil
}
