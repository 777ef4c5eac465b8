package ui

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// RunCompare shows compare mode until the user quits or ctx ends: each side's bus events and
// JIT questions reach its own dashboard.
func RunCompare(ctx context.Context, sides [2]Options) error {
	c, err := NewCompare(ctx, sides)
	if err != nil {
		return err
	}
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if sides[0].NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	p := tea.NewProgram(c, popts...)
	for i, opts := range sides {
		send := func(msg tea.Msg) { p.Send(sideMsg{side: i, msg: msg}) }
		if opts.Escalation != nil {
			opts.Escalation.attach(send)
		}
		if opts.Bus != nil {
			q := newQueue(send)
			unsubscribe := opts.Bus.Subscribe(q)
			defer func() {
				unsubscribe()
				q.stop()
			}()
		}
	}
	_, runErr := p.Run()
	var closeErrs []error
	for _, m := range c.sides {
		if m.cancelTurn != nil {
			m.cancelTurn()
		}
		if m.runner != nil {
			if err := m.runner.Close(); err != nil {
				closeErrs = append(closeErrs, fmt.Errorf("closing %s's session: %w", m.agent, err))
			}
		}
	}
	if runErr != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if runErr != nil {
		return runErr
	}
	return errors.Join(closeErrs...)
}
