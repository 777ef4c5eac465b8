package session

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools"
)

// gateCall is a tool call the gate is working on, so that the token exchange auth reports
// during it carries the tool and call id. Calls of one model turn run at once: an exchange
// is matched to the oldest call in flight for its audience that has not had one yet (the
// runner says which audience a call needs; "" for a call it did not announce matches any).
type gateCall struct {
	tool, callID, audience string
	announced              bool
	exchanged              bool // auth reported an exchange for it
}

// expectCall announces a gate call and the audience it needs a token for.
func (b *Bus) expectCall(callID, tool, audience string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inGate = append(b.inGate, &gateCall{tool: tool, callID: callID, audience: audience, announced: true})
}

// gateCallLocked finds the call in flight with callID; b.mu is held.
func (b *Bus) gateCallLocked(callID string) *gateCall {
	for _, c := range b.inGate {
		if c.callID == callID {
			return c
		}
	}
	return nil
}

// exchangeCallLocked picks the call in flight an exchange for audience belongs to; b.mu is held.
func (b *Bus) exchangeCallLocked(audience string) *gateCall {
	var again *gateCall // a call re-exchanging (after a 401 from its server)
	for _, c := range b.inGate {
		if c.announced && c.audience != audience {
			continue
		}
		if !c.exchanged {
			return c
		}
		if again == nil {
			again = c
		}
	}
	return again
}

// AuthHook turns auth.Reports into events. Token exchanges have one source: this hook (it
// sees every exchange, also those outside a tool call); the gate's own exchange step is then
// dropped by GateReporter unless auth never reported it.
func (b *Bus) AuthHook() auth.Hook {
	return func(r auth.Report) {
		e := Event{Time: r.At, Duration: r.Duration, HTTPStatus: r.Status, Text: r.Detail, Token: r.Token, Err: errorInfo(r.Err)}
		if r.Endpoint != "" {
			e.Endpoint = strings.TrimSpace(r.Method + " " + r.Endpoint)
		}
		switch r.Kind {
		case auth.ReportTokenObtained, auth.ReportTokenRenewed, auth.ReportTokenFailed:
			e.Kind = KindAuthToken
			e.Status = map[auth.ReportKind]Status{auth.ReportTokenObtained: TokenObtained, auth.ReportTokenRenewed: TokenRenewed, auth.ReportTokenFailed: TokenFailed}[r.Kind]
		case auth.ReportInfoRefreshed, auth.ReportInfoFailed:
			e.Kind, e.Info, e.Status = KindInfoRefreshed, r.Info, InfoOK
			if r.Kind == auth.ReportInfoFailed {
				e.Status = InfoFailed
			}
			b.tagGateCall(&e) // a capability check that had to fetch userinfo
		case auth.ReportExchangeNew, auth.ReportExchangeCached, auth.ReportExchangeFailed:
			e.Kind, e.Audience, e.Cached = KindTokenExchange, r.Audience, r.Kind == auth.ReportExchangeCached
			e.Status = map[auth.ReportKind]Status{auth.ReportExchangeNew: ExchangeNew, auth.ReportExchangeCached: ExchangeCached, auth.ReportExchangeFailed: ExchangeFailed}[r.Kind]
			b.mu.Lock()
			if c := b.exchangeCallLocked(r.Audience); c != nil {
				e.Tool, e.CallID = c.tool, c.callID
				c.exchanged = true
			}
			b.mu.Unlock()
		case auth.ReportJITTask, auth.ReportJITRequested, auth.ReportJITStatus, auth.ReportJITToken, auth.ReportJITCompleted:
			// The HTTP side of JIT; the JIT flow itself reports jit.requested…jit.completed.
			e.Kind, e.Status = KindJITCall, Status(strings.TrimPrefix(string(r.Kind), "jit_"))
			b.tagGateCall(&e)
		case auth.ReportApproval:
			// A push approval's HTTP call (request, status, the operator's list or decision)
			// goes in the gate log with the JIT calls: "approval 200 · decided · approved · POST …".
			// Tagged like the JIT calls: the approval asked for a call belongs in its trace.
			e.Kind, e.Status = KindJITCall, Status(auth.ReportApproval)
			b.tagGateCall(&e)
		case auth.ReportUsageReported:
			e.Kind, e.Status = KindUsageReported, UsageOK
			if r.Err != nil {
				e.Status = UsageFailed
			}
		case auth.ReportUsageUnsupported:
			e.Kind, e.Status = KindUsageReported, UsageUnsupported
		default:
			e.Kind, e.Status = KindError, Status(r.Kind)
		}
		b.Emit(e)
	}
}

// tagGateCall gives e the tool and call id of the gate call in progress, so that a call's
// trace holds the HTTP requests made for it — only when one call is in flight, since an
// HTTP request of JIT or userinfo names no call of its own.
func (b *Bus) tagGateCall(e *Event) {
	b.mu.Lock()
	if len(b.inGate) == 1 {
		e.Tool, e.CallID = b.inGate[0].tool, b.inGate[0].callID
	}
	b.mu.Unlock()
}

// GateReporter turns the gate's steps into gate.check, gate.exchange (only when auth did not
// report that exchange itself), gate.mcp and tool.result events.
func (b *Bus) GateReporter() func(tools.Step) {
	return func(s tools.Step) {
		e := Event{Tool: s.Tool, CallID: s.CallID, Duration: s.Duration, Err: errorInfo(s.Err)}
		switch s.Kind {
		case tools.StepCheck:
			b.mu.Lock()
			if b.gateCallLocked(s.CallID) == nil {
				b.inGate = append(b.inGate, &gateCall{tool: s.Tool, callID: s.CallID})
			}
			b.mu.Unlock()
			allowed := s.Allowed
			e.Kind, e.Capability, e.Allowed, e.Reason, e.JITAvailable = KindCapabilityCheck, s.Capability, &allowed, s.Reason, s.JITAvailable
		case tools.StepExchange:
			b.mu.Lock()
			c := b.gateCallLocked(s.CallID)
			seen := c != nil && c.exchanged
			b.mu.Unlock()
			if seen {
				return
			}
			e.Kind, e.Audience, e.Cached, e.Token, e.Reason, e.JITAvailable = KindTokenExchange, s.Audience, s.Cached, s.Credential, s.Reason, s.JITAvailable
			e.Status = ExchangeNew
			switch {
			case s.Err != nil:
				e.Status = ExchangeFailed
			case s.Cached:
				e.Status = ExchangeCached
			}
		case tools.StepMCP:
			e.Kind = KindMCPCall
			if m := s.MCP; m != nil {
				e.Tool, e.Server, e.Status, e.HTTPStatus, e.Duration = m.Tool, m.Server, Status(m.Status), m.HTTP, m.Duration
				e.Args, e.Text, e.Token = m.Args, m.Result, m.Token
				if m.Retried {
					e.Reason = "retried after re-exchanging the token"
				}
			}
		case tools.StepResult:
			b.mu.Lock()
			b.inGate = slices.DeleteFunc(b.inGate, func(c *gateCall) bool { return c.callID == s.CallID })
			b.mu.Unlock()
			e.Kind, e.Status, e.Text, e.Count = KindToolResult, Status(s.Status), s.Text, s.Count
		default:
			return
		}
		b.Emit(e)
	}
}

// errorInfo makes err safe for an event: an OAuth error keeps its code and status; the
// message is the error text (untrusted, sanitised by the display). nil stays nil.
func errorInfo(err error) *ErrorInfo {
	if err == nil {
		return nil
	}
	info := &ErrorInfo{Message: err.Error()}
	var oe *auth.OAuthError
	var me *ModelError
	switch {
	case errors.As(err, &me):
		info.Code, info.Status, info.Message = me.Code, me.Status, me.Error()
	case errors.As(err, &oe):
		info.Code, info.Status = oe.Code, oe.Status
	case errors.Is(err, context.Canceled):
		info.Code = "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		info.Code = "timeout"
	}
	return info
}
