package devserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The official SDKs' route tables, merged: sdk-python src/lumoauth/_routes.py lines 22-76
// (ROUTES), lumo-auth-go routes.go (Routes), sdk-js packages/shared/src/routes.ts (ROUTES).
// served = part of the agent API this server offers; the rest answer a 404 saying so.
var sdkRoutes = []struct {
	name, method, path string // path after /orgs/{org}/api/v1, or absolute when it starts with //
	served             bool
}{
	{"oauth.authorize", "GET", "/oauth/authorize", true},
	{"oauth.token", "POST", "/oauth/token", true},
	{"oauth.userinfo", "GET", "/oauth/userinfo", true},
	{"oauth.revoke", "POST", "/oauth/revoke", true},
	{"oauth.logout", "GET", "/oauth/logout", false},
	{"oauth.loginJson", "POST", "/oauth/login/json", false},
	{"agents.ask", "POST", "/agents/ask", true},
	{"agents.me", "GET", "/agents/me", true},
	{"agents.register", "POST", "/agents/register", true},
	{"approvals.create", "POST", "/agents/me/approvals", true},
	{"approvals.status", "GET", "/agents/me/approvals/{token}/status", true},
	{"jit.createTask", "POST", "/jit/task", true},
	{"jit.completeTask", "POST", "/jit/task/{taskId}/complete", true},
	{"jit.evaluateTask", "POST", "/jit/task/{taskId}/evaluate", true},
	{"jit.request", "POST", "/jit/request", true},
	{"jit.requestStatus", "GET", "/jit/request/{requestId}/status", true},
	{"jit.token", "POST", "/jit/request/{requestId}/token", true},
	{"jit.pending", "GET", "/jit/pending", true},
	{"aauth.agentToken", "POST", "/aauth/agent/token", false},
	{"aauth.agentAuth", "GET", "/aauth/agent/auth", false},
	{"aauth.tokenRevoke", "POST", "/aauth/token/revoke", false},
	{"aauth.jwks", "GET", "/aauth/jwks.json", false},
	{"aauth.issuerMetadata", "GET", "/.well-known/aauth-issuer", false},
	{"aauth.agentMetadata", "GET", "/.well-known/aauth-agent", false},
	{"abac.check", "POST", "/abac/check", false},
	{"abac.checkBulk", "POST", "/abac/check-bulk", false},
	{"abac.myAttributes", "GET", "/abac/my-attributes", false},
	{"abac.setUserAttribute", "PUT", "/abac/users/{userId}/attributes/{attributeSlug}", false},
	{"abac.resourceAttributes", "GET", "/abac/resources/{resourceType}/{resourceId}/attributes", false},
	{"abac.setResourceAttribute", "PUT", "/abac/resources/{resourceType}/{resourceId}/attributes/{attributeSlug}", false},
	{"abac.attributeDefinitions", "GET", "/abac/attribute-definitions", false},
	{"permissions.check", "POST", "//api/v1/authz/check", false},
	{"permissions.checkBulk", "POST", "//api/v1/authz/check-bulk", false},
	{"permissions.checkAny", "POST", "//api/v1/authz/check-any", false},
	{"permissions.checkAll", "POST", "//api/v1/authz/check-all", false},
	{"permissions.list", "GET", "//api/v1/authz/permissions", false},
	{"zanzibar.check", "POST", "//api/v1/authz/zanzibar/check", false},
	{"zanzibar.expand", "POST", "//api/v1/authz/zanzibar/expand", false},
	{"web.checkEmail", "POST", "//orgs/{org}/check-email", false},
	{"web.magicLink", "POST", "//orgs/{org}/magic-link", false},
	{"wellknown.aauthIssuer", "GET", "//.well-known/aauth-issuer", false},
}

// Shapes the Go SDK decodes answers into (lumo-auth-go types.go: TokenResponse, UserInfo,
// AgentBudget, AgentAskResult, AgentIdentity, AgentRegistration, JitTask, JitRequest,
// ApprovalResult, Approver). encoding/json fails on a type mismatch, as the SDK would.
type (
	goTokenResponse struct {
		AccessToken     string `json:"access_token"`
		TokenType       string `json:"token_type"`
		ExpiresIn       int    `json:"expires_in"`
		Scope           string `json:"scope"`
		IssuedTokenType string `json:"issued_token_type"`
	}
	goUserInfo struct {
		Sub          string   `json:"sub"`
		Name         string   `json:"name"`
		AgentID      string   `json:"agent_id"`
		Capabilities []string `json:"capabilities"`
		BudgetPolicy *struct {
			MaxTokensPerDay int `json:"max_tokens_per_day"`
			TokensUsedToday int `json:"tokens_used_today"`
		} `json:"budget_policy"`
	}
	goAgentAskResult struct {
		Allowed bool           `json:"allowed"`
		Action  string         `json:"action"`
		Reason  string         `json:"reason"`
		AuditID string         `json:"audit_id"`
		Context map[string]any `json:"context"`
	}
	goAgentIdentity struct {
		Identity     map[string]any `json:"identity"`
		Capabilities []string       `json:"capabilities"`
		Workspace    map[string]any `json:"workspace"`
	}
	goAgentRegistration struct {
		AgentID  string `json:"agent_id"`
		ClientID string `json:"client_id"`
		Name     string `json:"name"`
		Status   string `json:"status"`
	}
	goJitTask struct {
		TaskID        string `json:"task_id"`
		CaepSessionID string `json:"caep_session_id"`
		ExpiresAt     string `json:"expires_at"`
	}
	goJitRequest struct {
		RequestID            string         `json:"request_id"`
		Status               string         `json:"status"`
		RiskLevel            string         `json:"risk_level"`
		TokenURL             string         `json:"token_url"`
		StatusURL            string         `json:"status_url"`
		ExpiresAt            string         `json:"expires_at"`
		AuthorizationDetails map[string]any `json:"authorization_details"`
	}
	goApprovalResult struct {
		Status      string `json:"status"`
		Token       string `json:"approval_token"`
		TaskID      string `json:"task_id"`
		Impact      string `json:"impact"`
		Reason      string `json:"reason"`
		ExpiresAt   string `json:"expires_at"`
		RespondedAt string `json:"responded_at"`
		ApprovedBy  *struct {
			UserID goID   `json:"user_id"`
			Email  string `json:"email"`
		} `json:"approved_by"`
	}
)

// goID is the Go SDK's ID: a JSON string or number.
type goID string

func (id *goID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*id = goID(s)
		return err
	}
	var n json.Number
	err := json.Unmarshal(b, &n)
	*id = goID(n)
	return err
}

// asGo decodes body as the Go SDK does (lumo-auth-go http.go do: json.Unmarshal into out).
func asGo[T any](t *testing.T, what string, body []byte) T {
	t.Helper()
	var out T
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("%s: the Go SDK cannot decode %s: %v", what, body, err)
	}
	return out
}

// pyDict is an answer as the Python and JS SDKs read it: a JSON object.
type pyDict map[string]any

func asDict(t *testing.T, what string, body []byte) pyDict {
	t.Helper()
	var d pyDict
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("%s: not a JSON object: %s", what, body)
	}
	return d
}

// str is d[key] as a string (Python d["key"] / d.get("key") used as str).
func (d pyDict) str(t *testing.T, key string) string {
	t.Helper()
	s, ok := d[key].(string)
	if !ok || s == "" {
		t.Fatalf("%q is %T %v, the SDKs read a non-empty string: %v", key, d[key], d[key], d)
	}
	return s
}

// strOrNull checks a key the SDKs read as Optional[str].
func (d pyDict) strOrNull(t *testing.T, key string) {
	t.Helper()
	if v, present := d[key]; !present || (v != nil && fmt.Sprintf("%T", v) != "string") {
		t.Errorf("%q = %T %v, the SDKs read a string or null", key, v, v)
	}
}

// sdkError reads an error answer as the SDKs do (sdk-python _http.py _extract_error,
// lumo-auth-go http.go extractError): message from error_description → message → detail →
// error, code from code → error.
func sdkError(t *testing.T, what string, status int, body []byte, wantStatus int, mention string) {
	t.Helper()
	d := asDict(t, what, body)
	msg := ""
	for _, k := range []string{"error_description", "message", "detail", "error"} {
		if s, ok := d[k].(string); ok && s != "" {
			msg = s
			break
		}
	}
	code, _ := d["error"].(string)
	if status != wantStatus || code == "" || !strings.Contains(msg, mention) {
		t.Errorf("%s: %d code %q message %q, want %d mentioning %q", what, status, code, msg, wantStatus, mention)
	}
}
