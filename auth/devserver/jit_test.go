package devserver

import (
	"net/url"
	"testing"
	"time"
)

// jitSetup creates a task for agent and requests capability; it returns the agent's token,
// the task id and the request answer.
func jitSetup(t *testing.T, s *Server, agent, capability string, ttl int) (string, string, reply) {
	t.Helper()
	tok := tokenFor(t, s, agent)
	task := callJSON(t, "POST", api(s)+"/jit/task", tok, map[string]any{"name": "Q3 review", "type": "analysis"})
	if task.status != 201 || task.str("task_id") == "" || task.str("caep_session_id") == "" || task.str("expires_at") != "2026-11-27T13:00:00Z" {
		t.Fatalf("jit/task = %d %v", task.status, task.body)
	}
	req := callJSON(t, "POST", api(s)+"/jit/request", tok, map[string]any{"task_id": task.str("task_id"),
		"authorization_details": map[string]any{"type": "agent_capability", "actions": []string{capability}},
		"justification":         "quarterly numbers", "requested_ttl": ttl})
	return tok, task.str("task_id"), req
}

func TestJITHighRiskNeedsOperatorAndCompletionRevokes(t *testing.T) {
	s, clock := startTest(t, nil)
	tok, taskID, req := jitSetup(t, s, "junior-analyst", "mcp:financial", 0)
	id := req.str("request_id")
	if req.status != 201 || req.str("status") != "pending" || req.str("risk_level") != "high" ||
		req.str("status_url") != api(s)+"/jit/request/"+id+"/status" {
		t.Fatalf("jit/request = %d %v", req.status, req.body)
	}
	wantError(t, callJSON(t, "POST", api(s)+"/jit/request/"+id+"/token", tok, nil), 403, "access_denied", "pending")
	wantError(t, exchange(t, s, tok, "urn:mcp:financial-data"), 403, "delegation_not_allowed", "mcp:financial")

	// Neither an agent without jit.approve nor the requester may decide.
	wantError(t, callJSON(t, "POST", api(s)+"/jit/approve/"+id, tokenFor(t, s, "research-analyst"), nil), 403, "access_denied", "jit.approve")
	op := tokenFor(t, s, "operator")
	wantError(t, callJSON(t, "POST", api(s)+"/jit/approve/"+id, op, map[string]any{"ttl": 901}), 400, "invalid_request", "ttl")
	ok := callJSON(t, "POST", api(s)+"/jit/approve/"+id, op, map[string]any{"ttl": 120, "notes": "ok for Q3"})
	if ok.status != 200 || ok.str("status") != "approved" || ok.num("granted_ttl") != 120 {
		t.Fatalf("approve = %d %v", ok.status, ok.body)
	}
	wantError(t, callJSON(t, "POST", api(s)+"/jit/deny/"+id, op, nil), 409, "invalid_request", "approved")

	st := callJSON(t, "GET", legacyAPI(s)+"/jit/request/"+id+"/status", tok, nil)
	if st.str("status") != "approved" || st.num("granted_ttl") != 120 || st.str("review_notes") != "ok for Q3" ||
		st.str("token_url") != legacyAPI(s)+"/jit/request/"+id+"/token" {
		t.Fatalf("status = %v", st.body)
	}
	jt := callJSON(t, "POST", api(s)+"/jit/request/"+id+"/token", tok, nil)
	if jt.status != 200 || jt.str("task_id") != taskID || jt.str("jit_request_id") != id || jt.num("expires_in") != 120 || jt.body["authorization_details"] == nil {
		t.Fatalf("jit token = %d %v", jt.status, jt.body)
	}
	jitTok := jt.str("access_token")
	_, claims := verifyWithJWKS(t, s, jitTok)
	if claims.JITCapability != "mcp:financial" || len(claims.AuthorizationDetails) != 1 || claims.Subject != "agent:junior-analyst" {
		t.Errorf("jit claims = %+v", claims)
	}
	x := exchange(t, s, jitTok, "urn:mcp:financial-data")
	if x.status != 200 || x.str("scope") != "financial:read" {
		t.Fatalf("exchange with the JIT grant = %d %v", x.status, x.body)
	}
	id2, secret, _ := s.Credentials("financial-mcp")
	introspect := func(token string) bool {
		r := postForm(t, api(s)+"/oauth/introspect", url.Values{"token": {token}}, []string{id2, secret})
		return r.body["active"] == true
	}
	if !introspect(jitTok) || !introspect(x.str("access_token")) {
		t.Fatal("JIT and exchanged tokens inactive before completion")
	}

	clock.Advance(10 * time.Second)
	done := callJSON(t, "POST", api(s)+"/jit/task/"+taskID+"/complete", tok, nil)
	if done.status != 200 || done.num("revoked_grants") != 1 {
		t.Fatalf("complete = %d %v", done.status, done.body)
	}
	if introspect(jitTok) || introspect(x.str("access_token")) {
		t.Error("tokens still active after the task completed")
	}
	wantError(t, exchange(t, s, jitTok, "urn:mcp:financial-data"), 400, "invalid_grant", "revoked")
	wantError(t, callJSON(t, "POST", api(s)+"/jit/request/"+id+"/token", tok, nil), 403, "access_denied", "revoked")
	if st := callJSON(t, "GET", api(s)+"/jit/request/"+id+"/status", tokenFor(t, s, "junior-analyst"), nil); st.str("status") != "revoked" {
		t.Errorf("status after completion = %v", st.body)
	}
}

func TestJITLowRiskIsAutoApprovedAndGrantLapses(t *testing.T) {
	cfg := DefaultConfig()
	cfg.JITRules = append(cfg.JITRules, JITRule{"mcp:payroll", "medium"})
	cfg.Resources = append(cfg.Resources, ResourceConfig{Audience: "urn:mcp:payroll", Capability: "mcp:payroll", Scope: "payroll:read"})
	s, clock := startTest(t, &cfg)
	tok, _, req := jitSetup(t, s, "research-analyst", "mcp:payroll", 60)
	if req.status != 201 || req.str("status") != "approved" || req.str("risk_level") != "medium" || req.num("granted_ttl") != 60 || req.str("token_url") == "" {
		t.Fatalf("medium risk request = %d %v", req.status, req.body)
	}
	jitTok := callJSON(t, "POST", api(s)+"/jit/request/"+req.str("request_id")+"/token", tok, nil).str("access_token")
	if x := exchange(t, s, jitTok, "urn:mcp:payroll"); x.status != 200 || x.num("expires_in") != 60 {
		t.Fatalf("exchange = %d %v", x.status, x.body)
	}
	// The grant covers its own capability only.
	wantError(t, exchange(t, s, tokenFor(t, s, "research-analyst"), "urn:mcp:payroll"), 403, "delegation_not_allowed", "mcp:payroll")
	clock.Advance(61 * time.Second)
	wantError(t, exchange(t, s, jitTok, "urn:mcp:payroll"), 400, "invalid_grant", "expired")
	st := callJSON(t, "GET", api(s)+"/jit/request/"+req.str("request_id")+"/status", tok, nil)
	if st.str("status") != "expired" {
		t.Errorf("status after the grant lapsed = %v", st.body)
	}
}

func TestJITDenyAndPendingExpiry(t *testing.T) {
	s, clock := startTest(t, nil)
	op := tokenFor(t, s, "operator")
	tok, _, denied := jitSetup(t, s, "junior-analyst", "mcp:financial", 300)
	d := callJSON(t, "POST", api(s)+"/jit/deny/"+denied.str("request_id"), op, map[string]any{"notes": "not this quarter"})
	if d.status != 200 || d.str("status") != "denied" || d.str("review_notes") != "not this quarter" {
		t.Fatalf("deny = %d %v", d.status, d.body)
	}
	wantError(t, callJSON(t, "POST", api(s)+"/jit/request/"+denied.str("request_id")+"/token", tok, nil), 403, "access_denied", "denied", "not this quarter")

	_, _, pending := jitSetup(t, s, "junior-analyst", "mcp:financial", 300)
	clock.Advance(10 * time.Minute)
	tok = tokenFor(t, s, "junior-analyst")
	if st := callJSON(t, "GET", api(s)+"/jit/request/"+pending.str("request_id")+"/status", tok, nil); st.str("status") != "expired" || st.str("review_notes") == "" {
		t.Errorf("status after the deadline = %v", st.body)
	}
	wantError(t, callJSON(t, "POST", api(s)+"/jit/approve/"+pending.str("request_id"), tokenFor(t, s, "operator"), nil), 409, "invalid_request", "expired")
}

func TestJITRequestErrors(t *testing.T) {
	s, _ := startTest(t, nil)
	tok, taskID, _ := jitSetup(t, s, "junior-analyst", "read:documents", 0)
	other := tokenFor(t, s, "research-analyst")
	post := func(token string, body map[string]any) reply {
		return callJSON(t, "POST", api(s)+"/jit/request", token, body)
	}
	details := map[string]any{"type": "agent_capability", "actions": []string{"mcp:financial"}}
	wantError(t, post(tok, map[string]any{"task_id": taskID, "authorization_details": details, "requested_ttl": 901}), 400, "invalid_request", "requested_ttl")
	wantError(t, post(tok, map[string]any{"task_id": taskID}), 400, "invalid_request", "authorization_details")
	wantError(t, post(tok, map[string]any{"task_id": taskID, "authorization_details": map[string]any{"type": "x", "actions": []string{"delete:everything"}}}),
		400, "invalid_authorization_details", "mcp:financial (high risk)")
	wantError(t, post(tok, map[string]any{"task_id": "task_nope", "authorization_details": details}), 404, "not_found", "task_nope")
	wantError(t, post(other, map[string]any{"task_id": taskID, "authorization_details": details}), 404, "not_found")
	wantError(t, post(tok, map[string]any{"authorization_details": details}), 400, "invalid_request", "task_id")
	// An RFC 9396 array naming the resource by identifier works too.
	arr := post(tok, map[string]any{"task_id": taskID, "authorization_details": []map[string]any{{"type": "mcp", "identifier": "urn:mcp:financial-data"}}})
	if arr.status != 201 || arr.str("risk_level") != "high" {
		t.Errorf("array details = %d %v", arr.status, arr.body)
	}
	wantError(t, callJSON(t, "GET", api(s)+"/jit/request/"+arr.str("request_id")+"/status", other, nil), 404, "not_found")
	wantError(t, callJSON(t, "POST", api(s)+"/jit/task/"+taskID+"/complete", other, nil), 404, "not_found")
	callJSON(t, "POST", api(s)+"/jit/task/"+taskID+"/complete", tok, nil)
	wantError(t, post(tok, map[string]any{"task_id": taskID, "authorization_details": details}), 400, "invalid_request", "complete")
}
