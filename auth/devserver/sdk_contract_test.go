package devserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
)

// sdkClient sends requests the way the SDKs do: JSON bodies with a bearer token
// (sdk-python _http.py HttpClient.request, lumo-auth-go http.go doRaw), forms without one
// to the token and revocation endpoints (resources/auth.py _token_request, revoke).
type sdkClient struct {
	t      *testing.T
	base   string // http://127.0.0.1:port
	prefix string // /orgs/acme-corp/api/v1 or /t/acme-corp/api/v1
	hits   map[string]bool
}

func (c *sdkClient) url(path string) string {
	switch {
	case strings.HasPrefix(path, "http"):
		return path
	case strings.HasPrefix(path, "//"):
		return c.base + strings.ReplaceAll(strings.TrimPrefix(path, "/"), "{org}", "acme-corp")
	}
	return c.base + c.prefix + path
}

func (c *sdkClient) do(route string, req *http.Request) (int, []byte) {
	c.t.Helper()
	c.hits[route] = true
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s: %v", route, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

func (c *sdkClient) call(route, method, path, bearer string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, c.url(path), rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return c.do(route, req)
}

func (c *sdkClient) form(route, path string, v url.Values) (int, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.url(path), strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(route, req)
}

// For every route in the SDKs' route tables, on both prefixes: the request the SDKs send and
// the fields they read from the answer, with the types they read them as. The escalation
// pattern (call_with_escalation over the MCP server's 403) is exercised end to end in
// tools/financialmcp TestJITRuleEscalationOverTheWire.
func TestSDKContract(t *testing.T) {
	s, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, prefix := range []string{"/orgs/acme-corp/api/v1", "/t/acme-corp/api/v1"} {
		t.Run(strings.Split(prefix, "/")[1], func(t *testing.T) {
			c := &sdkClient{t: t, base: s.URL(), prefix: prefix, hits: map[string]bool{}}
			contractAgentRoutes(t, s, c)
			contractJITRoutes(t, s, c)
			contractApprovalRoutes(t, s, c)
			contractRevokeAndAuthorize(t, s, c)
			for _, r := range sdkRoutes {
				if !r.served {
					path := strings.NewReplacer("{userId}", "u1", "{attributeSlug}", "dept", "{resourceType}", "doc", "{resourceId}", "d1").Replace(r.path)
					status, body := c.call(r.name, r.method, path, "tok", map[string]any{})
					sdkError(t, r.name, status, body, http.StatusNotFound, "no endpoint")
				}
				if !c.hits[r.name] {
					t.Errorf("route %s (%s %s) of the SDKs' tables was not exercised", r.name, r.method, r.path)
				}
			}
			_, body := c.call("abac.check", "POST", "/abac/check", "tok", map[string]any{})
			if !strings.Contains(string(body), "does not offer RBAC, ABAC, Zanzibar, AAuth or browser sign-in") {
				t.Errorf("a route not served does not say what is not offered: %s", body)
			}
		})
	}
}

// token is a client-credentials grant as sdk-python resources/auth.py client_credentials
// (lines 107-121) sends it: client_id and client_secret in the form, no bearer.
func token(t *testing.T, s *devserver.Server, c *sdkClient, agent string) string {
	t.Helper()
	id, secret, _ := s.Credentials(agent)
	status, body := c.form("oauth.token", "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	if status != 200 {
		t.Fatalf("client credentials for %s: %d %s", agent, status, body)
	}
	// sdk-python agent.py authenticate: body["access_token"], body.get("scope", "").split(),
	// body.get("expires_in", 3600) as seconds.
	d := asDict(t, "oauth.token", body)
	if _, ok := d["expires_in"].(float64); !ok {
		t.Errorf("expires_in = %T", d["expires_in"])
	}
	d.str(t, "scope")
	return asGo[goTokenResponse](t, "oauth.token", body).AccessToken
}

func contractAgentRoutes(t *testing.T, s *devserver.Server, c *sdkClient) {
	agent := token(t, s, c, "research-analyst")
	// oauth.userinfo: resources/auth.py userinfo (166-175), resources/agents.py info (72-74).
	status, body := c.call("oauth.userinfo", "GET", "/oauth/userinfo", agent, nil)
	info := asGo[goUserInfo](t, "oauth.userinfo", body)
	if status != 200 || len(info.Capabilities) != 2 || info.BudgetPolicy == nil || info.BudgetPolicy.MaxTokensPerDay != 100000 {
		t.Errorf("userinfo = %d %+v", status, info)
	}
	// agents.ask: resources/agents.py ask (23-34), body {action, context}.
	status, body = c.call("agents.ask", "POST", "/agents/ask", agent, map[string]any{"action": "mcp:financial", "context": map[string]any{"id": "doc_99"}})
	ask := asGo[goAgentAskResult](t, "agents.ask", body)
	if status != 200 || !ask.Allowed || ask.Action != "mcp:financial" || ask.AuditID == "" || ask.Context["id"] != "doc_99" {
		t.Errorf("ask = %d %+v", status, ask)
	}
	// agents.me: resources/agents.py me (44-46); agent.py get_identity reads identity.id.
	status, body = c.call("agents.me", "GET", "/agents/me", agent, nil)
	if me := asGo[goAgentIdentity](t, "agents.me", body); status != 200 || me.Identity["id"] != "agt_7f3a9c2e41b8" || me.Workspace["api_base"] != s.URL()+c.prefix {
		t.Errorf("me = %d %+v", status, me)
	}
	// agents.register: resources/agents.py register (51-68), body {client_id, name, …}.
	status, body = c.call("agents.register", "POST", "/agents/register", agent, map[string]any{"client_id": "research-analyst",
		"name": "Research Analyst", "description": "reads filings", "capabilities": []string{"read:documents"}, "jwks_uri": "https://agent.example/jwks.json"})
	if reg := asGo[goAgentRegistration](t, "agents.register", body); status/100 != 2 || reg.AgentID == "" || reg.Status == "" {
		t.Errorf("register = %d %+v", status, reg)
	}
	// oauth.token, RFC 8693: resources/auth.py token_exchange (123-144); resources/mcp.py
	// get_token reads response["access_token"].
	exchange := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"}, "subject_token": {agent},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}, "audience": {"urn:mcp:financial-data"}}
	status, body = c.form("oauth.token", "/oauth/token", exchange)
	if x := asGo[goTokenResponse](t, "exchange", body); status != 200 || x.AccessToken == "" || x.IssuedTokenType == "" {
		t.Errorf("exchange = %d %s", status, body)
	}
	// A refused exchange: 403 delegation_not_allowed, read as LumoAuthPermissionDeniedError.
	exchange.Set("subject_token", token(t, s, c, "junior-analyst"))
	status, body = c.form("oauth.token", "/oauth/token", exchange)
	sdkError(t, "refused exchange", status, body, http.StatusForbidden, "lacks capability mcp:financial")
}
