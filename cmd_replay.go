package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui"
	"github.com/spf13/cobra"
)

// tuiFlags are the dashboard's display flags, shared by the TUI and replay.
type tuiFlags struct {
	theme   string
	noColor bool
	flat    bool
}

func (t *tuiFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.StringVar(&t.theme, "theme", "", "colour theme: auto (follow the terminal), dark, light, high-contrast, no-color (default: config file theme, else auto)")
	f.BoolVar(&t.noColor, "no-color", false, "draw without colours (also when NO_COLOR is set)")
	f.BoolVar(&t.flat, "flat", false, "flat layout for screen readers: no borders, no block glyphs, text labels")
}

// options fills the display part of ui.Options from the flags and the configuration file.
func (t *tuiFlags) options(fc *fileConfig) (ui.Options, error) {
	theme := t.theme
	if theme == "" {
		theme = fc.Theme
	}
	if _, err := themes.Lookup(theme); err != nil {
		return ui.Options{}, withCode(exitConfig, err)
	}
	return ui.Options{Theme: theme, NoColor: t.noColor || os.Getenv("NO_COLOR") != "", Flat: t.flat,
		WarnPercent: fc.WarnPercent, SuggestedPrompt: ui.DefaultSuggestedPrompt}, nil
}

func init() {
	subcommands = append(subcommands, newReplayCmd)
}

func newReplayCmd(g *globalFlags) *cobra.Command {
	tf := &tuiFlags{}
	var speed float64
	c := &cobra.Command{
		Use:   "replay TRANSCRIPT",
		Short: "Play a recorded session transcript (JSONL) in the dashboard",
		Long: "Play a recorded session transcript in the same dashboard the live session uses.\n" +
			"--speed 1 keeps the recorded pacing (gaps over 1.5 s are shortened), 2 plays twice as fast, 0 shows everything at once.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if speed < 0 {
				return withCode(exitConfig, fmt.Errorf("--speed must be 0 (instant) or positive, got %v", speed))
			}
			fc, err := loadFileConfig(g.configPath)
			if err != nil {
				return err
			}
			events, err := session.ReadTranscript(args[0])
			if err != nil {
				return withCode(exitConfig, err)
			}
			if len(events) == 0 {
				return withCode(exitConfig, fmt.Errorf("transcript %s has no events", args[0]))
			}
			opts, err := tf.options(fc)
			if err != nil {
				return err
			}
			opts.Replay, opts.ReplaySpeed = events, speed
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			return ui.Run(ctx, opts)
		},
	}
	tf.register(c)
	c.Flags().Float64Var(&speed, "speed", 1, "replay speed: 1 = as recorded, 2 = twice as fast, 0 = all at once")
	return c
}
