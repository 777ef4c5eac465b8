package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
)

func newExportCmd() *cobra.Command {
	var format, output string
	cmd := &cobra.Command{
		Use:   "export TRANSCRIPT",
		Short: "Turn a session transcript into a Markdown report or a JSON summary",
		Long: "export reads a session transcript (JSONL, see run --transcript) and writes a report: the agent,\n" +
			"the parts, each prompt and answer, every tool call with its capability checks, token exchanges\n" +
			"and MCP calls, and usage and cost. --format md (default) is for people; --format json is a\n" +
			"summary object for programs; --format events is the transcript's events as one JSON array.",
		Example: "  lumodash export ~/.local/state/lumodash/sessions/20260101T120000Z-s-1a2b3c4d5e6f.jsonl > session.md",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if output != "" && output != "-" {
				f, err := os.OpenFile(output, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
				if err != nil {
					return withCode(ExitConfig, fmt.Errorf("--output: %w", err))
				}
				defer f.Close()
				out = f
			}
			return exportTranscript(args[0], format, out, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md (Markdown report), json (summary object) or events (JSON array of the events)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (mode 0600) instead of stdout")
	return cmd
}

func exportTranscript(path, format string, out, stderr io.Writer) error {
	if format != "md" && format != "json" && format != "events" {
		return withCode(ExitConfig, fmt.Errorf("--format must be md, json or events, not %q", format))
	}
	events, err := session.ReadTranscript(path)
	truncated := errors.Is(err, session.ErrTruncated)
	if err != nil && !truncated {
		return withCode(ExitConfig, err)
	}
	if truncated {
		fmt.Fprintln(stderr, "note:", err)
	}
	if len(events) == 0 {
		return withCode(ExitConfig, fmt.Errorf("transcript %s has no events", path))
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	switch format {
	case "events":
		return enc.Encode(events)
	case "json":
		s := session.Summarize(events)
		s.Truncated = truncated
		return enc.Encode(s)
	}
	s := session.Summarize(events)
	s.Truncated = truncated
	_, err = io.WriteString(out, present.Markdown(s))
	return err
}
