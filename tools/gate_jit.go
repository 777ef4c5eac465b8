package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/numfmt"
)

// jitEnabled says whether denied capabilities may be escalated.
func (g *Gate) jitEnabled() bool { return g.JIT != nil && g.JIT.Mode() != JITModeOff }

// escalateCheck turns the denial just reported into a JIT request. Granted: the call goes on
// with the grant (a second, allowing check step says so). Otherwise the tool answers the
// model with what happened and the reviewer's notes.
func (g *Gate) escalateCheck(ctx context.Context, t Tool, callID string, args json.RawMessage, start time.Time) (Outcome, bool, bool) {
	name, capability := t.Name(), t.Capability()
	res := g.JIT.Escalate(ctx, JITQuestion{Tool: name, CallID: callID, Capability: capability,
		Justification: Justification(name, capability, args)})
	if res.Granted {
		g.report(Step{Kind: StepCheck, Tool: name, CallID: callID, Capability: capability, Allowed: true,
			Reason: "granted just in time · " + grantLeft(res.Ends, g.now())})
		return Outcome{}, true, true
	}
	status := StatusDenied
	if res.Stage == JITStageFailed { // the flow broke; any other end means the capability was not granted
		status = StatusFailed
	}
	err := fmt.Errorf("%w: %s (JIT %s)", ErrDenied, capability, res.Stage)
	return g.finish(name, callID, start, status, res.Text, 0, &GateError{Stage: StageCheck, Tool: name, Err: err}), false, false
}

// exchange gets the token for aud: the agent's own exchange, or one from the JIT grant.
func (g *Gate) exchange(ctx context.Context, capability, aud string, viaJIT bool) (*auth.Credential, error) {
	if viaJIT {
		return g.JIT.Exchange(ctx, capability, aud)
	}
	return g.agent.Exchange(ctx, aud)
}

// escalateRefusal handles a resource server's 403 naming the authorization details the call
// lacks (Insufficient-Authorization-Details): it requests them just in time and, granted,
// retries the call once with a token exchanged from the grant. escalated is false when the
// refusal is not such a 403 or escalation is off.
func (g *Gate) escalateRefusal(ctx context.Context, t Tool, callID string, args json.RawMessage, callErr error) (Result, error, bool) {
	var he *HTTPStatusError
	if !g.jitEnabled() || t.Audience() == "" || !errors.As(callErr, &he) || he.Status != http.StatusForbidden || he.Details == "" {
		return Result{}, nil, false
	}
	details, err := auth.ParseInsufficientAuthorizationDetails(he.Details)
	if err != nil {
		return Result{Text: "Error: the resource server refused the call and named the access it needs unreadably: " + oauthReason(err) + "."}, err, true
	}
	d := details[0]
	capability := d.Type
	if len(d.Actions) > 0 {
		capability = d.Actions[0]
	}
	name := t.Name()
	if _, active := g.JIT.Active(capability); !active {
		res := g.JIT.Escalate(ctx, JITQuestion{Tool: name, CallID: callID, Capability: capability, Details: d,
			Justification: Justification(name, capability, args) + " (the resource server asked for it)"})
		if !res.Granted {
			return Result{Text: res.Text}, fmt.Errorf("%w: %s (JIT %s)", ErrDenied, capability, res.Stage), true
		}
	}
	cred, err := g.JIT.Exchange(ctx, capability, t.Audience())
	step := Step{Kind: StepExchange, Tool: name, CallID: callID, Audience: t.Audience(), Err: err}
	if err == nil {
		sum := cred.Summary
		step.Credential, step.Cached = &sum, cred.Cached
	} else {
		step.Reason = oauthReason(err)
	}
	g.report(step)
	if err != nil {
		return Result{Text: "Error: Failed to obtain a token for " + t.Audience() + " with the JIT grant: " + step.Reason + "."}, err, true
	}
	res, err := t.Call(ctx, args, cred)
	g.reportMCP(name, callID, res, err)
	return res, err, true
}

// grantLeft says how long a grant has left, e.g. "expires in 4m59s".
func grantLeft(ends, now time.Time) string {
	if ends.IsZero() {
		return "expiry unknown"
	}
	return "expires in " + numfmt.Duration(ends.Sub(now))
}
