package session

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/openai/openai-go/v3"

	"github.com/lumodash/lumodash/tools"
)

// Runner runs one analyst session: requests (model turns and tool calls) against one
// agent, keeping the message history so the analyst can keep asking. Ask calls are
// serialised; every step is reported as an Event on the Bus and in the transcript.
type Runner struct {
	cfg         Config
	id          string
	agent       AgentRef
	client      openai.Client
	toolParams  []openai.ChatCompletionToolUnionParam
	gate        *tools.Gate
	jit         *tools.JIT // nil when escalation is off
	prices      PriceTable
	transcript  *TranscriptWriter
	unsubscribe func()

	mu         sync.Mutex // serialises Start, Ask and Close
	started    bool
	closed     bool
	history    []histMsg
	reqSeq     int   // requests asked so far (histMsg.req of the current one)
	usage      Usage // session totals
	cost       Cost
	unreported int64 // tokens the server could not be told about (counted against its budget locally)
	warned     map[string]bool
	lastBudget budgetShown // what the last budget.update said, so an unchanged budget is not repeated
	last       Outcome
	stopReason string // why the budget guard stopped the session

	toolsJSONLen  int        // size of the tool definitions sent with every call
	maxCompletion int64      // largest answer so far, for the budget projection
	projected     projection // the guard's projection of the model call under way

	window          contextWindow
	windowResolved  bool    // the server was asked for the window (after the first response)
	calibration     float64 // server tokens per estimated token, from the usage servers report
	lastTrim        trim    // what the last request left out, so an unchanged trim is not repeated
	noStreamOptions bool    // the server rejects stream_options: ask without it for the rest of the session
}

// StartError is returned by Start when the session cannot begin; Outcome says why.
type StartError struct {
	Outcome Outcome
	Err     error
}

func (e *StartError) Error() string { return e.Err.Error() }
func (e *StartError) Unwrap() error { return e.Err }

// ID is the session id stamped on its events.
func (r *Runner) ID() string { return r.id }

// TranscriptPath is where the session's JSONL transcript is written.
func (r *Runner) TranscriptPath() string { return r.transcript.Path() }

// Gate is the gate tool calls go through (e.g. to set its JITAdvisor).
func (r *Runner) Gate() *tools.Gate { return r.gate }

// Usage returns the session's token usage and cost so far.
func (r *Runner) Usage() (Usage, Cost) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.usage, r.cost
}

func (r *Runner) emit(e Event) {
	e.Session = r.id
	r.cfg.Bus.Emit(e)
}

// Start begins the session: session.start, authentication, agent info, and the budget
// check the seed makes before a run. It is called by the first Ask when not called before.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.start(ctx)
}

func (r *Runner) start(ctx context.Context) error {
	if r.closed {
		return &StartError{OutcomeError, errors.New("session: the session is closed")}
	}
	if r.started {
		return nil
	}
	r.started = true
	r.cfg.Bus.SetSession(r.id)
	agent := r.agent
	r.emit(Event{Kind: KindSessionStart, Agent: &agent, Model: r.cfg.Model.Name, Parts: r.cfg.Parts, Text: r.cfg.Instructions,
		Capabilities: r.cfg.Tools.Capabilities(), Tools: r.toolList()})
	fail := func(o Outcome, what string, err error) error {
		if ctx.Err() != nil {
			o, err = OutcomeCancelled, ctx.Err()
		}
		err = fmt.Errorf("%s: %w", what, err)
		r.emit(Event{Kind: KindError, Outcome: o, Err: errorInfo(err)})
		r.last = o
		return &StartError{o, err}
	}
	if _, err := r.cfg.Agent.Authenticate(ctx); err != nil {
		return fail(OutcomeAuthError, "authenticating the agent", err)
	}
	info, err := r.cfg.Agent.Info(ctx)
	if err != nil {
		return fail(OutcomeAuthError, "reading the agent's capabilities and budget", err)
	}
	r.agent.Name, r.agent.ID = cmp.Or(info.Name, r.agent.Name), info.AgentID
	r.agent.Organization = cmp.Or(info.Organization, r.agent.Organization)
	if o, stop := r.guard(ctx, projection{}); stop {
		r.last = o
		return &StartError{o, errors.New(r.stopReason)}
	}
	r.window = r.initialWindow()
	return nil
}

// Ask runs one request: model turns and the tool calls they ask for, until the model
// answers, a limit or the budget stops it, or ctx is cancelled. It blocks and reports
// everything as events; request.finish carries the outcome and the answer.
func (r *Runner) Ask(ctx context.Context, prompt string) Outcome {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.start(ctx); err != nil {
		var oe *StartError
		errors.As(err, &oe)
		r.emit(Event{Kind: KindRequestFinish, Outcome: oe.Outcome, Err: errorInfo(err), SessionUse: ptr(r.usage), SessionCost: ptr(r.cost)})
		return oe.Outcome
	}
	r.emit(Event{Kind: KindPrompt, Text: prompt})
	mark := len(r.history)
	r.reqSeq++
	prm := newHistMsg(openai.UserMessage(prompt), r.reqSeq, msgPrompt)
	prm.text = prompt
	r.history = append(r.history, prm)
	req := &request{}
	outcome := r.loop(ctx, req)
	// A failed request leaves nothing for later requests to trip on, and neither does one
	// that got no message past its prompt (two user messages in a row break some templates).
	if keepsNoHistory(outcome) || len(r.history) == mark+1 {
		r.history = r.history[:mark]
	}
	switch {
	case outcome == OutcomeOK && req.denied:
		outcome = OutcomeDenied
	case outcome == OutcomeOK && req.failed:
		outcome = OutcomeToolFailed
	}
	r.last = outcome
	fin := Event{Kind: KindRequestFinish, Outcome: outcome, Text: req.answer, Usage: ptr(req.usage), Cost: ptr(req.cost),
		SessionUse: ptr(r.usage), SessionCost: ptr(r.cost), Err: errorInfo(req.err)}
	if outcome == OutcomeCancelled {
		fin.Text = "cancelled: the request was stopped before the analyst finished"
	}
	r.emit(fin)
	return outcome
}

// Close ends the session: session.finish with the totals, then the transcript is closed.
func (r *Runner) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	outcome := r.last
	if outcome == "" {
		outcome = OutcomeOK
	}
	r.completeJIT()
	agent := r.agent
	r.emit(Event{Kind: KindSessionFinish, Agent: &agent, Model: r.cfg.Model.Name, Outcome: outcome, SessionUse: ptr(r.usage), SessionCost: ptr(r.cost)})
	r.unsubscribe()
	if r.cfg.OnClose != nil {
		r.cfg.OnClose()
	}
	return r.transcript.Close()
}

func ptr[T any](v T) *T { return &v }

// toolList is what session.start says of the tools offered.
func (r *Runner) toolList() []tools.Listing {
	if r.cfg.ToolList != nil {
		return r.cfg.ToolList
	}
	return tools.List(r.cfg.Tools, nil)
}
