package present

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/session"
)

func jitRequested(e session.Event) string {
	s := "requested " + e.Capability + " for " + e.Tool
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
}

func jitRequestedNote(e session.Event) string {
	return fmt.Sprintf("JIT: requested %s for %s (risk %s)", e.Capability, e.Tool, cmp.Or(e.Risk, "unknown"))
}

func jitPending(e session.Event) string {
	s := strings.TrimSpace("pending "+e.RequestID) + " · " + e.Capability
	if e.Risk != "" {
		s += " · risk " + e.Risk
	}
	return s + " · decide within " + Until(e.Time, e.Deadline)
}

func jitPendingNote(e session.Event) string {
	return "JIT: " + e.Capability + " awaits a human decision"
}

// JITWaitedNote is the conversation's pending line once the request was decided (decision
// is the approval or the refusal): the wait is over, and how long it took.
func JITWaitedNote(decision session.Event) string {
	return "JIT: " + decision.Capability + " waited for a human decision: " + jitOutcome(decision)
}

func jitOutcome(e session.Event) string {
	if e.Kind == session.KindJITApproved {
		return "approved"
	}
	return cmp.Or(string(e.Status), "refused")
}

func jitApproved(e session.Event) string {
	s := strings.TrimSpace("approved "+e.RequestID) + " · " + e.Capability + " granted for " + numfmt.Duration(e.TTL)
	if e.Approver != "" {
		s += " by " + e.Approver
	}
	if e.Reason != "" {
		s += " · " + e.Reason
	}
	return s
}

func jitApprovedNote(e session.Event) string {
	s := "JIT: " + e.Capability + " granted for " + numfmt.Duration(e.TTL)
	if e.Approver != "" {
		s += " by " + e.Approver
	}
	s += "; retrying the call"
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// jitDenied leads with the refusal (denied, expired, timeout, declined or failed).
func jitDenied(e session.Event) string {
	return strings.TrimSpace(string(e.Status)+" "+e.RequestID) + " · " + cmp.Or(e.Reason, e.Text)
}

func jitDeniedNote(e session.Event) string {
	return "JIT: " + string(e.Status) + ": " + cmp.Or(e.Reason, e.Text)
}

func jitCompleted(e session.Event) string { return "completed · grants revoked" }

func jitCompletedNote(e session.Event) string {
	if e.Err == nil {
		return ""
	}
	return "JIT: completing the task failed: " + e.Err.Message
}

func jitCall(e session.Event) string { return jitCallRepeated(e, 1) }

// jitCallRepeated puts what the call was and its HTTP status first and the long path last,
// so a narrow pane still shows the answer: "status 200 · pending · risk high ×7 · GET /…".
func jitCallRepeated(e session.Event, n int) string {
	s := string(e.Status)
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(" %d", e.HTTPStatus)
	}
	s = strings.TrimSpace(s)
	if e.Text != "" {
		s += " · " + e.Text
	}
	if n > 1 {
		s += fmt.Sprintf(" ×%d", n)
	}
	if e.Endpoint != "" {
		s += " · " + e.Endpoint
	}
	return strings.TrimPrefix(s, " · ")
}
