package ui

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui/dialog"
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

// Attach makes send (the program's Send; ui.Run attaches it) the recipient of questions.
func (e *Escalation) Attach(send func(tea.Msg)) {
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
	reply  chan jitAnswer
}

// jitAnswer is the operator's answer: yes or no, and when reviewing the grant length chosen.
type jitAnswer struct {
	ok    bool
	grant time.Duration
}

// ask delivers the question and waits for the answer or ctx.
func (e *Escalation) ask(ctx context.Context, q tools.JITQuestion, review bool) (jitAnswer, error) {
	select {
	case <-e.ready:
	case <-ctx.Done():
		return jitAnswer{}, ctx.Err()
	}
	e.mu.Lock()
	send := e.send
	e.mu.Unlock()
	reply := make(chan jitAnswer, 1)
	// Program.Send blocks until the event loop takes the message (or the program ends).
	go send(jitAskMsg{q: q, review: review, reply: reply})
	select {
	case a := <-reply:
		return a, nil
	case <-ctx.Done():
		return jitAnswer{}, ctx.Err()
	}
}

// Confirm implements tools.Escalation (--jit ask).
func (e *Escalation) Confirm(ctx context.Context, q tools.JITQuestion) (bool, error) {
	a, err := e.ask(ctx, q, false)
	return a.ok, err
}

// Review implements tools.Escalation: the operator approves (for the grant length chosen in
// the dialog) or denies on the embedded server.
func (e *Escalation) Review(ctx context.Context, q tools.JITQuestion) (tools.JITDecision, error) {
	a, err := e.ask(ctx, q, true)
	if err != nil {
		return tools.JITDecision{}, err
	}
	if !a.ok {
		return tools.JITDecision{Notes: "denied by the operator in lumodash"}, nil
	}
	return tools.JITDecision{Approve: true, TTL: a.grant, Notes: "approved by the operator in lumodash for " + numfmt.Duration(a.grant)}, nil
}

var _ tools.Escalation = (*Escalation)(nil)

// approvalShowMsg opens the approval dialog for an approval an agent of this dashboard asked for.
type approvalShowMsg struct{ item dialog.PendingItem }

// ShowApproval puts an approval in front of the operator in the approval dialog (the app's
// approval_required calls); it does not wait: the caller polls the approval's status.
func (e *Escalation) ShowApproval(item dialog.PendingItem) {
	select {
	case <-e.ready:
	default:
		return // no program yet: the waiting list (p) still shows it
	}
	e.mu.Lock()
	send := e.send
	e.mu.Unlock()
	go send(approvalShowMsg{item: item})
}
