package cli

import (
	"fmt"
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
			events, err := session.ReadTranscript(args[0])
			if err != nil {
				return withCode(ExitConfig, err)
			}
			if len(events) == 0 {
				return withCode(ExitConfig, fmt.Errorf("transcript %s has no events", args[0]))
			}
			opts, err := cfg.Display(display(d, stdio))
			if err != nil {
				return worldError(err)
			}
			opts.Replay, opts.ReplaySpeed = events, speed
			ctx, stop := signal.NotifyContext(cmd.Context(), stopSignals...)
			defer stop()
			return ui.Run(ctx, opts)
		},
	}
	registerDisplayFlags(c, &d)
	c.Flags().Float64Var(&speed, "speed", 1, "replay speed: 1 = as recorded, 2 = twice as fast, 0 = all at once")
	return c
}
