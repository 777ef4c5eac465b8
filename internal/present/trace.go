package present

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// Trace is the story of one tool call: its steps in order (the call, the capability check,
// the JIT request and its decision, the token exchange, the MCP call, the result), each with
// its start relative to the call's and its duration, as a trace viewer shows spans.
type Trace struct {
	CallID, Tool, Args string
	Status             tools.Status // "" while the call runs
	Started            time.Time
	Total              time.Duration // from the call's start to the end of its last step
	Steps              []TraceStep
}

// TraceStep is one step of a trace.
type TraceStep struct {
	Event    session.Event
	Name     string // "check", "exchange", "MCP get_metric", "JIT pending"…
	Status   string // "allow", "DENY", "new", "ok", "approved"…
	Level    Level
	Start    time.Duration // from the call's start
	Duration time.Duration // 0: an instant
}

// InTrace reports whether e belongs to a tool call's trace: it carries the call's id.
func InTrace(e session.Event) bool { return e.CallID != "" }

// NewTrace builds the trace of the events of one call (the events carrying its call id),
// in the order they happened. A pending JIT request lasts until its decision, so the human's
// wait shows as a span.
func NewTrace(events []session.Event) Trace {
	var t Trace
	if len(events) == 0 {
		return t
	}
	events = slices.Clone(events)
	slices.SortStableFunc(events, func(a, b session.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	t.CallID = events[0].CallID
	start := func(e session.Event) time.Time { return e.Time.Add(-e.Duration) }
	t.Started = start(events[0])
	for _, e := range events {
		t.Started = minTime(t.Started, start(e))
		switch e.Kind {
		case session.KindToolCall:
			t.Tool, t.Args = e.Tool, e.Args
		case session.KindToolResult:
			t.Tool, t.Status = cmp.Or(t.Tool, e.Tool), tools.Status(e.Status)
		case session.KindCapabilityCheck:
			t.Tool = cmp.Or(t.Tool, e.Tool)
		}
	}
	for i, e := range events {
		s := TraceStep{Event: e, Name: stepName(e), Status: stepStatus(e), Level: LevelOf(e),
			Start: start(e).Sub(t.Started), Duration: e.Duration}
		if e.Kind == session.KindJITPending {
			for _, d := range events[i+1:] {
				if d.Kind == session.KindJITApproved || d.Kind == session.KindJITDenied {
					s.Duration = d.Time.Sub(e.Time)
					break
				}
			}
		}
		if e.Kind == session.KindToolResult && s.Level == Quiet {
			s.Level = ToolStatusLevel(tools.Status(e.Status))
		}
		t.Total = max(t.Total, s.Start+s.Duration)
		t.Steps = append(t.Steps, s)
	}
	return t
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// stepName is a step's name in the trace's first column.
func stepName(e session.Event) string {
	switch e.Kind {
	case session.KindToolCall:
		return "call"
	case session.KindCapabilityCheck:
		return "check"
	case session.KindTokenExchange:
		return "exchange"
	case session.KindMCPCall:
		return strings.TrimSpace("MCP " + e.Tool)
	case session.KindToolResult:
		return "result"
	case session.KindInfoRefreshed:
		return "userinfo"
	case session.KindJITRequested:
		return "JIT request"
	case session.KindJITPending:
		return "JIT pending"
	case session.KindJITApproved, session.KindJITDenied:
		return "JIT decision"
	case session.KindJITCall:
		return "JIT HTTP"
	}
	return strings.ToLower(cmp.Or(Label(e.Kind), string(e.Kind)))
}

// stepStatus is a step's outcome in a word or two.
func stepStatus(e session.Event) string {
	switch e.Kind {
	case session.KindToolCall:
		if e.Turn > 0 {
			return "model turn " + strconv.Itoa(e.Turn)
		}
		return "asked"
	case session.KindCapabilityCheck:
		return Verdict(allowed(e)) + " " + cmp.Or(e.Capability, "(none needed)")
	case session.KindTokenExchange:
		if e.Token != nil {
			return string(exchangeStatus(e)) + " · fp " + e.Token.Fingerprint
		}
		return string(exchangeStatus(e))
	case session.KindMCPCall:
		return strings.TrimSpace(string(e.Status) + " · HTTP " + httpStatus(e.HTTPStatus))
	case session.KindToolResult:
		s := ToolStatus(tools.Status(e.Status))
		if e.Count > 0 {
			s += " · " + Results(e.Count)
		}
		return s
	case session.KindJITRequested:
		return "risk " + cmp.Or(e.Risk, "unknown")
	case session.KindJITPending:
		return "waiting"
	case session.KindJITApproved:
		return "approved"
	case session.KindJITCall:
		return strings.TrimSpace(string(e.Status) + " " + httpStatus(e.HTTPStatus))
	}
	if e.HTTPStatus != 0 && e.Status == "" {
		return httpStatus(e.HTTPStatus)
	}
	return string(e.Status)
}

func httpStatus(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}

// Title is the trace's headline: "query_financial_mcp · call_1_2 · ✓ allowed · 61ms".
func (t Trace) Title() string {
	s := safetext.Line(cmp.Or(t.Tool, "tool")) + " · " + safetext.Line(t.CallID) + " · " + ToolStatus(t.Status)
	if t.Status != "" {
		s += " · " + numfmt.Duration(t.Total)
	}
	return s
}
