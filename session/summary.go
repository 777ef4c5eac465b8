package session

import (
	"cmp"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools"
)

// Summary is a session rebuilt from its events: who ran it, against what, each request
// with its tool calls (and their checks, exchanges and MCP calls), usage and cost. Text
// fields are raw (untrusted): renderers sanitise them.
type Summary struct {
	Session   string             `json:"session"`
	Agent     *AgentRef          `json:"agent,omitempty"`
	Model     string             `json:"model"`
	Parts     []Part             `json:"parts,omitempty"`
	Started   time.Time          `json:"started"`
	Finished  time.Time          `json:"finished,omitzero"`
	Outcome   Outcome            `json:"outcome,omitempty"`
	Budget    *auth.BudgetPolicy `json:"budget,omitempty"` // last known
	Requests  []RequestSummary   `json:"requests"`
	Usage     Usage              `json:"usage"`
	Cost      Cost               `json:"cost"`
	Errors    []ErrorInfo        `json:"errors,omitempty"`
	Events    int                `json:"events"`
	Truncated bool               `json:"truncated,omitempty"`
}

// RequestSummary is one prompt and what came of it.
type RequestSummary struct {
	Prompt    string        `json:"prompt"`
	Answer    string        `json:"answer,omitempty"`
	Outcome   Outcome       `json:"outcome,omitempty"`
	Turns     int           `json:"turns"`
	Retries   int           `json:"retries,omitempty"`
	ToolCalls []ToolSummary `json:"tool_calls,omitempty"`
	Usage     Usage         `json:"usage"`
	Cost      Cost          `json:"cost"`
	Stop      string        `json:"stop,omitempty"` // why it stopped early (budget, error)
}

// ToolSummary is one tool call with the gate's steps.
type ToolSummary struct {
	CallID    string        `json:"call_id"`
	Tool      string        `json:"tool"`
	Args      string        `json:"args,omitempty"`
	Status    tools.Status  `json:"status,omitempty"`
	Result    string        `json:"result,omitempty"`
	Count     int           `json:"count,omitempty"`
	Duration  time.Duration `json:"duration_ns,omitempty"`
	Checks    []Event       `json:"checks,omitempty"`
	JIT       []Event       `json:"jit,omitempty"` // request, pending, decision (with the request id and approver)
	Exchanges []Event       `json:"exchanges,omitempty"`
	MCP       []Event       `json:"mcp,omitempty"`
}

// Summarize rebuilds a session summary from its events (a transcript).
func Summarize(events []Event) Summary {
	var z Summarizer
	for _, e := range events {
		z.Add(e)
	}
	return z.Summary()
}

// Summarizer rebuilds a session summary one event at a time, keeping only what the summary
// holds (no model deltas), so that a long transcript is summarised in the memory of its
// report rather than of its events.
type Summarizer struct {
	s     Summary
	req   *RequestSummary
	calls map[string]*ToolSummary
}

// Summary is the summary of the events added so far.
func (z *Summarizer) Summary() Summary { return z.s }

// call is the request's tool call id, added when new.
func (z *Summarizer) call(id, tool string) *ToolSummary {
	s := &z.s
	if c, ok := z.calls[id]; ok && id != "" {
		return c
	}
	if z.req == nil {
		s.Requests = append(s.Requests, RequestSummary{})
		z.req = &s.Requests[len(s.Requests)-1]
	}
	req := z.req
	req.ToolCalls = append(req.ToolCalls, ToolSummary{CallID: id, Tool: tool})
	c := &req.ToolCalls[len(req.ToolCalls)-1]
	z.calls = map[string]*ToolSummary{} // pointers move when the slice grows: rebuild
	for i := range req.ToolCalls {
		z.calls[req.ToolCalls[i].CallID] = &req.ToolCalls[i]
	}
	return c
}

// Add folds one event into the summary.
func (z *Summarizer) Add(e Event) {
	s := &z.s
	s.Events++
	if s.Session == "" {
		s.Session = e.Session
	}
	req := z.req
	switch e.Kind {
	case KindSessionStart:
		s.Agent, s.Model, s.Parts, s.Started = e.Agent, e.Model, e.Parts, e.Time
	case KindSessionFinish:
		s.Finished, s.Outcome = e.Time, e.Outcome
		if e.Agent != nil {
			s.Agent = e.Agent
		}
	case KindInfoRefreshed:
		if e.Info != nil {
			b := e.Info.Budget
			s.Budget = &b
			if s.Agent == nil {
				s.Agent = &AgentRef{}
			}
			s.Agent.Name, s.Agent.ID = cmp.Or(e.Info.Name, s.Agent.Name), cmp.Or(e.Info.AgentID, s.Agent.ID)
		}
	case KindBudgetUpdate:
		if e.Budget != nil {
			s.Budget = e.Budget
		}
	case KindPrompt:
		s.Requests = append(s.Requests, RequestSummary{Prompt: e.Text})
		z.req = &s.Requests[len(s.Requests)-1]
		z.calls = map[string]*ToolSummary{}
	case KindToolCall:
		c := z.call(e.CallID, e.Tool)
		c.Args = e.Args
	case KindCapabilityCheck:
		c := z.call(e.CallID, e.Tool)
		c.Checks = append(c.Checks, e)
	case KindTokenExchange:
		if e.CallID != "" {
			c := z.call(e.CallID, e.Tool)
			c.Exchanges = append(c.Exchanges, e)
		}
	case KindMCPCall:
		c := z.call(e.CallID, "")
		c.MCP = append(c.MCP, e)
	case KindJITRequested, KindJITPending, KindJITApproved, KindJITDenied:
		if e.CallID != "" {
			c := z.call(e.CallID, e.Tool)
			c.JIT = append(c.JIT, e)
		}
	case KindToolResult:
		c := z.call(e.CallID, e.Tool)
		c.Status, c.Result, c.Count, c.Duration = tools.Status(e.Status), e.Text, e.Count, e.Duration
	case KindModelResponse:
		if req != nil {
			req.Turns++
		}
		if e.Usage != nil {
			s.Usage = s.Usage.Add(*e.Usage)
		}
		if e.Cost != nil {
			s.Cost = s.Cost.Add(*e.Cost)
		}
	case KindModelRetry:
		if req != nil {
			req.Retries++
		}
	case KindBudgetExhausted:
		if req != nil {
			req.Stop = e.Text
		}
	case KindError:
		if e.Err != nil {
			s.Errors = append(s.Errors, *e.Err)
			if req != nil && req.Stop == "" {
				req.Stop = e.Err.Message
			}
		}
	case KindRequestFinish:
		if req == nil {
			return
		}
		req.Outcome, req.Answer = e.Outcome, e.Text
		if e.Usage != nil {
			req.Usage = *e.Usage
		}
		if e.Cost != nil {
			req.Cost = *e.Cost
		}
		z.req = nil
	}
}
