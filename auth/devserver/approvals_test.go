package devserver

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestApprovalApprovedByTheOperator(t *testing.T) {
	s, clock := startTest(t, nil)
	agent := tokenFor(t, s, "research-analyst")
	op := tokenFor(t, s, "operator")
	created := callJSON(t, "POST", api(s)+"/agents/me/approvals", agent, map[string]any{"task_id": "wire-001",
		"reason": "Wire $4,500 to vendor INV-7741", "impact": "high", "on_behalf_of": "ada@acme.example",
		"meta": map[string]any{"amount": 4500}})
	token := created.str("approval_token")
	if created.status != 201 || !strings.HasPrefix(token, "apr_") || created.str("status") != "pending" || created.str("impact") != "high" ||
		created.str("task_id") != "wire-001" || created.str("expires_at") != "2026-11-27T12:02:00Z" || created.body["approved_by"] != nil {
		t.Fatalf("create = %d %v", created.status, created.body)
	}
	// The agent may not decide, nor list; the operator lists it with what it asks.
	wantError(t, callJSON(t, "GET", api(s)+"/approvals/pending", agent, nil), 403, "access_denied", "jit.approve")
	wantError(t, callJSON(t, "POST", api(s)+"/approvals/approve/"+token, agent, nil), 403, "access_denied", "jit.approve")
	list := callJSON(t, "GET", legacyAPI(s)+"/approvals/pending", op, nil)
	items, _ := list.body["approvals"].([]any)
	if list.status != 200 || list.num("count") != 1 || len(items) != 1 {
		t.Fatalf("pending = %d %v", list.status, list.body)
	}
	item := items[0].(map[string]any)
	if item["approval_token"] != token || item["agent"] != "research-analyst" || item["agent_name"] != "Research Analyst" ||
		item["reason"] != "Wire $4,500 to vendor INV-7741" || item["on_behalf_of"] != "ada@acme.example" {
		t.Errorf("pending item = %v", item)
	}

	clock.Advance(30 * time.Second)
	dec := callJSON(t, "POST", api(s)+"/approvals/approve/"+token, op, map[string]any{"notes": "vendor verified"})
	by, _ := dec.body["approved_by"].(map[string]any)
	if dec.status != 200 || dec.str("status") != "approved" || by["user_id"] != "usr_51b0e9a7d2c4" ||
		by["email"] != "security@acme-corp.example" || dec.str("responded_at") != "2026-11-27T12:00:30Z" || dec.str("review_notes") != "vendor verified" {
		t.Fatalf("approve = %d %v", dec.status, dec.body)
	}
	st := callJSON(t, "GET", api(s)+"/agents/me/approvals/"+token+"/status", agent, nil)
	if st.status != 200 || st.str("status") != "approved" || st.str("approval_token") != token {
		t.Fatalf("status = %d %v", st.status, st.body)
	}
	wantError(t, callJSON(t, "POST", api(s)+"/approvals/deny/"+token, op, nil), 409, "invalid_request", "approved")
	if l := callJSON(t, "GET", api(s)+"/approvals/pending", op, nil); l.num("count") != 0 {
		t.Errorf("decided approval still pending: %v", l.body)
	}
	// Another agent cannot read it.
	wantError(t, callJSON(t, "GET", api(s)+"/agents/me/approvals/"+token+"/status", tokenFor(t, s, "junior-analyst"), nil), 404, "not_found")
}

func TestApprovalDeniedOrExpired(t *testing.T) {
	s, clock := startTest(t, nil)
	agent := tokenFor(t, s, "junior-analyst")
	op := tokenFor(t, s, "operator")
	ask := func() string {
		r := callJSON(t, "POST", api(s)+"/agents/me/approvals", agent, map[string]any{"task_id": "t", "reason": "delete the draft"})
		if r.status != 201 || r.str("impact") != "medium" {
			t.Fatalf("create = %d %v", r.status, r.body)
		}
		return r.str("approval_token")
	}
	denied := ask()
	if d := callJSON(t, "POST", api(s)+"/approvals/deny/"+denied, op, nil); d.str("status") != "denied" || d.body["approved_by"] != nil ||
		d.str("reviewed_by") != "operator" || !strings.Contains(d.str("review_notes"), "denied by operator") {
		t.Fatalf("deny = %d %v", d.status, d.body)
	}
	late := ask()
	clock.Advance(2*time.Minute + time.Second)
	if st := callJSON(t, "GET", api(s)+"/agents/me/approvals/"+late+"/status", agent, nil); st.str("status") != "expired" {
		t.Fatalf("after the TTL: %v", st.body)
	}
	wantError(t, callJSON(t, "POST", api(s)+"/approvals/approve/"+late, op, nil), 409, "invalid_request", "expired")

	for body, mention := range map[string]string{`{"reason":"x"}`: "task_id", `{"task_id":"t"}`: "reason",
		`{"task_id":"t","reason":"x","impact":"extreme"}`: "impact", `[1]`: "JSON object"} {
		r := callJSON(t, "POST", api(s)+"/agents/me/approvals", agent, json.RawMessage(body))
		wantError(t, r, 400, "invalid_request", mention)
	}
}

func TestJITPendingListsWhatTheOperatorMustDecide(t *testing.T) {
	s, _ := startTest(t, nil)
	_, _, req := jitSetup(t, s, "junior-analyst", "mcp:financial", 120)
	jitSetup(t, s, "research-analyst", "read:documents", 0) // low risk: approved at once, not pending
	op := tokenFor(t, s, "operator")
	wantError(t, callJSON(t, "GET", api(s)+"/jit/pending", tokenFor(t, s, "research-analyst"), nil), 403, "access_denied", "jit.approve")
	for _, base := range []string{api(s), legacyAPI(s)} {
		r := callJSON(t, "GET", base+"/jit/pending", op, nil)
		a, _ := r.body["pending_requests"].([]any)
		b, _ := r.body["requests"].([]any)
		if r.status != 200 || r.num("count") != 1 || len(a) != 1 || len(b) != 1 {
			t.Fatalf("pending = %d %v", r.status, r.body)
		}
		item := a[0].(map[string]any)
		details, _ := item["authorization_details"].(map[string]any)
		if item["request_id"] != req.str("request_id") || item["status"] != "pending" || item["risk_level"] != "high" ||
			item["agent"] != "junior-analyst" || item["justification"] != "quarterly numbers" || item["requested_ttl"] != 120.0 ||
			details["type"] != "agent_capability" || item["status_url"] != base+"/jit/request/"+req.str("request_id")+"/status" {
			t.Errorf("pending item = %v", item)
		}
	}
}

func TestJITEvaluateClosesTheTask(t *testing.T) {
	s, _ := startTest(t, nil)
	tok, taskID, req := jitSetup(t, s, "research-analyst", "read:documents", 0)
	jitTok := callJSON(t, "POST", api(s)+"/jit/request/"+req.str("request_id")+"/token", tok, nil).str("access_token")
	wantError(t, callJSON(t, "POST", api(s)+"/jit/task/"+taskID+"/evaluate", tok, map[string]any{"result": "great"}), 400, "invalid_request", "completed, failed or cancelled")
	wantError(t, callJSON(t, "POST", api(s)+"/jit/task/"+taskID+"/evaluate", tokenFor(t, s, "junior-analyst"), nil), 404, "not_found")
	r := callJSON(t, "POST", legacyAPI(s)+"/jit/task/"+taskID+"/evaluate", tok, map[string]any{"result": "failed", "notes": "source missing"})
	if r.status != 200 || r.str("result") != "failed" || r.str("notes") != "source missing" || r.num("revoked_grants") != 1 || r.str("status") != "evaluated" {
		t.Fatalf("evaluate = %d %v", r.status, r.body)
	}
	wantError(t, callJSON(t, "GET", api(s)+"/oauth/userinfo", jitTok, nil), 401, "invalid_token", "complete")
	// A supervisor may evaluate it too, after the fact.
	if r := callJSON(t, "POST", api(s)+"/jit/task/"+taskID+"/evaluate", tokenFor(t, s, "operator"), nil); r.status != 200 || r.str("result") != "completed" {
		t.Errorf("supervisor evaluate = %d %v", r.status, r.body)
	}
}

// A JIT grant naming the resource (identifier) is a token the resource accepts directly.
func TestJITTokenForANamedResource(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "junior-analyst")
	task := callJSON(t, "POST", api(s)+"/jit/task", tok, nil).str("task_id")
	req := callJSON(t, "POST", api(s)+"/jit/request", tok, map[string]any{"task_id": task,
		"authorization_details": map[string]any{"type": "agent_capability", "actions": []string{"mcp:financial"}, "identifier": "urn:mcp:financial-data"}})
	id := req.str("request_id")
	if r := callJSON(t, "POST", api(s)+"/jit/approve/"+id, tokenFor(t, s, "operator"), nil); r.str("status") != "approved" {
		t.Fatalf("approve = %v", r.body)
	}
	got := callJSON(t, "POST", api(s)+"/jit/request/"+id+"/token", tok, nil)
	_, c := verifyWithJWKS(t, s, got.str("access_token"))
	if !slices.Equal([]string(c.Audience), []string{s.Issuer(), "urn:mcp:financial-data"}) || got.str("scope") != "mcp:financial financial:read" {
		t.Errorf("aud %v scope %q", c.Audience, got.str("scope"))
	}
}

func TestRegisterRecordsButNeverGrants(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "junior-analyst")
	r := callJSON(t, "POST", api(s)+"/agents/register", tok, map[string]any{"client_id": "junior-analyst", "name": "Junior Analyst v2",
		"description": "drafts summaries", "capabilities": []string{"read:documents", "mcp:financial"}, "jwks_uri": "https://agent.example/jwks.json"})
	granted, _ := r.body["capabilities"].([]any)
	declared, _ := r.body["declared_capabilities"].([]any)
	if r.status != 201 || r.str("agent_id") != "agt_2c81d07b5e6a" || r.str("client_id") != "junior-analyst" || r.str("name") != "Junior Analyst v2" ||
		r.str("status") != "active" || len(granted) != 1 || len(declared) != 2 {
		t.Fatalf("register = %d %v", r.status, r.body)
	}
	if again := callJSON(t, "POST", legacyAPI(s)+"/agents/register", tok, map[string]any{"name": "Junior Analyst"}); again.status != 200 {
		t.Errorf("update = %d %v", again.status, again.body)
	}
	// Declaring a capability does not grant it.
	wantError(t, exchange(t, s, tok, "urn:mcp:financial-data"), 403, "delegation_not_allowed")
	wantError(t, callJSON(t, "POST", api(s)+"/agents/register", tok, map[string]any{"client_id": "research-analyst", "name": "x"}), 403, "access_denied", "only itself")
	wantError(t, callJSON(t, "POST", api(s)+"/agents/register", tok, map[string]any{"client_id": "junior-analyst"}), 400, "invalid_request", "name")
	wantError(t, callJSON(t, "POST", api(s)+"/agents/register", tok, map[string]any{"name": "x", "jwks_uri": "file:///etc/passwd"}), 400, "invalid_request", "jwks_uri")
}
