package session

import (
	"context"
	"fmt"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/tools"
)

// JITReporter turns the JIT flow's reports into jit.* events: request, pending with its
// deadline, the decision with the granted TTL or the reason and the reviewer's notes, and
// the task's completion.
func (b *Bus) JITReporter() func(tools.JITReport) {
	return func(r tools.JITReport) {
		e := Event{Tool: r.Tool, CallID: r.CallID, Capability: r.Capability, RequestID: r.RequestID, Risk: r.Risk,
			Reason: r.Notes, Status: Status(r.Stage), Err: errorInfo(r.Err)}
		switch r.Stage {
		case tools.JITStageRequested:
			e.Kind, e.Text = KindJITRequested, r.Justification
		case tools.JITStagePending:
			e.Kind, e.Deadline = KindJITPending, r.Deadline
			e.Text = fmt.Sprintf("risk %s: waiting for a human decision until %s", r.Risk, numfmt.TimeOfDay(r.Deadline))
		case tools.JITStageApproved:
			e.Kind, e.TTL, e.Deadline, e.Approver = KindJITApproved, r.TTL, r.Deadline, r.Approver
			e.Text = fmt.Sprintf("%s granted for %s", r.Capability, numfmt.Duration(r.TTL))
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
