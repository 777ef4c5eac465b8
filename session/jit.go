package session

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lumodash/lumodash/tools"
)

// JITReporter turns the JIT flow's reports into jit.* events: request, pending with its
// deadline, the decision with the granted TTL or the reason and the reviewer's notes, and
// the task's completion.
func (b *Bus) JITReporter() func(tools.JITReport) {
	return func(r tools.JITReport) {
		e := Event{Tool: r.Tool, CallID: r.CallID, Capability: r.Capability, RequestID: r.RequestID, Risk: r.Risk,
			Reason: r.Notes, Status: r.Stage, Err: errorInfo(r.Err)}
		switch r.Stage {
		case tools.JITStageRequested:
			e.Kind, e.Text = KindJITRequested, r.Justification
		case tools.JITStagePending:
			e.Kind, e.Deadline = KindJITPending, r.Deadline
			e.Text = fmt.Sprintf("risk %s: waiting for a human decision until %s", r.Risk, r.Deadline.Format("15:04:05"))
		case tools.JITStageApproved:
			e.Kind, e.TTL, e.Deadline = KindJITApproved, r.TTL, r.Deadline
			e.Text = fmt.Sprintf("%s granted for %s", r.Capability, r.TTL.Round(time.Second))
		case tools.JITStageCompleted:
			e.Kind, e.Text = KindJITCompleted, r.Notes
			if r.TaskID != "" {
				e.Text = "task " + r.TaskID + ": " + r.Notes
			}
		default: // denied, expired, timeout, declined, failed
			e.Kind, e.Text = KindJITDenied, r.Notes
		}
		b.Emit(e)
	}
}

// jitText is the printer's line for the jit.* events.
func jitText(e Event) string {
	switch e.Kind {
	case KindJITRequested:
		s := fmt.Sprintf("requested %s for %s", e.Capability, e.Tool)
		if e.Risk != "" {
			s += " · risk " + e.Risk
		}
		if e.RequestID != "" {
			s += " · " + e.RequestID
		}
		if e.Text != "" {
			s += " · “" + e.Text + "”"
		}
		return s
	case KindJITApproved:
		s := "approved " + e.RequestID + " · " + e.Text
		if e.Reason != "" {
			s += " · notes: " + e.Reason
		}
		return s
	case KindJITDenied:
		return strings.TrimSpace(e.Status+" "+e.RequestID) + " · " + e.Text
	case KindJITCall:
		return e.Status + " · " + e.Endpoint + statusNote(e.HTTPStatus) + " · " + e.Text
	}
	return e.Status + " " + e.Text
}

func statusNote(code int) string {
	if code == 0 {
		return ""
	}
	return fmt.Sprintf(" → %d", code)
}

// jitCompleteTimeout bounds completing the JIT task when the session closes.
const jitCompleteTimeout = 10 * time.Second

// completeJIT completes the session's JIT task, revoking its grants. It runs on Close, also
// after a cancelled or failed request, so it uses its own context.
func (r *Runner) completeJIT() {
	if r.jit == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), jitCompleteTimeout)
	defer cancel()
	_ = r.jit.Complete(ctx) // reported as jit.completed (with the error, if any)
}

// JIT is the session's just-in-time escalation (nil when --jit off).
func (r *Runner) JIT() *tools.JIT { return r.jit }
