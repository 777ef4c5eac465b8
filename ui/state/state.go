// Package state folds the session's event stream into what the dashboard shows outside the
// conversation and the log: who the agent is, its token, capabilities, budget and session
// usage. It is pure (no I/O, no clock), so replaying a transcript rebuilds the same state.
package state

import (
	"slices"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// Exhaustion records which limit stopped the session and when it resets.
type Exhaustion struct {
	Limit    string
	ResetsAt time.Time
	Percent  float64
	At       time.Time
	Why      string // the guard's own explanation (the event's text), e.g. why the next call does not fit
}

// CapabilityMark is what the dashboard knows about one capability.
type CapabilityMark struct {
	Name     string
	Held     bool // listed by userinfo
	Denied   bool // a check was refused
	JIT      bool // can be requested just in time
	Checking bool // a check for it is in flight
	// GrantEnds is set while the capability is granted just in time (not held in its own right).
	GrantEnds time.Time
	Required  bool   // a tool of the session needs it
	Risk      string // the server lets the agent request it just in time, at this risk ("" = not said)
}

// PendingJIT is a JIT request awaiting a human decision (the dashboard's pending card).
type PendingJIT struct {
	RequestID, Capability, Risk, Tool string
	Deadline                          time.Time // when lumodash stops waiting
}

// State is the folded session state.
type State struct {
	Agent   session.AgentRef
	Model   string
	Parts   []session.Part
	Running bool // a request is being worked on

	Token       *auth.TokenSummary
	TokenIssued time.Time // when the current token was issued (for the lifetime gauge)
	Renewals    int
	TokenError  string

	Capabilities []string
	denied       map[string]bool
	jit          map[string]bool
	checking     string
	granted      map[string]time.Time // JIT grants: capability → end
	Pending      *PendingJIT          // a JIT request awaiting a decision

	Budget     auth.BudgetPolicy
	HaveBudget bool
	LastLimit  string // the limit named by the latest budget warning

	SessionUsage   session.Usage
	SessionCost    *session.Cost
	SessionStarted time.Time // for the burn rate
	Request        Request   // the request under way, or the last one
	Exhausted      *Exhaustion
	Context        Context // the model's context window as the latest request used it

	Required []string          // the capabilities the session's tools need (session.start)
	Tools    []tools.Listing   // the tools offered (session.start), for the Tools dialog
	offers   map[string]string // capabilities the server lets the agent request just in time → risk

	calls calls // the events of each tool call, for its trace
}

// New returns an empty State.
func New() *State {
	return &State{denied: map[string]bool{}, jit: map[string]bool{}, granted: map[string]time.Time{}, offers: map[string]string{}}
}

// ResetForAgent clears what belongs to the previous agent when the dashboard switches agents;
// the parts and the traces of earlier calls stay (the log still shows them).
func (s *State) ResetForAgent() {
	parts, calls := s.Parts, s.calls
	*s = *New()
	s.Parts, s.calls = parts, calls
}

// Apply folds one event into the state.
func (s *State) Apply(e session.Event) {
	switch e.Kind {
	case session.KindSessionStart:
		if e.Agent != nil {
			s.Agent = *e.Agent
		}
		if e.Model != "" {
			s.Model = e.Model
		}
		if len(e.Parts) > 0 {
			s.Parts = e.Parts
		}
		s.SessionStarted, s.Required, s.Tools = e.Time, slices.Clone(e.Capabilities), slices.Clone(e.Tools)
	case session.KindPrompt:
		s.Running = true
		s.Exhausted = nil
	case session.KindAuthToken:
		s.applyToken(e)
	case session.KindInfoRefreshed:
		if e.Info != nil {
			s.applyInfo(*e.Info)
		}
	case session.KindCapabilityCheck:
		s.checking = e.Capability
		if e.Allowed != nil && !*e.Allowed {
			s.denied[e.Capability] = true
		} else if e.Allowed != nil {
			delete(s.denied, e.Capability)
		}
		if e.JITAvailable {
			s.jit[e.Capability] = true
		}
	case session.KindToolResult:
		s.checking = ""
	case session.KindBudgetUpdate, session.KindBudgetWarning:
		if e.Limit != "" {
			s.LastLimit = e.Limit
		}
	case session.KindBudgetExhausted:
		s.Exhausted = &Exhaustion{Limit: e.Limit, ResetsAt: e.ResetsAt, Percent: e.Percent, At: e.Time, Why: e.Text}
	case session.KindJITPending:
		s.Pending = &PendingJIT{RequestID: e.RequestID, Capability: e.Capability, Risk: e.Risk, Tool: e.Tool, Deadline: e.Deadline}
	case session.KindJITApproved:
		s.Pending = nil
		if e.Capability != "" {
			delete(s.denied, e.Capability)
			if !e.Deadline.IsZero() {
				s.granted[e.Capability] = e.Deadline
			}
		}
	case session.KindJITDenied:
		s.Pending = nil
	case session.KindJITCompleted:
		s.Pending = nil
		clear(s.granted)
	case session.KindSessionFinish:
		s.Running = false
		s.checking = ""
	}
	if e.CallID != "" {
		s.calls.add(e)
	}
	s.Request.apply(e)
	s.Context.apply(e)
	if e.Budget != nil {
		s.Budget, s.HaveBudget = *e.Budget, true
	}
	if e.SessionUse != nil {
		s.SessionUsage = *e.SessionUse
	} else if e.Kind == session.KindModelResponse && e.Usage != nil {
		s.SessionUsage.PromptTokens += e.Usage.PromptTokens
		s.SessionUsage.CompletionTokens += e.Usage.CompletionTokens
		s.SessionUsage.Estimated = s.SessionUsage.Estimated || e.Usage.Estimated
	}
	if e.SessionCost != nil {
		c := *e.SessionCost
		s.SessionCost = &c
	} else if e.Kind == session.KindModelResponse && e.Cost != nil {
		s.addCost(*e.Cost)
	}
}

// TurnDone marks the end of one request (the runner's Ask returned).
func (s *State) TurnDone() {
	s.Running = false
	s.checking = ""
}

func (s *State) applyToken(e session.Event) {
	switch e.Status {
	case session.TokenFailed:
		if e.Err != nil {
			s.TokenError = e.Err.Message
		} else {
			s.TokenError = "token request failed"
		}
		return
	case session.TokenRenewed:
		s.Renewals++
	}
	s.TokenError = ""
	if e.Token != nil {
		t := *e.Token
		s.Token = &t
		s.TokenIssued = t.Claims.IssuedAt
		if s.TokenIssued.IsZero() {
			s.TokenIssued = e.Time
		}
	}
}

func (s *State) applyInfo(in auth.Info) {
	s.Capabilities = slices.Clone(in.Capabilities)
	for _, c := range in.Capabilities {
		delete(s.denied, c)
	}
	s.Budget, s.HaveBudget = in.Budget, true
	clear(s.offers)
	for _, o := range in.JITRequestable {
		s.offers[o.Capability] = o.Risk
	}
	if s.Agent.Name == "" {
		s.Agent.Name = in.Name
	}
	if s.Agent.ID == "" {
		s.Agent.ID = in.AgentID
	}
	if s.Agent.Organization == "" {
		s.Agent.Organization = in.Organization
	}
}

func (s *State) addCost(c session.Cost) {
	if s.SessionCost == nil {
		s.SessionCost = &session.Cost{Priced: c.Priced, Note: c.Note}
	}
	s.SessionCost.USD += c.USD
	if !c.Priced {
		s.SessionCost.Priced = false
		if c.Note != "" {
			s.SessionCost.Note = c.Note
		}
	}
}

// CapabilityMarks lists held capabilities first, then those the session's tools need that the
// agent lacks, then ones granted, denied or requestable just in time.
func (s *State) CapabilityMarks() []CapabilityMark {
	marks := make([]CapabilityMark, 0, len(s.Capabilities)+len(s.denied))
	seen := map[string]bool{}
	add := func(name string, held bool) {
		if seen[name] || name == "" {
			return
		}
		seen[name] = true
		risk, offered := s.offers[name]
		marks = append(marks, CapabilityMark{Name: name, Held: held, Denied: s.denied[name], JIT: s.jit[name] || offered,
			Checking: s.checking == name, GrantEnds: s.granted[name], Required: slices.Contains(s.Required, name), Risk: risk})
	}
	for _, c := range s.Capabilities {
		add(c, true)
	}
	for _, c := range s.Required { // what the tools need and the agent lacks, before any attempt
		add(c, false)
	}
	granted := make(map[string]bool, len(s.granted))
	for c := range s.granted {
		granted[c] = true
	}
	for _, group := range []map[string]bool{granted, s.denied, s.jit} {
		extra := make([]string, 0, len(group))
		for c := range group {
			extra = append(extra, c)
		}
		slices.Sort(extra)
		for _, c := range extra {
			add(c, false)
		}
	}
	if s.checking != "" {
		add(s.checking, false)
	}
	return marks
}

// TokenLeft is the current token's remaining lifetime and the fraction of its lifetime left.
func (s *State) TokenLeft(now time.Time) (time.Duration, float64, bool) {
	if s.Token == nil || s.Token.ExpiresAt.IsZero() {
		return 0, 0, false
	}
	left := max(s.Token.ExpiresAt.Sub(now), 0)
	total := s.Token.ExpiresAt.Sub(s.TokenIssued)
	if total <= 0 {
		return left, 0, true
	}
	return left, min(float64(left)/float64(total), 1), true
}
