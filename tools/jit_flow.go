package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/safetext"
)

// JITResult is how an escalation ended.
type JITResult struct {
	Granted bool
	Stage   JITStage  // the final JIT stage
	Text    string    // for the model when not granted: what happened and why
	Ends    time.Time // granted: when the grant ends
}

// Escalate asks for q.Capability just in time for q's tool call and waits for the decision:
// confirmation (ask mode), task, request, the human decision when the risk needs one, and
// the JIT token. Every step is reported. It never panics; a refusal is a JITResult.
func (j *JIT) Escalate(ctx context.Context, q JITQuestion) JITResult {
	j.flight.Lock()
	defer j.flight.Unlock()
	if ends, ok := j.Active(q.Capability); ok { // granted while this call waited its turn
		return JITResult{Granted: true, Stage: JITStageApproved, Ends: ends}
	}
	if q.Details.Type == "" {
		q.Details = auth.AuthorizationDetails{Type: "agent_capability", Actions: []string{q.Capability}}
	}
	if q.Risk == "" {
		q.Risk = j.knownRisk(q.Capability)
	}
	if q.TTL == 0 {
		q.TTL = j.cfg.TTL
	}
	report := func(stage JITStage, mod func(*JITReport)) {
		r := JITReport{Stage: stage, Tool: q.Tool, CallID: q.CallID, Capability: q.Capability, RequestID: q.RequestID,
			Risk: q.Risk, Justification: q.Justification}
		if mod != nil {
			mod(&r)
		}
		j.cfg.Report(r)
	}
	refuse := func(stage JITStage, text string, err error) JITResult {
		report(stage, func(r *JITReport) { r.Notes, r.Err = text, err })
		return JITResult{Stage: stage, Text: "Error: " + text}
	}

	if j.cfg.Mode == JITModeAsk {
		if j.cfg.Human == nil {
			return refuse(JITStageDeclined, fmt.Sprintf("the agent lacks '%s'; it could be requested just in time, but --jit ask needs someone to confirm and there is no terminal to ask (run with --jit auto to request it without asking)", q.Capability), nil)
		}
		ok, err := j.cfg.Human.Confirm(ctx, q)
		switch {
		case err != nil:
			return refuse(JITStageDeclined, fmt.Sprintf("the JIT request for '%s' was not sent: %s", q.Capability, reason(err)), err)
		case !ok:
			return refuse(JITStageDeclined, fmt.Sprintf("the user declined to request '%s' just in time, so the call was not made", q.Capability), nil)
		}
	}
	taskID, err := j.ensureTask(ctx)
	if err != nil {
		return refuse(JITStageFailed, fmt.Sprintf("could not open a JIT task to request '%s': %s", q.Capability, reason(err)), err)
	}
	res, err := j.agent.RequestJIT(ctx, auth.JITRequest{TaskID: taskID, AuthorizationDetails: q.Details,
		Justification: q.Justification, RequestedTTL: q.TTL})
	if err != nil {
		var oe *auth.OAuthError
		if errors.As(err, &oe) && oe.Status >= 400 && oe.Status < 500 && oe.Status != 401 && oe.Status != 429 {
			return refuse(JITStageDenied, fmt.Sprintf("the authorization server refused the JIT request for '%s': %s", q.Capability, reason(err)), err)
		}
		return refuse(JITStageFailed, fmt.Sprintf("the JIT request for '%s' failed: %s", q.Capability, reason(err)), err)
	}
	q.RequestID, q.Risk = res.RequestID, firstOf(res.RiskLevel, q.Risk)
	report(JITStageRequested, func(r *JITReport) { r.TaskID = taskID })
	approver := "the authorization server, at once (risk " + firstOf(q.Risk, "unknown") + ")"
	if res.Status == auth.JITPending {
		res, approver = j.await(ctx, &q, res, report)
	}
	switch res.Status {
	case auth.JITApproved:
		return j.take(ctx, q, res, firstOf(res.ReviewedBy, approver), report, refuse)
	case auth.JITPending: // await gave up: timeout or cancelled
		if ctx.Err() != nil {
			return refuse(JITStageFailed, fmt.Sprintf("stopped waiting for the decision on the JIT request for '%s': cancelled", q.Capability), ctx.Err())
		}
		return refuse(JITStageTimeout, fmt.Sprintf("no decision on the JIT request for '%s' (risk %s) within %s (--jit-timeout); it stays pending until the session ends, so the call was not made", q.Capability, q.Risk, j.cfg.Timeout), nil)
	case "":
		return refuse(JITStageFailed, fmt.Sprintf("the JIT request for '%s' failed: %s", q.Capability, res.ReviewNotes), nil)
	}
	stage, verb := JITStageDenied, "was denied"
	if res.Status != auth.JITDenied {
		stage, verb = JITStageExpired, "ended as "+res.Status
	}
	text := fmt.Sprintf("the JIT request for '%s' %s", q.Capability, verb)
	if notes := safetext.Line(res.ReviewNotes); notes != "" {
		text += ". Reviewer's notes: " + notes
	}
	return refuse(stage, text, nil)
}

// await waits for a pending request's decision: polling the server and, when a reviewer is
// configured, asking the operator, whichever answers first, for at most the timeout. It
// returns the last state seen (still pending when it gave up) and who decided, as far as
// lumodash knows: its operator client, else a reviewer at the server.
func (j *JIT) await(ctx context.Context, q *JITQuestion, res auth.JITResult, report func(JITStage, func(*JITReport))) (auth.JITResult, string) {
	q.Deadline = j.now().Add(j.cfg.Timeout)
	report(JITStagePending, func(r *JITReport) { r.Deadline = q.Deadline })
	wctx, cancel := context.WithTimeout(ctx, j.cfg.Timeout)
	defer cancel()
	polled := make(chan auth.JITResult, 1)
	go func() {
		r, err := j.agent.WaitJIT(wctx, q.RequestID, j.cfg.Poll)
		if err != nil && wctx.Err() == nil {
			r.Status, r.ReviewNotes = "", "reading its status failed: "+reason(err)
		}
		polled <- r
	}()
	var decided <-chan JITDecision
	if j.cfg.Reviewer != nil && j.cfg.Human != nil {
		ch := make(chan JITDecision, 1)
		decided = ch
		ask := *q
		go func() {
			if d, err := j.cfg.Human.Review(wctx, ask); err == nil {
				ch <- d
			}
		}()
	}
	for {
		select {
		case r := <-polled:
			if r.Status == "" && r.ReviewNotes == "" {
				r.Status = auth.JITPending // the wait was cut short
			}
			return r, "a reviewer at the authorization server"
		case d := <-decided:
			decided = nil
			if r, ok := j.decide(wctx, q, d, report); ok {
				return r, j.cfg.Reviewer.Config().ClientID
			}
		}
	}
}

// decide sends the operator's decision and reads the resulting state. ok is false when the
// decision could not be recorded (e.g. the request had just expired): waiting goes on.
func (j *JIT) decide(ctx context.Context, q *JITQuestion, d JITDecision, report func(JITStage, func(*JITReport))) (auth.JITResult, bool) {
	ttl := d.TTL
	if ttl == 0 {
		ttl = q.TTL
	}
	var err error
	if d.Approve {
		err = j.cfg.Reviewer.ApproveJIT(ctx, q.RequestID, ttl, d.Notes)
	} else {
		err = j.cfg.Reviewer.DenyJIT(ctx, q.RequestID, d.Notes)
	}
	if err == nil {
		var r auth.JITResult
		if r, err = j.agent.JITStatus(ctx, q.RequestID); err == nil && r.Status != auth.JITPending {
			return r, true
		}
	}
	report(JITStagePending, func(r *JITReport) {
		r.Deadline, r.Err, r.Notes = q.Deadline, err, "the operator's decision could not be recorded; still waiting"
	})
	return auth.JITResult{}, false
}

// take fetches the JIT token of an approved request and records the grant.
func (j *JIT) take(ctx context.Context, q JITQuestion, res auth.JITResult, approver string, report func(JITStage, func(*JITReport)),
	refuse func(JITStage, string, error) JITResult) JITResult {
	tok, err := j.agent.JITToken(ctx, q.RequestID)
	if err != nil {
		return refuse(JITStageFailed, fmt.Sprintf("the JIT request for '%s' was approved but its token could not be fetched: %s", q.Capability, reason(err)), err)
	}
	ends := tok.Summary.ExpiresAt
	if ends.IsZero() && res.GrantedTTL > 0 {
		ends = j.now().Add(res.GrantedTTL)
	}
	ttl := res.GrantedTTL
	if ttl == 0 {
		ttl = ends.Sub(j.now()).Round(time.Second)
	}
	j.mu.Lock()
	j.grants[q.Capability] = &grant{requestID: q.RequestID, token: tok, ends: ends, exchanged: map[string]*auth.Credential{}}
	j.mu.Unlock()
	report(JITStageApproved, func(r *JITReport) {
		r.TTL, r.Deadline, r.Notes, r.Approver = ttl, ends, safetext.Line(res.ReviewNotes), safetext.Line(approver)
	})
	return JITResult{Granted: true, Stage: JITStageApproved, Ends: ends}
}

// Justification describes a tool call for the reviewer: the tool, the capability it needs and
// its arguments, at most 300 characters.
func Justification(tool, capability string, args json.RawMessage) string {
	s := fmt.Sprintf("The analyst's tool %s needs '%s'", tool, capability)
	var m map[string]any
	if json.Unmarshal(args, &m) == nil && len(m) > 0 {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s=%v", k, m[k]))
		}
		s += " to answer: " + strings.Join(parts, ", ")
	}
	s = safetext.Line(s)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:299]) + "…"
	}
	return s
}

func reason(err error) string { return oauthReason(err) }

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
