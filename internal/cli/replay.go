package cli

import (
	"errors"
	"fmt"
	"io"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui"
)

func newReplayCmd(s *app.Settings, stdio IO) *cobra.Command {
	var d app.DisplaySettings
	var speed float64
	c := &cobra.Command{
		Use:   "replay TRANSCRIPT",
		Short: "Play a recorded session transcript (JSONL) in the dashboard",
		Long: "Play a recorded session transcript in the same dashboard the live session uses.\n" +
			"--speed 1 keeps the recorded pacing (gaps over 1.5 s are shortened), 2 plays twice as fast, 0 shows everything at once.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if speed < 0 {
				return withCode(ExitConfig, fmt.Errorf("--speed must be 0 (instant) or positive, got %v", speed))
			}
			cfg, err := app.LoadConfig(*s)
			if err != nil {
				return worldError(err)
			}
			src, err := openReplay(args[0])
			if err != nil {
				return withCode(ExitConfig, err)
			}
			defer src.Close()
			opts, err := cfg.Display(display(d, stdio))
			if err != nil {
				return worldError(err)
			}
			opts.ReplayFrom, opts.ReplaySpeed = src, speed
			ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
			defer stop()
			err = ui.Run(ctx, opts)
			if re := (*ui.ReplayError)(nil); errors.As(err, &re) {
				return withCode(ExitConfig, re.Err) // shown on screen too, up to the bad line
			}
			return err
		},
	}
	registerDisplayFlags(c, &d)
	c.Flags().Float64Var(&speed, "speed", 1, "replay speed: 1 = as recorded, 2 = twice as fast, 0 = all at once")
	return c
}

// replaySource streams a transcript into the dashboard; its first event is read before the
// dashboard starts, so that a file that is no transcript at all fails at once.
type replaySource struct {
	*session.TranscriptReader
	first *session.Event
}

func openReplay(path string) (*replaySource, error) {
	r, err := session.OpenTranscript(path)
	if err != nil {
		return nil, err
	}
	e, err := r.Next()
	if err != nil {
		r.Close()
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("transcript %s has no events", path)
		}
		return nil, err
	}
	return &replaySource{TranscriptReader: r, first: &e}, nil
}

// Next implements ui.ReplaySource.
func (s *replaySource) Next() (session.Event, error) {
	if e := s.first; e != nil {
		s.first = nil
		return *e, nil
	}
	return s.TranscriptReader.Next()
}
