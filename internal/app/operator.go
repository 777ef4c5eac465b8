package app

import (
	"cmp"
	"context"
	"errors"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/ui/dialog"
)

// dashboardOperator is the embedded server's seeded operator as the dashboard's waiting list
// (ui.Operator): GET jit/pending and approvals/pending, and the approval decisions.
type dashboardOperator struct{ agent *auth.Agent }

// newDashboardOperator signs in as the operator with a hook that passes only its JIT and
// approval calls to hook, so that they show in the gate log while the operator's own token
// and userinfo never replace the agent's on screen. nil when the world has no operator.
func (w *World) newDashboardOperator(hook auth.Hook) *dashboardOperator {
	if !w.Auth.Embedded || w.Auth.Dev == nil {
		return nil
	}
	if _, _, ok := w.Auth.Dev.Credentials(operatorClient); !ok {
		return nil
	}
	op, err := w.Auth.NewAgent(operatorClient, func(r auth.Report) {
		switch r.Kind {
		case auth.ReportApproval, auth.ReportJITStatus:
			if hook != nil {
				hook(r)
			}
		}
	})
	if err != nil {
		return nil
	}
	return &dashboardOperator{agent: op}
}

// Pending implements ui.Operator: JIT requests first, then approvals, each oldest first.
func (o *dashboardOperator) Pending(ctx context.Context) ([]dialog.PendingItem, error) {
	jits, jerr := o.agent.PendingJIT(ctx)
	approvals, aerr := o.agent.PendingApprovals(ctx)
	var items []dialog.PendingItem
	for _, j := range jits {
		items = append(items, dialog.PendingItem{Kind: dialog.PendingJIT, ID: j.RequestID, Agent: cmp.Or(j.AgentName, j.Agent),
			What: j.Capability, Level: j.RiskLevel, TaskID: j.TaskID, Detail: j.Justification, Expires: j.ExpiresAt})
	}
	for _, a := range approvals {
		items = append(items, dialog.PendingItem{Kind: dialog.PendingApproval, ID: a.Token, Agent: cmp.Or(a.AgentName, a.Agent),
			What: a.Reason, Level: a.Impact, TaskID: a.TaskID, Detail: a.OnBehalfOf, Expires: a.ExpiresAt})
	}
	return items, errors.Join(jerr, aerr)
}

// DecideApproval implements ui.Operator.
func (o *dashboardOperator) DecideApproval(ctx context.Context, token string, approve bool, notes string) error {
	var err error
	if approve {
		_, err = o.agent.ApproveAction(ctx, token, cmp.Or(notes, "approved by the operator in lumodash"))
	} else {
		_, err = o.agent.DenyAction(ctx, token, cmp.Or(notes, "denied by the operator in lumodash"))
	}
	return err
}
