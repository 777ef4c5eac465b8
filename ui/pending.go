package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/dialog"
)

// operatorTimeout bounds one call of the operator to the embedded server.
const operatorTimeout = 10 * time.Second

// pendingReadMsg is the operator's list, read in a command.
type pendingReadMsg struct {
	items []dialog.PendingItem
	err   error
}

// approvalDecidedMsg is the answer to a decision sent in a command.
type approvalDecidedMsg struct {
	msg dialog.DecideApprovalMsg
	err error
}

// openPending shows what waits for the operator (key p) and reads it.
func (m *Model) openPending() tea.Cmd {
	if m.opts.Operator == nil {
		m.conv.Note(present.Warn, "nothing to list: the waiting list is the embedded server's operator's (a real LumoAuth's approvers decide in LumoAuth)")
		return nil
	}
	reviewer := ""
	if m.opts.Escalation != nil {
		reviewer = m.opts.Escalation.Reviewer
	}
	d := &dialog.Pending{Loading: true, Reviewer: reviewer}
	d.OpenApproval = func(it dialog.PendingItem) tea.Cmd {
		m.openApproval(it)
		return nil
	}
	m.dialogs = append(m.dialogs, d)
	return m.readPending()
}

// openApproval shows the approval dialog for it (from the waiting list, or asked for by an
// agent of this dashboard), unless one for the same approval is open.
func (m *Model) openApproval(it dialog.PendingItem) {
	for _, d := range m.dialogs {
		if a, ok := d.(*dialog.Approval); ok && a.Item.ID == it.ID {
			return
		}
	}
	reviewer := ""
	if m.opts.Escalation != nil {
		reviewer = m.opts.Escalation.Reviewer
	}
	m.dialogs = append(m.dialogs, dialog.NewApproval(it, reviewer, func() time.Time { return m.ctx.Now() }))
}

func (m *Model) readPending() tea.Cmd {
	op := m.opts.Operator
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), operatorTimeout)
		defer cancel()
		items, err := op.Pending(ctx)
		return pendingReadMsg{items: items, err: err}
	}
}

// pendingDialog is the open waiting list, if any.
func (m *Model) pendingDialog() *dialog.Pending {
	for _, d := range m.dialogs {
		if p, ok := d.(*dialog.Pending); ok {
			return p
		}
	}
	return nil
}

func (m *Model) onPendingRead(msg pendingReadMsg) {
	p := m.pendingDialog()
	if p == nil {
		return
	}
	if msg.err != nil {
		p.SetItems(nil, msg.err.Error())
		return
	}
	p.SetItems(msg.items, "")
}

func (m *Model) decideApproval(d dialog.DecideApprovalMsg) tea.Cmd {
	op := m.opts.Operator
	if op == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), operatorTimeout)
		defer cancel()
		return approvalDecidedMsg{msg: d, err: op.DecideApproval(ctx, d.Token, d.Approve, d.Notes)}
	}
}

// onApprovalDecided says what became of the decision and refreshes an open list.
func (m *Model) onApprovalDecided(r approvalDecidedMsg) tea.Cmd {
	verb := "denied"
	if r.msg.Approve {
		verb = "approved"
	}
	if r.err != nil {
		m.conv.Note(present.Error, "the approval was not "+verb+": "+safetext.Line(r.err.Error()))
	} else {
		m.conv.Note(present.OK, "approval "+verb+" as the operator")
	}
	if m.pendingDialog() != nil {
		return m.readPending()
	}
	return nil
}
