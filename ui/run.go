package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/lumodash/lumodash/session"
)

// Run shows the dashboard until the user quits or ctx ends.
func Run(ctx context.Context, opts Options) error {
	m, err := New(ctx, opts)
	if err != nil {
		return err
	}
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opts.NoColor {
		popts = append(popts, tea.WithColorProfile(colorprofile.Ascii))
	}
	p := tea.NewProgram(m, popts...)
	if opts.Escalation != nil {
		opts.Escalation.attach(p.Send)
	}
	if opts.Elicitor != nil {
		opts.Elicitor.attach(p.Send)
	}
	if opts.Bus != nil {
		q := newQueue(p.Send)
		unsubscribe := opts.Bus.Subscribe(q)
		defer func() {
			unsubscribe()
			q.stop()
		}()
	}
	_, runErr := p.Run()
	if m.cancelTurn != nil {
		m.cancelTurn()
	}
	if m.runner != nil {
		if err := m.runner.Close(); err != nil && runErr == nil {
			runErr = fmt.Errorf("closing the session: %w", err)
		}
	}
	if runErr != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if runErr == nil {
		runErr = m.ReplayErr()
	}
	return runErr
}

// queue is the Bus subscriber: it never blocks the emitter and never drops an event. Events
// are appended under a lock and a pump goroutine hands them to the program in batches, in
// order, at most one batch per frame: a streamed answer's chunks arriving within a frame
// reach Update together and cost one frame, not one each.
type queue struct {
	mu      sync.Mutex
	pending []session.Event
	wake    chan struct{}
	done    chan struct{}
	send    func(tea.Msg)
}

func newQueue(send func(tea.Msg)) *queue {
	q := &queue{wake: make(chan struct{}, 1), done: make(chan struct{}), send: send}
	go q.pump()
	return q
}

// Emit implements session.Sink.
func (q *queue) Emit(e session.Event) {
	q.mu.Lock()
	q.pending = append(q.pending, e)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// frameInterval is the shortest time between two batches: the frame rate (60 a second).
const frameInterval = time.Second / 60

func (q *queue) pump() {
	var last time.Time
	frame := time.NewTimer(0)
	defer frame.Stop()
	for {
		select {
		case <-q.done:
			return
		case <-q.wake:
		}
		if wait := frameInterval - time.Since(last); wait > 0 { // the frame since the last batch is not over: gather until it is
			frame.Reset(wait)
			select {
			case <-q.done:
				return
			case <-frame.C:
			}
		}
		last = time.Now()
		q.mu.Lock()
		batch := q.pending
		q.pending = nil
		q.mu.Unlock()
		if len(batch) > 0 {
			q.send(eventsMsg(batch))
		}
	}
}

func (q *queue) stop() { close(q.done) }
