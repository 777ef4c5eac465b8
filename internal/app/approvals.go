package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
	"github.com/lumodash/lumodash/ui/dialog"
)

// approvalPoll is how often a waiting call reads its approval's status.
const approvalPoll = 500 * time.Millisecond

// approvalShower puts an approval in front of the person who decides it (the dashboard's
// Escalation opens the approval dialog); it returns at once.
type approvalShower interface {
	ShowApproval(item dialog.PendingItem)
}

// approvalTool is the financial MCP tool with the devserver file's approval_required rules:
// a call they mark first asks a person to approve it (POST agents/me/approvals), shows the
// approval to the operator and waits for the decision. Denied, expired or with nobody to ask,
// the call fails with why; it is never reported as done.
type approvalTool struct {
	tools.Tool
	agent *auth.Agent
	rules []devserver.ApprovalRequirement
	show  func() approvalShower // the person in the loop now (nil: nobody)
}

// withApprovals wraps t when rules are set.
func withApprovals(t tools.Tool, agent *auth.Agent, rules []devserver.ApprovalRequirement, show func() approvalShower) tools.Tool {
	if len(rules) == 0 {
		return t
	}
	return &approvalTool{Tool: t, agent: agent, rules: rules, show: show}
}

// Close closes the wrapped tool (its MCP session), as the registry closes every tool.
func (t *approvalTool) Close() error {
	tools.CloseTools([]tools.Tool{t.Tool})
	return nil
}

// rule is the first rule marking the call, if any.
func (t *approvalTool) rule(args json.RawMessage) (devserver.ApprovalRequirement, bool) {
	var a struct{ Metric, Period string }
	if json.Unmarshal(args, &a) != nil {
		return devserver.ApprovalRequirement{}, false
	}
	for _, r := range t.rules {
		if ok, _ := (financialmcp.JITRule{Metric: r.Metric, Period: r.Period}).Matches(a.Metric, a.Period); ok {
			return r, true
		}
	}
	return devserver.ApprovalRequirement{}, false
}

// Call implements tools.Tool.
func (t *approvalTool) Call(ctx context.Context, args json.RawMessage, cred *auth.Credential) (tools.Result, error) {
	r, marked := t.rule(args)
	if !marked {
		return t.Tool.Call(ctx, args, cred)
	}
	shower := t.show()
	if shower == nil {
		return tools.Result{}, fmt.Errorf("this call needs a person's approval (%s; approval_required in the devserver file) and nobody can be asked here: run it in the dashboard, where the operator decides", r.Reason)
	}
	a, err := t.agent.RequestApproval(ctx, auth.ApprovalRequest{TaskID: "lumodash " + t.Name(), Reason: r.Reason,
		Impact: cmp.Or(r.Impact, "medium"), Meta: map[string]any{"tool": t.Name(), "arguments": string(args)}})
	if err != nil {
		return tools.Result{}, fmt.Errorf("asking for approval: %w", err)
	}
	shower.ShowApproval(dialog.PendingItem{Kind: dialog.PendingApproval, ID: a.Token, Agent: cmp.Or(a.AgentName, a.Agent),
		What: a.Reason, Level: a.Impact, TaskID: a.TaskID, Detail: t.Name() + " " + safetext.Line(string(args)), Expires: a.ExpiresAt})
	tick := time.NewTicker(approvalPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return tools.Result{}, fmt.Errorf("waiting for approval: %w", ctx.Err())
		case <-tick.C:
		}
		st, err := t.agent.ApprovalStatus(ctx, a.Token)
		switch {
		case err != nil:
			return tools.Result{}, fmt.Errorf("reading the approval: %w", err)
		case st.Status == auth.ApprovalApproved:
			return t.Tool.Call(ctx, args, cred)
		case st.Status != auth.ApprovalPending:
			return tools.Result{}, fmt.Errorf("the operator's approval was not given (%s): %s", st.Status, cmp.Or(st.ReviewNotes, "no notes"))
		}
	}
}
