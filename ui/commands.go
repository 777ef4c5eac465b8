package ui

import (
	"context"

	tea "charm.land/bubbletea/v2"
)

// startRunner authenticates as agent in a command (network I/O stays out of Update).
func startRunner(base context.Context, newRunner func(string) (Runner, error), gen int, agent string) tea.Cmd {
	return func() tea.Msg {
		r, err := newRunner(agent)
		if err != nil {
			return runnerReadyMsg{gen: gen, agent: agent, err: err}
		}
		if err := r.Start(base); err != nil {
			_ = r.Close()
			return runnerReadyMsg{gen: gen, agent: agent, err: err}
		}
		return runnerReadyMsg{gen: gen, agent: agent, runner: r}
	}
}

// ask runs one request; the runner reports progress as events.
func ask(ctx context.Context, r Runner, gen int, prompt string) tea.Cmd {
	return func() tea.Msg {
		return turnDoneMsg{gen: gen, outcome: r.Ask(ctx, prompt)}
	}
}

// closeRunner closes a runner that is no longer shown.
func closeRunner(r Runner) tea.Cmd {
	if r == nil {
		return nil
	}
	return func() tea.Msg {
		_ = r.Close()
		return nil
	}
}

// status is the short word shown in the header.
func (m *Model) status() string {
	switch {
	case m.replay != nil:
		return m.replay.status()
	case m.cancelling:
		return "cancelling… (ctrl+c again quits)"
	case m.connecting:
		return "connecting…"
	case m.running:
		return "running…"
	case m.runner == nil && m.opts.NewRunner != nil:
		return "not connected (a: choose agent)"
	}
	return "idle"
}
