package ui

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/tools"
)

// Escalation is the dashboard's side of a JIT request (tools.Escalation): the runner's
// goroutine hands the question to the program on a must-deliver path and blocks on a reply
// channel until the operator answers in a dialog or the request's context ends.
type Escalation struct {
	// Reviewer names who decides pending requests in the review dialog (embedded operator).
	Reviewer string

	mu    sync.Mutex
	send  func(tea.Msg)
	ready chan struct{}
}

// NewEscalation returns an Escalation; Run attaches it to the program.
func NewEscalation(reviewer string) *Escalation {
	return &Escalation{Reviewer: reviewer, ready: make(chan struct{})}
}

// attach makes the program the recipient of questions.
func (e *Escalation) attach(send func(tea.Msg)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.send == nil {
		e.send = send
		close(e.ready)
	}
}

// jitAskMsg carries a JIT question to the root model; reply has room for one answer.
type jitAskMsg struct {
	q      tools.JITQuestion
	review bool
	reply  chan bool
}

// ask delivers the question and waits for the answer or ctx.
func (e *Escalation) ask(ctx context.Context, q tools.JITQuestion, review bool) (bool, error) {
	select {
	case <-e.ready:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	e.mu.Lock()
	send := e.send
	e.mu.Unlock()
	reply := make(chan bool, 1)
	// Program.Send blocks until the event loop takes the message (or the program ends).
	go send(jitAskMsg{q: q, review: review, reply: reply})
	select {
	case ok := <-reply:
		return ok, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// Confirm implements tools.Escalation (--jit ask).
func (e *Escalation) Confirm(ctx context.Context, q tools.JITQuestion) (bool, error) {
	return e.ask(ctx, q, false)
}

// Review implements tools.Escalation: the operator approves or denies on the embedded server.
func (e *Escalation) Review(ctx context.Context, q tools.JITQuestion) (tools.JITDecision, error) {
	ok, err := e.ask(ctx, q, true)
	if err != nil {
		return tools.JITDecision{}, err
	}
	notes := "denied by the operator in lumodash"
	if ok {
		notes = "approved by the operator in lumodash"
	}
	return tools.JITDecision{Approve: ok, Notes: notes}, nil
}

var _ tools.Escalation = (*Escalation)(nil)
