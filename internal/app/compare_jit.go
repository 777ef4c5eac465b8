package app

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
)

// CompareEscalations share one terminal's escalation between compare mode's two sessions:
// one question at a time (the answers are lines of one stdin), each introduced by the agent
// it is for. nil stays nil (nobody to ask).
func CompareEscalations(esc tools.Escalation, agents [2]string, out io.Writer) [2]tools.Escalation {
	var sides [2]tools.Escalation
	if esc == nil {
		return sides
	}
	mu := &sync.Mutex{}
	for i, agent := range agents {
		sides[i] = &agentEscalation{next: esc, agent: agent, out: out, mu: mu}
	}
	return sides
}

type agentEscalation struct {
	next  tools.Escalation
	agent string
	out   io.Writer
	mu    *sync.Mutex // shared by both sides
}

// lock waits for the other side's question to be answered, or for ctx.
func (a *agentEscalation) lock(ctx context.Context) error {
	got := make(chan struct{})
	go func() { a.mu.Lock(); close(got) }()
	select {
	case <-got:
		fmt.Fprintf(a.out, "JIT     for %s:\n", safetext.Line(a.agent))
		return nil
	case <-ctx.Done():
		go func() { <-got; a.mu.Unlock() }() // the lock, once taken, is handed back
		return ctx.Err()
	}
}

// Confirm implements tools.Escalation.
func (a *agentEscalation) Confirm(ctx context.Context, q tools.JITQuestion) (bool, error) {
	if err := a.lock(ctx); err != nil {
		return false, err
	}
	defer a.mu.Unlock()
	return a.next.Confirm(ctx, q)
}

// Review implements tools.Escalation.
func (a *agentEscalation) Review(ctx context.Context, q tools.JITQuestion) (tools.JITDecision, error) {
	if err := a.lock(ctx); err != nil {
		return tools.JITDecision{}, err
	}
	defer a.mu.Unlock()
	return a.next.Review(ctx, q)
}
