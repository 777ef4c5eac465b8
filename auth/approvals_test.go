package auth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
)

// The dashboard's side of push approvals: the operator lists what agents ask and decides.
func TestApprovalsListedAndDecidedByTheOperator(t *testing.T) {
	s, c := startDev(t)
	ctx := context.Background()
	var mu sync.Mutex
	var reports []auth.Report
	agent := agentFor(t, s, c, "research-analyst", false)
	op := agentFor(t, s, c, "operator", true, auth.WithHook(func(r auth.Report) { mu.Lock(); reports = append(reports, r); mu.Unlock() }))

	asked, err := agent.RequestApproval(ctx, auth.ApprovalRequest{TaskID: "wire-7741", Reason: "Wire $4,500 to vendor INV-7741",
		Impact: "high", OnBehalfOf: "ada@acme.example", Meta: map[string]any{"amount": 4500}})
	if err != nil || asked.Status != auth.ApprovalPending || asked.Token == "" || !asked.ExpiresAt.Equal(c.Now().Add(2*time.Minute)) {
		t.Fatalf("request = %+v, %v", asked, err)
	}
	second, _ := agent.RequestApproval(ctx, auth.ApprovalRequest{TaskID: "t2", Reason: "email the customer list"})

	pending, err := op.PendingApprovals(ctx)
	if err != nil || len(pending) != 2 || pending[0].Token != asked.Token || pending[0].AgentName != "Research Analyst" ||
		pending[0].Reason != asked.Reason || pending[0].Impact != "high" || pending[1].Impact != "medium" || pending[0].Meta["amount"] != 4500.0 {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	c.Advance(20 * time.Second)
	got, err := op.ApproveAction(ctx, asked.Token, "vendor verified")
	if err != nil || got.Status != auth.ApprovalApproved || got.ApprovedBy == nil || got.ApprovedBy.UserID != "usr_51b0e9a7d2c4" ||
		got.ApprovedBy.Email != "security@acme-corp.example" || !got.RespondedAt.Equal(c.Now()) || got.ReviewNotes != "vendor verified" {
		t.Fatalf("approve = %+v, %v", got, err)
	}
	denied, err := op.DenyAction(ctx, second.Token, "")
	if err != nil || denied.Status != auth.ApprovalDenied || denied.ApprovedBy != nil || denied.ReviewedBy != "operator" {
		t.Fatalf("deny = %+v, %v", denied, err)
	}
	if st, err := agent.ApprovalStatus(ctx, asked.Token); err != nil || st.Status != auth.ApprovalApproved {
		t.Errorf("status = %+v, %v", st, err)
	}
	// A decided approval cannot be decided again; an agent cannot decide at all.
	if _, err := op.DenyAction(ctx, asked.Token, ""); oauthErr(t, err).Status != http.StatusConflict {
		t.Errorf("second decision: %v", err)
	}
	if _, err := agent.PendingApprovals(ctx); oauthErr(t, err).Code != "access_denied" {
		t.Errorf("agent lists approvals: %v", err)
	}
	if _, err := agent.RequestApproval(ctx, auth.ApprovalRequest{TaskID: "t"}); oauthErr(t, err).Code != "invalid_request" {
		t.Errorf("no reason: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	var approvals []auth.Report
	for _, r := range reports {
		if r.Kind == auth.ReportApproval {
			approvals = append(approvals, r)
		}
	}
	if len(approvals) != 4 || approvals[0].Endpoint != "/orgs/acme-corp/api/v1/approvals/pending" || approvals[0].Detail != "2 pending" ||
		approvals[1].Detail != "decided · approved" || approvals[3].Err == nil {
		t.Errorf("approval reports = %+v", approvals)
	}
}

func TestPendingJITListsWhatTheOperatorMustDecide(t *testing.T) {
	s, c := startDev(t)
	ctx := context.Background()
	junior := agentFor(t, s, c, "junior-analyst", true)
	op := agentFor(t, s, c, "operator", false)
	task, err := junior.CreateJITTask(ctx, "board pack", "")
	if err != nil {
		t.Fatal(err)
	}
	req, err := junior.RequestJIT(ctx, auth.JITRequest{TaskID: task.ID, Justification: "Q3 EBITDA",
		AuthorizationDetails: auth.AuthorizationDetails{Type: "agent_capability", Actions: []string{"mcp:financial"}}, RequestedTTL: 3 * time.Minute})
	if err != nil || req.Status != auth.JITPending {
		t.Fatalf("request = %+v, %v", req, err)
	}
	list, err := op.PendingJIT(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("pending = %+v, %v", list, err)
	}
	p := list[0]
	if p.RequestID != req.RequestID || p.Status != auth.JITPending || p.RiskLevel != "high" || p.Agent != "junior-analyst" ||
		p.Capability != "mcp:financial" || p.Justification != "Q3 EBITDA" || p.RequestedTTL != 3*time.Minute ||
		p.Details.Actions[0] != "mcp:financial" || p.TaskID != task.ID || !p.ExpiresAt.Equal(c.Now().Add(10*time.Minute)) {
		t.Errorf("pending item = %+v", p)
	}
	if err := op.ApproveJIT(ctx, p.RequestID, 0, ""); err != nil {
		t.Fatal(err)
	}
	if list, err := op.PendingJIT(ctx); err != nil || len(list) != 0 {
		t.Errorf("after approval: %+v, %v", list, err)
	}
}

// Every shape the readers of jit/pending accept is read.
func TestPendingJITShapes(t *testing.T) {
	item := `{"request_id":"jit_1","status":"pending","risk_level":"high","authorization_details":[{"type":"x","actions":["a"]}]}`
	for name, body := range map[string]string{"array": "[" + item + "]", "requests": `{"requests":[` + item + `]}`,
		"pending_requests (OpenAPI)": `{"pending_requests":[` + item + `],"count":1}`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			if r.URL.Path == "/orgs/o/api/v1/oauth/token" {
				_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok", "expires_in": 3600})
				return
			}
			_, _ = w.Write([]byte(body))
		}))
		a, _ := auth.New(auth.Config{BaseURL: srv.URL, OrgID: "o", ClientID: "c", ClientSecret: "s"})
		list, err := a.PendingJIT(context.Background())
		if err != nil || len(list) != 1 || list[0].RequestID != "jit_1" || list[0].Details.Type != "x" {
			t.Errorf("%s: %+v, %v", name, list, err)
		}
		srv.Close()
	}
}
