package session

import (
	"context"
	"errors"
	"strings"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools"
)

// gateCall is the tool call the gate is working on, so that the token exchange auth reports
// during it carries the tool and call id.
type gateCall struct{ tool, callID string }

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
			if b.inGate != nil {
				e.Tool, e.CallID = b.inGate.tool, b.inGate.callID
				b.exchangeSeen = true
			}
			b.mu.Unlock()
		case auth.ReportJITTask, auth.ReportJITRequested, auth.ReportJITStatus, auth.ReportJITToken, auth.ReportJITCompleted:
			// The HTTP side of JIT; the JIT flow itself reports jit.requested…jit.completed.
			e.Kind, e.Status = KindJITCall, Status(strings.TrimPrefix(string(r.Kind), "jit_"))
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

// tagGateCall gives e the tool and call id of the gate call in progress, if any, so that a
// call's trace holds the HTTP requests made for it.
func (b *Bus) tagGateCall(e *Event) {
	b.mu.Lock()
	if b.inGate != nil {
		e.Tool, e.CallID = b.inGate.tool, b.inGate.callID
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
			b.inGate, b.exchangeSeen = &gateCall{s.Tool, s.CallID}, false
			b.mu.Unlock()
			allowed := s.Allowed
			e.Kind, e.Capability, e.Allowed, e.Reason, e.JITAvailable = KindCapabilityCheck, s.Capability, &allowed, s.Reason, s.JITAvailable
		case tools.StepExchange:
			b.mu.Lock()
			seen := b.exchangeSeen
			b.exchangeSeen = false
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
			b.inGate = nil
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
