package ui

import (
	"time"

	"github.com/lumodash/lumodash/ui/dialog"
)

// openJITDialog shows a JIT question from the runner. The answer goes back on the message's
// reply channel, which has room for it, so answering never blocks Update.
func (m *Model) openJITDialog(msg jitAskMsg) {
	reviewer := ""
	if m.opts.Escalation != nil {
		reviewer = m.opts.Escalation.Reviewer
	}
	reply := msg.reply
	answered := false
	d := dialog.NewJIT(msg.q, msg.review, reviewer, func() time.Time { return m.ctx.Now() }, func(ok bool, grant time.Duration) {
		if !answered {
			answered = true
			reply <- jitAnswer{ok: ok, grant: grant}
		}
	})
	m.dialogs = append(m.dialogs, d)
}

// closeJITDialogs drops the JIT dialogs about requestID ("" = all of them): the request was
// decided, expired or its turn ended, so nobody waits for the answer any more.
func (m *Model) closeJITDialogs(requestID string) {
	kept := m.dialogs[:0]
	for _, d := range m.dialogs {
		if j, ok := d.(*dialog.JIT); ok && (requestID == "" || j.RequestID() == requestID) {
			continue
		}
		kept = append(kept, d)
	}
	m.dialogs = kept
}
