package devserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
)

func contractJITRoutes(t *testing.T, s *devserver.Server, c *sdkClient) {
	agent := token(t, s, c, "junior-analyst")
	op := token(t, s, c, "operator")
	// jit.task.create: sdk-python resources/jit.py create_task (31-46), body {name, type, on_behalf_of}.
	status, body := c.call("jit.createTask", "POST", "/jit/task", agent, map[string]any{"name": "Analyse Q4 report", "type": "analysis", "on_behalf_of": "ada@acme.example"})
	task := asGo[goJitTask](t, "jit.task", body)
	if status/100 != 2 || task.TaskID == "" || task.ExpiresAt == "" {
		t.Fatalf("task = %d %s", status, body)
	}
	// jit.request.create: resources/jit.py request (71-87), authorization_details one object.
	status, body = c.call("jit.request", "POST", "/jit/request", agent, map[string]any{"task_id": task.TaskID,
		"authorization_details": map[string]any{"type": "agent_capability", "actions": []string{"mcp:financial"}},
		"requested_ttl":         300, "justification": "User asked: 'What was EBITDA in Q3?'"})
	req := asGo[goJitRequest](t, "jit.request", body)
	if status/100 != 2 || req.Status != "pending" || req.RiskLevel != "high" || req.StatusURL == "" {
		t.Fatalf("request = %d %s", status, body)
	}
	// jit.pending for the reviewer. Readers: resources/jit.py pending (101-106) takes
	// data.get("requests"); lumo-auth-go resource_jit.go Pending (178-197) an array or
	// {requests} of JitRequest (authorization_details an object); the OpenAPI spec
	// {pending_requests, count}; sdk-js modules/jit.ts listPendingRequests an array or {requests}.
	status, body = c.call("jit.pending", "GET", "/jit/pending", op, nil)
	d := asDict(t, "jit.pending", body)
	env := asGo[struct {
		Requests        []goJitRequest `json:"requests"`
		PendingRequests []goJitRequest `json:"pending_requests"`
		Count           int            `json:"count"`
	}](t, "jit.pending", body)
	if status != 200 || len(env.Requests) != 1 || len(env.PendingRequests) != 1 || env.Count != 1 ||
		env.Requests[0].RequestID != req.RequestID || env.Requests[0].AuthorizationDetails["type"] != "agent_capability" {
		t.Errorf("pending = %d %s", status, body)
	}
	if _, ok := d["requests"].([]any); !ok {
		t.Errorf("pending requests = %T", d["requests"])
	}
	status, body = c.call("jit.pending", "GET", "/jit/pending", agent, nil)
	sdkError(t, "jit.pending without jit.approve", status, body, http.StatusForbidden, "jit.approve")

	if status, body := c.call("jit.approve", "POST", "/jit/approve/"+req.RequestID, op, map[string]any{"ttl": 120}); status != 200 {
		t.Fatalf("approve = %d %s", status, body)
	}
	// jit.request.status: resources/jit.py get_status (89-93); JITContext._poll_status fetches
	// status_url, absolute or relative to base_url.
	statusURL := req.StatusURL
	if !strings.HasPrefix(statusURL, "http") {
		statusURL = s.URL() + statusURL
	}
	status, body = c.call("jit.requestStatus", "GET", statusURL, agent, nil)
	st := asGo[goJitRequest](t, "jit.status", body)
	if status != 200 || st.Status != "approved" || st.TokenURL == "" {
		t.Fatalf("status = %d %s", status, body)
	}
	// jit.request.token: resources/jit.py get_token (95-99), POST without a body.
	status, body = c.call("jit.token", "POST", "/jit/request/"+req.RequestID+"/token", agent, nil)
	if tok := asGo[goTokenResponse](t, "jit.token", body); status != 200 || tok.AccessToken == "" || tok.ExpiresIn != 120 {
		t.Errorf("token = %d %s", status, body)
	}
	// jit.task.evaluate: resources/jit.py evaluate_task (54-67), body {result, notes}; the Go
	// SDK decodes map[string]any (resource_jit.go EvaluateTask, 77-97).
	status, body = c.call("jit.evaluateTask", "POST", "/jit/task/"+task.TaskID+"/evaluate", agent, map[string]any{"result": "completed", "notes": "done"})
	if ev := asGo[map[string]any](t, "jit.evaluate", body); status != 200 || ev["result"] != "completed" {
		t.Errorf("evaluate = %d %s", status, body)
	}
	// jit.task.complete: resources/jit.py complete_task (48-52), POST without a body; the Go
	// SDK (resource_jit.go CompleteTask, 59-64) only needs a 2xx.
	_, body = c.call("jit.createTask", "POST", "/jit/task", agent, map[string]any{})
	second := asGo[goJitTask](t, "jit.task", body)
	if status, body := c.call("jit.completeTask", "POST", "/jit/task/"+second.TaskID+"/complete", agent, nil); status != 200 {
		t.Errorf("complete = %d %s", status, body)
	}
}

func contractApprovalRoutes(t *testing.T, s *devserver.Server, c *sdkClient) {
	agent := token(t, s, c, "research-analyst")
	op := token(t, s, c, "operator")
	// approvals.create: sdk-python approval.py require_approval (52-118: body at 80-92,
	// created["approval_token"] at 94); resources/approvals.py create (26-51); sdk-js
	// modules/approvals.ts require (CreateResponse).
	status, body := c.call("approvals.create", "POST", "/agents/me/approvals", agent, map[string]any{"task_id": "wire-2026-05-07-001",
		"reason": "Wire $4,500 to vendor INV-7741", "impact": "high", "on_behalf_of": "ada@acme.com",
		"meta": map[string]any{"action": "wire-transfer", "amount": 4500}})
	created := asDict(t, "approvals.create", body)
	tokenID := created.str(t, "approval_token")
	for _, k := range []string{"status", "expires_at", "task_id", "impact"} {
		created.str(t, k)
	}
	if g := asGo[goApprovalResult](t, "approvals.create", body); status/100 != 2 || g.Token != tokenID || g.Status != "pending" {
		t.Errorf("create = %d %s", status, body)
	}
	// approvals.status: resources/approvals.py get_status (53-55); approval.py reads status,
	// approval_token, task_id, impact, reason, responded_at, approved_by (110-118).
	check := func(wantStatus string) goApprovalResult {
		status, body := c.call("approvals.status", "GET", "/agents/me/approvals/"+tokenID+"/status", agent, nil)
		d := asDict(t, "approvals.status", body)
		for _, k := range []string{"approval_token", "task_id", "impact", "reason"} {
			d.str(t, k)
		}
		d.strOrNull(t, "responded_at")
		if by, present := d["approved_by"]; !present {
			t.Error("approved_by is missing (the SDKs read it, null until approved)")
		} else if _, isMap := by.(map[string]any); by != nil && !isMap {
			t.Errorf("approved_by = %T", by)
		}
		g := asGo[goApprovalResult](t, "approvals.status", body)
		if status != 200 || g.Status != wantStatus {
			t.Errorf("status = %d %s, want %s", status, body, wantStatus)
		}
		return g
	}
	check("pending")
	if status, body := c.call("approvals.approve", "POST", "/approvals/approve/"+tokenID, op, map[string]any{"notes": "ok"}); status != 200 {
		t.Fatalf("approve = %d %s", status, body)
	}
	if g := check("approved"); g.ApprovedBy == nil || g.ApprovedBy.UserID == "" || g.RespondedAt == "" {
		t.Errorf("approved_by = %+v, responded_at %q", g.ApprovedBy, g.RespondedAt)
	}
}

func contractRevokeAndAuthorize(t *testing.T, s *devserver.Server, c *sdkClient) {
	id, secret, _ := s.Credentials("research-analyst")
	agent := token(t, s, c, "research-analyst")
	// oauth.revoke: sdk-python resources/auth.py revoke (146-162): a form with token and
	// optional hint and client credentials, no bearer; the answer may be empty.
	status, body := c.form("oauth.revoke", "/oauth/revoke", url.Values{"token": {agent}, "token_type_hint": {"access_token"},
		"client_id": {id}, "client_secret": {secret}})
	if status != 200 || len(strings.TrimSpace(string(body))) != 0 {
		t.Errorf("revoke = %d %q", status, body)
	}
	status, body = c.call("oauth.userinfo", "GET", "/oauth/userinfo", agent, nil)
	sdkError(t, "revoked token", status, body, http.StatusUnauthorized, "revoked")
	// sdk-js modules/auth.ts revokeToken: the token alone in the form.
	if status, body := c.form("oauth.revoke", "/oauth/revoke", url.Values{"token": {token(t, s, c, "research-analyst")}}); status != 200 {
		t.Errorf("public revoke = %d %s", status, body)
	}
	// oauth.authorize: resources/auth.py authorization_url (28-62) builds a browser URL; this
	// server has no sign-in and says so.
	q := url.Values{"response_type": {"code"}, "client_id": {id}, "redirect_uri": {"http://localhost/cb"}, "scope": {"openid profile email"}}
	status, body = c.call("oauth.authorize", "GET", "/oauth/authorize?"+q.Encode(), "", nil)
	sdkError(t, "oauth.authorize", status, body, http.StatusBadRequest, "client_credentials")
}
