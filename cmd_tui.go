package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"

	"github.com/charmbracelet/x/term"

	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui"
	"github.com/spf13/cobra"
)

func init() {
	tf := &tuiFlags{}
	sf := &sessionFlags{}
	rootHooks = append(rootHooks, func(root *cobra.Command, g *globalFlags) {
		tf.register(root)
		sf.register(root)
	})
	runDefault = func(cmd *cobra.Command, g *globalFlags, args []string) error {
		return runTUI(commandContext(cmd), g, tf, sf)
	}
}

// runTUI opens the world (embedded or real parts) and shows the dashboard on it.
func runTUI(parent context.Context, g *globalFlags, tf *tuiFlags, sf *sessionFlags) error {
	if !term.IsTerminal(os.Stdout.Fd()) { // else Bubble Tea draws escape codes into a pipe or fails on /dev/tty
		return withCode(exitConfig, errors.New("the dashboard needs a terminal, but standard output is not one; for a pipe or a file use: lumodash run --plain|--json PROMPT"))
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt)
	defer stop()
	fc, err := loadFileConfig(g.configPath)
	if err != nil {
		return err
	}
	opts, err := tf.options(fc)
	if err != nil {
		return err
	}
	w, err := openWorld(ctx, g, sf)
	if err != nil {
		return err
	}
	defer w.Close()
	opts.Bus = w.Bus
	opts.Agent = g.agent
	if w.Auth.Embedded && w.Auth.Dev != nil {
		opts.Agents = w.Auth.Dev.AgentNames()
	}
	opts.MaxTokens, opts.MaxCost = sf.maxTokens, sf.maxCost
	if sf.jit.mode != tools.JITModeOff {
		esc := ui.NewEscalation("the seeded operator")
		opts.Escalation, w.Escalation = esc, esc
	}
	var (
		mu          sync.Mutex
		transcripts []string // one per agent the dashboard ran as
	)
	opts.NewRunner = func(agent string) (ui.Runner, error) {
		r, err := w.NewRunner(agent)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		transcripts = append(transcripts, r.TranscriptPath())
		mu.Unlock()
		return r, nil
	}
	err = ui.Run(ctx, opts)
	mu.Lock()
	printTranscripts(os.Stderr, transcripts)
	mu.Unlock()
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
