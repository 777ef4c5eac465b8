package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/safetext"
)

// Status is how a gated call ended. The values are stable: they are the status of the
// tool.result events in transcripts.
type Status string

// Outcome statuses.
const (
	StatusOK     Status = "ok"
	StatusDenied Status = "denied" // the agent lacks the capability (also after a refused JIT request)
	StatusFailed Status = "failed" // the check, exchange or call broke, or the arguments were bad
)

// Outcome is how one gated call ended. Text is what the model sees: on denial or failure a
// plain sentence naming the missing capability, the OAuth error or the bad argument.
type Outcome struct {
	Status   Status
	Text     string
	Count    int
	Duration time.Duration
	Err      error // *GateError when Status is not ok
}

// Gate stages, for GateError.Stage.
const (
	StageCheck    = "check"    // the capability check (denied, or info could not be fetched)
	StageArgs     = "args"     // the arguments do not match the tool's schema
	StageExchange = "exchange" // the token exchange failed
	StageCall     = "call"     // the tool itself failed
)

// GateError says at which stage a gated call stopped and why.
type GateError struct {
	Stage string
	Tool  string
	Err   error
}

func (e *GateError) Error() string { return fmt.Sprintf("%s: %s: %v", e.Tool, e.Stage, e.Err) }
func (e *GateError) Unwrap() error { return e.Err }

// ErrDenied is wrapped by the GateError of a denied call.
var ErrDenied = errors.New("capability not held")

// Gate runs tool calls: capability check → token exchange (when the tool needs an
// audience) → call, reporting each step. Safe for concurrent use once configured.
type Gate struct {
	agent  *auth.Agent
	report func(Step)
	now    func() time.Time

	// JITAdvisor, when set, says whether capability can be requested just in time for
	// this agent (the session layer knows the JIT policy). A denial then says so.
	JITAdvisor func(ctx context.Context, capability string) bool

	// JIT, when set (and not in mode off), turns a denied capability the server lets the
	// agent request into a just-in-time request instead of a denial (gate_jit.go).
	JIT *JIT
}

// NewGate returns a Gate for agent; report receives every step (nil = none).
func NewGate(agent *auth.Agent, report func(Step)) *Gate {
	if report == nil {
		report = func(Step) {}
	}
	return &Gate{agent: agent, report: report, now: time.Now}
}

// Call runs t with args through the gate. It never panics and never returns a Go error
// dump to the model: the Outcome's Text is always a message meant for it.
func (g *Gate) Call(ctx context.Context, t Tool, callID string, args json.RawMessage) (out Outcome) {
	ctx = WithCallID(ctx, callID)
	start := g.now()
	name := "unknown"
	defer func() {
		if p := recover(); p != nil {
			err := fmt.Errorf("panic: %v", p)
			out = g.finish(name, callID, start, StatusFailed, "Error: the tool "+name+" crashed; it cannot be used right now.", 0, &GateError{Stage: StageCall, Tool: name, Err: err})
		}
	}()
	if t == nil {
		return g.finish(name, callID, start, StatusFailed, "Error: no such tool.", 0, &GateError{Stage: StageCall, Tool: name, Err: errors.New("nil tool")})
	}
	name = t.Name()

	denied, viaJIT, ok := g.check(ctx, t, callID, args, start)
	if !ok {
		return denied
	}
	if err := ValidateArgs(t.Parameters(), args); err != nil {
		return g.finish(name, callID, start, StatusFailed, "Error: "+safetext.Line(err.Error())+".", 0, &GateError{Stage: StageArgs, Tool: name, Err: err})
	}
	var cred *auth.Credential
	if aud := t.Audience(); aud != "" {
		c, err := g.exchange(ctx, t.Capability(), aud, viaJIT)
		step := Step{Kind: StepExchange, Tool: name, CallID: callID, Audience: aud, Err: err}
		if err == nil {
			sum := c.Summary
			step.Credential, step.Cached = &sum, c.Cached
		} else {
			step.Reason = oauthReason(err)
			step.JITAvailable = g.jitAvailable(ctx, t.Capability(), err)
		}
		g.report(step)
		if err != nil {
			text := "Error: Failed to obtain a token for " + aud + ": " + step.Reason + "."
			if step.JITAvailable {
				text += jitHint(t.Capability())
			}
			return g.finish(name, callID, start, StatusFailed, text, 0, &GateError{Stage: StageExchange, Tool: name, Err: err})
		}
		cred = c
	}

	res, err := t.Call(ctx, args, cred)
	g.reportMCP(name, callID, res, err)
	if retried, rerr, escalated := g.escalateRefusal(ctx, t, callID, args, err); escalated {
		res, err = retried, rerr
	}
	if err != nil {
		text := res.Text
		if text == "" {
			text = "Error: " + safetext.Line(err.Error())
		}
		return g.finish(name, callID, start, StatusFailed, text, res.Count, &GateError{Stage: StageCall, Tool: name, Err: err})
	}
	return g.finish(name, callID, start, StatusOK, res.Text, res.Count, nil)
}

// reportMCP reports the MCP call a tool made, if any.
func (g *Gate) reportMCP(name, callID string, res Result, err error) {
	if res.MCP != nil {
		call := *res.MCP
		g.report(Step{Kind: StepMCP, Tool: name, CallID: callID, MCP: &call, Duration: call.Duration, Err: err})
	}
}

// check reports the capability check; ok is false when the call must stop (denied, or the
// agent's info could not be fetched), and then out is the final Outcome. viaJIT says the
// capability is held through a just-in-time grant rather than in the agent's own right.
func (g *Gate) check(ctx context.Context, t Tool, callID string, args json.RawMessage, start time.Time) (out Outcome, viaJIT, ok bool) {
	name, capability := t.Name(), t.Capability()
	if capability == "" {
		g.report(Step{Kind: StepCheck, Tool: name, CallID: callID, Allowed: true, Reason: "no capability required"})
		return Outcome{}, false, true
	}
	held, err := g.agent.HasCapability(ctx, capability)
	if err == nil && !held {
		if ends, active := g.JIT.Active(capability); active {
			g.report(Step{Kind: StepCheck, Tool: name, CallID: callID, Capability: capability, Allowed: true,
				Reason: "temporarily granted through JIT · " + grantLeft(ends, g.now())})
			return Outcome{}, true, true
		}
	}
	step := Step{Kind: StepCheck, Tool: name, CallID: callID, Capability: capability, Allowed: held && err == nil, Err: err}
	switch {
	case err != nil:
		step.Reason = "could not read the agent's capabilities: " + oauthReason(err)
	case held:
		step.Reason = "agent holds '" + capability + "'"
	default:
		step.Reason = "agent lacks '" + capability + "'"
		step.JITAvailable = g.jitAvailable(ctx, capability, nil)
	}
	g.report(step)
	switch {
	case err != nil:
		return g.finish(name, callID, start, StatusFailed, "Error: Could not verify the '"+capability+"' capability: "+oauthReason(err)+".", 0,
			&GateError{Stage: StageCheck, Tool: name, Err: err}), false, false
	case !held && g.jitEnabled() && g.JIT.Requestable(ctx, capability):
		return g.escalateCheck(ctx, t, callID, args, start)
	case !held:
		text := "Error: Agent lacks '" + capability + "' capability."
		if step.JITAvailable {
			text += jitHint(capability)
		}
		return g.finish(name, callID, start, StatusDenied, text, 0,
			&GateError{Stage: StageCheck, Tool: name, Err: fmt.Errorf("%w: %s", ErrDenied, capability)}), false, false
	}
	return Outcome{}, false, true
}

func (g *Gate) finish(name, callID string, start time.Time, status Status, text string, count int, err error) Outcome {
	out := Outcome{Status: status, Text: safetext.Clean(text), Count: count, Duration: g.now().Sub(start)}
	if err != nil {
		out.Err = err
	}
	g.report(Step{Kind: StepResult, Tool: name, CallID: callID, Status: status, Text: out.Text, Count: count, Duration: out.Duration, Err: out.Err})
	return out
}

// jitAvailable asks the JITAdvisor, and otherwise reads the server's reply: an exchange
// refused with insufficient_authorization_details (or a description that mentions JIT)
// means the capability can be requested just in time.
func (g *Gate) jitAvailable(ctx context.Context, capability string, err error) bool {
	if g.JITAdvisor != nil && capability != "" && g.JITAdvisor(ctx, capability) {
		return true
	}
	if g.JIT.Requestable(ctx, capability) {
		return true
	}
	var oe *auth.OAuthError
	if errors.As(err, &oe) {
		d := strings.ToLower(oe.Description)
		return oe.Code == "insufficient_authorization_details" || strings.Contains(d, "jit") || strings.Contains(d, "just-in-time") || strings.Contains(d, "just in time")
	}
	return false
}

func jitHint(capability string) string {
	return " It can be requested just in time (JIT): ask the user to approve a temporary '" + capability + "' grant."
}

// oauthReason renders err for the model and the log: the OAuth code and description when
// the server answered, else the error text, control sequences stripped.
func oauthReason(err error) string {
	var oe *auth.OAuthError
	if errors.As(err, &oe) {
		s := oe.Code
		if oe.Description != "" {
			s += " (" + oe.Description + ")"
		}
		if oe.Status != 0 {
			s = fmt.Sprintf("%s, HTTP %d", s, oe.Status)
		}
		return safetext.Line(s)
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return safetext.Line(err.Error())
}
