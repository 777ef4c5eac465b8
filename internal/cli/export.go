package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/privatefile"
	"github.com/lumodash/lumodash/session"
)

func newExportCmd(s *app.Settings) *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "export TRANSCRIPT",
		Short: "Turn a session transcript into a Markdown report or a JSON summary, or send it to a collector",
		Long: "export reads a session transcript (JSONL, see run --transcript) and writes a report: the agent,\n" +
			"the parts, each prompt and answer, every tool call with its capability checks, token exchanges\n" +
			"and MCP calls, and usage and cost. --format md (default) is for people; --format json is a\n" +
			"summary object for programs (indented on a terminal, compact otherwise); --format events is\n" +
			"the transcript's events as one JSON array, one event per line;\n" +
			"--format otlp sends the session to an OpenTelemetry Collector as traces (--otel-endpoint or\n" +
			"OTEL_EXPORTER_OTLP_ENDPOINT), with the times it was recorded at.",
		Example: "  lumodash export ~/.local/state/lumodash/sessions/20260101T120000Z-s-1a2b3c4d5e6f.jsonl > session.md\n" +
			"  lumodash export --format otlp --otel-endpoint http://localhost:4317 TRANSCRIPT",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == formatOTLP {
				return exportOTLP(cmd, *s, args[0], output)
			}
			out := cmd.OutOrStdout()
			if output != "" && output != "-" {
				f, err := privatefile.Create(output)
				if err != nil {
					return withCode(ExitConfig, fmt.Errorf("--output: %w", err))
				}
				defer f.Close()
				out = f
			}
			return exportTranscript(args[0], format, out, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md (Markdown report), json (summary object), events (JSON array of the events) or otlp (traces to an OpenTelemetry Collector)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of stdout: mode 0600 (also when it exists), never through a symbolic link")
	registerOTelFlags(cmd, &s.Telemetry)
	return cmd
}

// exportTranscript streams the transcript: each event is read, folded into the summary
// (or written, for --format events) and dropped, so that export runs in the memory of its
// report, not of the transcript. A transcript cut short (a crash) is exported up to the
// cut, with a note; any other bad line stops the export with its line number.
func exportTranscript(path, format string, out, stderr io.Writer) error {
	if format != "md" && format != "json" && format != "events" {
		return withCode(ExitConfig, fmt.Errorf("--format must be md, json, events or otlp, not %q", format))
	}
	r, err := session.OpenTranscript(path)
	if err != nil {
		return withCode(ExitConfig, err)
	}
	defer r.Close()
	var z session.Summarizer
	var arr *eventArray
	if format == "events" {
		arr = &eventArray{w: bufio.NewWriterSize(out, 64<<10)}
	}
	truncated := false
	for e, err := range r.All() {
		if errors.Is(err, session.ErrTruncated) {
			truncated = true
			fmt.Fprintln(stderr, "note:", err)
			break
		}
		if err != nil {
			return withCode(ExitConfig, err)
		}
		if arr == nil {
			z.Add(e) // Markdown cleans what the summary keeps
		} else if err := arr.add(e, r.Verbatim()); err != nil {
			return err
		}
	}
	if r.Count() == 0 {
		return withCode(ExitConfig, fmt.Errorf("transcript %s has no events", path))
	}
	if arr != nil {
		return arr.close()
	}
	s := z.Summary()
	s.Truncated = truncated
	if format == "json" {
		enc := json.NewEncoder(out)
		if isTerminal(out) { // for reading; a program (or jq) gets it compact, a third of the time to write
			enc.SetIndent("", "  ")
		}
		return enc.Encode(s)
	}
	_, err = io.WriteString(out, present.Markdown(s))
	return err
}

// eventArray writes events one by one as a JSON array, one event per line: the
// transcript's line where it can stand for the event (most do, and copying is far cheaper
// than encoding), the event encoded where reading redacted it or the line could hide
// something redaction takes out.
type eventArray struct {
	w *bufio.Writer
	n int
}

func (a *eventArray) add(e session.Event, line []byte) error {
	if line == nil {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		line = b
	}
	sep := ",\n"
	if a.n == 0 {
		sep = "[\n"
	}
	a.n++
	a.w.WriteString(sep)
	_, err := a.w.Write(line)
	return err
}

func (a *eventArray) close() error {
	a.w.WriteString("\n]\n")
	return a.w.Flush()
}
