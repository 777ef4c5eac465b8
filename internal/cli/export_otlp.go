package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

const formatOTLP = "otlp"

// exportOTLP is export --format otlp: the transcript's session, sent to the collector as
// traces while it is read (memory is the spans still open, not the transcript); it says how
// many spans the collector took, and where. A transcript cut short is sent up to the cut,
// with a note; a bad line later in the file stops the export there, exit 2, saying what was
// sent before it.
func exportOTLP(cmd *cobra.Command, s app.Settings, path, output string) error {
	if output != "" {
		return withCode(ExitConfig, errors.New("--output does not go with --format otlp: the session is sent to the collector (--otel-endpoint), not written to a file"))
	}
	r, err := session.OpenTranscript(path)
	if err != nil {
		return withCode(ExitConfig, err)
	}
	defer r.Close()
	first, err := r.Next() // a file that is no transcript fails before any connection
	if errors.Is(err, io.EOF) {
		return withCode(ExitConfig, fmt.Errorf("transcript %s has no events", path))
	}
	if err != nil {
		return withCode(ExitConfig, err)
	}
	var readErr error
	events := func(yield func(session.Event) bool) {
		if !yield(first) {
			return
		}
		for e, err := range r.All() {
			if errors.Is(err, session.ErrTruncated) {
				fmt.Fprintln(cmd.ErrOrStderr(), "note:", err)
				return
			}
			if err != nil {
				readErr = err
				return
			}
			if !yield(e) {
				return
			}
		}
	}
	st, err := app.ExportTranscript(cmd.Context(), s, events)
	if readErr != nil {
		return withCode(ExitConfig, fmt.Errorf("%w: the export stopped there, after %d spans reached the collector at %s", readErr, st.Exported, st.Collector))
	}
	if err != nil {
		return worldError(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "sent %d spans of session %s to the collector at %s\n",
		st.Exported, safetext.Line(first.Session), st.Collector)
	return nil
}
