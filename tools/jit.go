package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lumodash/lumodash/auth"
)

// JIT modes, the values of --jit.
const (
	JITModeAsk  = "ask"  // the operator confirms before a request is sent
	JITModeAuto = "auto" // requests are sent at once (headless runs)
	JITModeOff  = "off"  // a missing capability is a plain denial
)

// Defaults of JITConfig.
const (
	DefaultJITTimeout = 5 * time.Minute
	DefaultJITPoll    = 2 * time.Second
)

// ParseJITMode checks a --jit value ("" = ask).
func ParseJITMode(s string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(s)); m {
	case "":
		return JITModeAsk, nil
	case JITModeAsk, JITModeAuto, JITModeOff:
		return m, nil
	}
	return "", fmt.Errorf("--jit must be ask, auto or off, got %q", s)
}

// JITQuestion describes a JIT request to the person in the loop.
type JITQuestion struct {
	Tool, CallID  string
	Capability    string
	Details       auth.AuthorizationDetails
	Justification string
	Risk          string        // known once the server answers (or userinfo says), else ""
	TTL           time.Duration // requested grant (0 = the server's default)
	RequestID     string        // set once the request is sent
	Deadline      time.Time     // pending: when lumodash stops waiting
}

// JITDecision is a reviewer's answer to a pending request.
type JITDecision struct {
	Approve bool
	Notes   string
	TTL     time.Duration // 0 = what was requested
}

// Escalation is the person in the loop of a JIT request. Both methods block until the person
// answers or ctx ends (then they return ctx's error).
type Escalation interface {
	// Confirm asks whether the request may be sent (--jit ask).
	Confirm(ctx context.Context, q JITQuestion) (bool, error)
	// Review asks the operator to approve or deny a pending request. It is only called when
	// a reviewer client is configured (the embedded default's operator).
	Review(ctx context.Context, q JITQuestion) (JITDecision, error)
}

// JITConfig configures just-in-time escalation for one session.
type JITConfig struct {
	Mode     string        // ask (default) | auto | off
	Timeout  time.Duration // how long to wait for a human decision (default 5 min)
	Poll     time.Duration // status poll interval while pending (default 2 s)
	TTL      time.Duration // requested grant (0 = the server's default, 5 min)
	Human    Escalation    // nil: ask mode refuses (nobody to ask) and pending requests just wait
	Reviewer *auth.Agent   // decides pending requests (embedded: the operator client); nil = decided elsewhere
	TaskName string        // name of the JIT task (default "lumodash session")
	Report   func(JITReport)
}

// JITStage is a step of a JIT request. The values are stable: they are the status of the
// jit.* events in transcripts (jit.denied carries one of the five refusals).
type JITStage string

// JIT stages, in JITReport.Stage.
const (
	JITStageRequested JITStage = "requested" // the request was sent
	JITStagePending   JITStage = "pending"   // a human must decide; Deadline says how long lumodash waits
	JITStageApproved  JITStage = "approved"  // granted; TTL says for how long
	JITStageDenied    JITStage = "denied"    // refused by a reviewer or the server; Notes say why
	JITStageExpired   JITStage = "expired"   // nobody decided in time (server side)
	JITStageTimeout   JITStage = "timeout"   // lumodash stopped waiting (--jit-timeout)
	JITStageDeclined  JITStage = "declined"  // the operator chose not to send the request
	JITStageFailed    JITStage = "failed"    // the flow broke (network, protocol); Err says how
	JITStageCompleted JITStage = "completed" // the task ended; its grants are revoked
)

// JITReport is one step of a JIT request, for the session's events.
type JITReport struct {
	Stage                    JITStage
	Tool, CallID, Capability string
	RequestID, TaskID, Risk  string
	TTL                      time.Duration // approved: the granted TTL
	Deadline                 time.Time     // pending: when waiting stops; approved: when the grant ends
	Notes                    string        // reviewer's notes or the reason
	Approver                 string        // approved: who approved (a reviewer, or the server itself for a low risk)
	Justification            string
	Err                      error
}

// grant is an approved JIT request: its token and the tokens exchanged from it.
type grant struct {
	requestID string
	token     *auth.Credential
	ends      time.Time
	exchanged map[string]*auth.Credential // per audience
}

// JIT turns a capability the agent lacks into a just-in-time request, and holds the grants
// until the session completes its task. Safe for concurrent use.
type JIT struct {
	agent *auth.Agent
	cfg   JITConfig
	now   func() time.Time

	flight sync.Mutex // one escalation at a time: a second call for the same capability reuses the grant

	mu        sync.Mutex
	task      *auth.JITTask
	completed bool
	grants    map[string]*grant // per capability
}

// NewJIT returns the escalation of agent's session.
func NewJIT(agent *auth.Agent, cfg JITConfig) (*JIT, error) {
	mode, err := ParseJITMode(cfg.Mode)
	if err != nil {
		return nil, err
	}
	cfg.Mode = mode
	switch {
	case agent == nil:
		return nil, fmt.Errorf("tools: NewJIT needs the agent")
	case cfg.Timeout < 0 || cfg.TTL < 0 || cfg.TTL > auth.MaxJITTTL:
		return nil, fmt.Errorf("--jit-timeout must be positive and the JIT TTL within 0…%s", auth.MaxJITTTL)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultJITTimeout
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultJITPoll
	}
	if cfg.TaskName == "" {
		cfg.TaskName = "lumodash session"
	}
	if cfg.Report == nil {
		cfg.Report = func(JITReport) {}
	}
	return &JIT{agent: agent, cfg: cfg, now: time.Now, grants: map[string]*grant{}}, nil
}

// Mode is the configured mode (ask, auto or off).
func (j *JIT) Mode() string { return j.cfg.Mode }

// Requestable says whether capability may be requested: the server's jit_requestable list
// when it sends one, else (a real LumoAuth) yes — the server answers the request itself.
func (j *JIT) Requestable(ctx context.Context, capability string) bool {
	if j == nil || j.cfg.Mode == JITModeOff || capability == "" {
		return false
	}
	info, ok := j.agent.CachedInfo()
	if !ok {
		var err error
		if info, err = j.agent.Info(ctx); err != nil {
			return false
		}
	}
	return info.JITRequestable == nil || slices.ContainsFunc(info.JITRequestable, func(o auth.JITOffer) bool { return o.Capability == capability })
}

// knownRisk is the risk userinfo announced for capability, or "".
func (j *JIT) knownRisk(capability string) string {
	info, _ := j.agent.CachedInfo()
	for _, o := range info.JITRequestable {
		if o.Capability == capability {
			return o.Risk
		}
	}
	return ""
}

// Active says whether capability is granted just in time right now, and until when.
func (j *JIT) Active(capability string) (time.Time, bool) {
	if j == nil {
		return time.Time{}, false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	g := j.activeLocked(capability)
	if g == nil {
		return time.Time{}, false
	}
	return g.ends, true
}

func (j *JIT) activeLocked(capability string) *grant {
	g := j.grants[capability]
	if g == nil || j.completed {
		return nil
	}
	if !j.now().Before(g.ends) {
		delete(j.grants, capability)
		return nil
	}
	return g
}

// Exchange returns a token for audience exchanged from capability's JIT token, reusing one
// that has at least 10 s left.
func (j *JIT) Exchange(ctx context.Context, capability, audience string) (*auth.Credential, error) {
	j.mu.Lock()
	g := j.activeLocked(capability)
	var held *auth.Credential
	if g != nil {
		held = g.exchanged[audience]
	}
	j.mu.Unlock()
	if g == nil {
		return nil, fmt.Errorf("the JIT grant for '%s' has ended", capability)
	}
	if held != nil && j.now().Add(10*time.Second).Before(held.Summary.ExpiresAt) {
		c := *held
		c.Cached = true
		return &c, nil
	}
	cred, err := j.agent.ExchangeAs(ctx, g.token, audience)
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	g.exchanged[audience] = cred
	j.mu.Unlock()
	return cred, nil
}

// Complete ends the session's JIT task: the server revokes its tokens and cancels requests
// still pending. It is idempotent and does nothing when no request was made.
func (j *JIT) Complete(ctx context.Context) error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	task, done := j.task, j.completed
	j.completed = true
	j.grants = map[string]*grant{}
	j.mu.Unlock()
	if task == nil || done {
		return nil
	}
	err := j.agent.CompleteJITTask(ctx, task.ID)
	rep := JITReport{Stage: JITStageCompleted, TaskID: task.ID, Notes: "task completed: its JIT grants are revoked", Err: err}
	if err != nil {
		rep.Notes = "completing the JIT task failed; its grants end with their TTL"
	}
	j.cfg.Report(rep)
	return err
}

// ensureTask opens the session's task on first use.
func (j *JIT) ensureTask(ctx context.Context) (string, error) {
	j.mu.Lock()
	if j.completed {
		j.mu.Unlock()
		return "", fmt.Errorf("the session's JIT task is already complete")
	}
	if j.task != nil {
		id := j.task.ID
		j.mu.Unlock()
		return id, nil
	}
	j.mu.Unlock()
	task, err := j.agent.CreateJITTask(ctx, j.cfg.TaskName, "agent_session")
	if err != nil {
		return "", err
	}
	j.mu.Lock()
	j.task = &task
	j.mu.Unlock()
	return task.ID, nil
}
