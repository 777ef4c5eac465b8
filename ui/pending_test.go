package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/lumodash/lumodash/ui/dialog"
)

// pendingItems: a high-risk JIT request and an agent's approval, as the operator's list reads them.
func pendingItems() []dialog.PendingItem {
	return []dialog.PendingItem{
		{Kind: dialog.PendingJIT, ID: "jit_4666279581aa", Agent: "Junior Analyst", What: "mcp:financial", Level: "high", TaskID: "task_1",
			Detail: "The analyst's tool query_financial_mcp needs 'mcp:financial' to answer: metric=EBITDA", Expires: at(1.6).Add(5 * time.Minute)},
		{Kind: dialog.PendingApproval, ID: "apr_9c1d", Agent: "Research Analyst", What: "read Acme's cash position (board-confidential)", Level: "high",
			TaskID: "lumodash query_financial_mcp", Detail: `query_financial_mcp {"metric":"cash","period":"2026-Q3"}`, Expires: at(2).Add(2 * time.Minute)},
	}
}

// listOperator is the operator's side as the dashboard sees it, answering from a list: the
// embedded server's real operator is tested end to end in internal/app
// (TestDashboardOperatorDecidesAnApproval); here the views and keys are.
type listOperator struct {
	items    []dialog.PendingItem
	err      error
	decided  chan dialog.DecideApprovalMsg
	requests int
}

func (o *listOperator) Pending(context.Context) ([]dialog.PendingItem, error) {
	o.requests++
	return o.items, o.err
}

func (o *listOperator) DecideApproval(_ context.Context, token string, approve bool, notes string) error {
	o.decided <- dialog.DecideApprovalMsg{Token: token, Approve: approve, Notes: notes}
	o.items = o.items[:1]
	return nil
}

func TestPendingAndApprovalViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, view := range []string{"list", "approval", "empty", "error"} {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], view), func(t *testing.T) {
				m := newTestModel(t, "dark", size[0], size[1], jitPendingEvents())
				m.opts.Escalation = NewEscalation("Acme Security Operator")
				m.opts.Operator = &listOperator{}
				m.openPending()
				p := m.pendingDialog()
				switch view {
				case "list":
					p.SetItems(pendingItems(), "")
				case "approval":
					p.SetItems(pendingItems(), "")
					m.openApproval(pendingItems()[1])
					m.ctx.Now = func() time.Time { return at(3).Add(time.Second) } // armed
				case "empty":
					p.SetItems(nil, "")
				case "error":
					p.SetItems(nil, "GET /orgs/acme-corp/api/v1/approvals/pending: 403 insufficient_scope: the caller lacks jit.approve")
				}
				screen := pinned(t, m)
				checkGeometry(t, screen, size[0], size[1])
				golden.RequireEqual(t, screen)
			})
		}
	}
}

// p opens the waiting list and reads it; enter on the approval opens its dialog, which
// ignores keys for a moment; n writes notes, a approves: the operator gets token and notes,
// the conversation says so and the list is read again without the approval.
func TestPendingKeyFlow(t *testing.T) {
	h := newHarness(t)
	now := at(3)
	h.m.ctx.Now = func() time.Time { return now }
	op := &listOperator{items: pendingItems(), decided: make(chan dialog.DecideApprovalMsg, 1)}
	h.m.opts.Operator = op
	h.keys("tab", "p")
	if s := h.screen(); !strings.Contains(s, "Waiting for the operator") || !strings.Contains(s, "approval high") || !strings.Contains(s, "JIT      high") {
		t.Fatalf("waiting list:\n%s", s)
	}
	h.keys("enter") // on the JIT request: decided in the session's dialog, nothing opens
	if s := h.screen(); strings.Contains(s, "Approval requested") || !strings.Contains(s, "decided in the session's review dialog") {
		t.Fatalf("enter on a JIT request:\n%s", s)
	}
	h.keys("down", "enter", "a") // the approval; a too early is ignored
	if s := h.screen(); !strings.Contains(s, "Approval requested") || !strings.Contains(s, "keys ignored for a moment") {
		t.Fatalf("approval dialog not disarmed at first:\n%s", s)
	}
	now = now.Add(2 * dialog.JITQuietPeriod)
	h.keys("n")
	h.d.Type("ok for the audit")
	h.keys("enter", "a")
	select {
	case d := <-op.decided:
		if d.Token != "apr_9c1d" || !d.Approve || d.Notes != "ok for the audit" {
			t.Errorf("decision = %+v", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no decision reached the operator")
	}
	s := h.screen()
	if !strings.Contains(s, "approval approved as the operator") || strings.Contains(s, "Approval requested") || strings.Contains(s, "approval high") {
		t.Errorf("after approving:\n%s", s)
	}
	if op.requests < 2 {
		t.Errorf("the list was read %d times, want a refresh after the decision", op.requests)
	}
	// Without an operator (a real LumoAuth) p says why there is no list.
	h.m.opts.Operator = nil
	h.keys("esc", "tab", "p")
	if s := h.screen(); !strings.Contains(s, "nothing to list") {
		t.Errorf("p without an operator:\n%s", s)
	}
}
