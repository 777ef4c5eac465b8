package devserver

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

func TestUserinfoShapeOnBothPrefixes(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "research-analyst") // call 48 this hour (47 seeded)
	cur := callJSON(t, "GET", api(s)+"/oauth/userinfo", tok, nil)
	if cur.status != 200 || cur.str("sub") != "agent:research-analyst" || cur.str("name") != "Research Analyst" ||
		cur.str("agent_id") != "agt_7f3a9c2e41b8" || cur.str("identity_type") != "agent" || cur.str("organization") != "acme-corp" {
		t.Fatalf("userinfo = %d %v", cur.status, cur.body)
	}
	if _, ok := cur.body["tenant"]; ok {
		t.Error("/orgs/ userinfo carries tenant")
	}
	if caps, _ := cur.body["capabilities"].([]any); len(caps) != 2 || caps[0] != "read:documents" || caps[1] != "mcp:financial" {
		t.Errorf("capabilities = %v", cur.body["capabilities"])
	}
	bp, _ := cur.body["budget_policy"].(map[string]any)
	want := map[string]any{"max_tokens_per_day": 100000.0, "tokens_used_today": 15234.0, "max_api_calls_per_hour": 500.0,
		"api_calls_this_hour": 49.0, "max_cost_per_month_usd": 50.0, "require_approval_above_usd": nil,
		"tokens_reset_at": "2026-11-28T00:00:00Z", "calls_reset_at": "2026-11-27T13:00:00Z"}
	for k, v := range want {
		got, present := bp[k]
		if !present || got != v {
			t.Errorf("budget_policy.%s = %v (present %v), want %v", k, got, present, v)
		}
	}
	if models, _ := bp["allowed_models"].([]any); len(models) != 3 {
		t.Errorf("allowed_models = %v", bp["allowed_models"])
	}

	legacy := callJSON(t, "POST", legacyAPI(s)+"/oauth/userinfo", tok, nil)
	if legacy.status != 200 || legacy.str("tenant") != "acme-corp" {
		t.Fatalf("legacy userinfo = %d %v", legacy.status, legacy.body)
	}
	if _, ok := legacy.body["organization"]; ok {
		t.Error("/t/ userinfo carries organization")
	}

	wantError(t, callJSON(t, "GET", api(s)+"/oauth/userinfo", "", nil), 401, "invalid_token", "Bearer")
	wantError(t, callJSON(t, "GET", api(s)+"/oauth/userinfo", "garbage", nil), 401, "invalid_token")
}

func TestAgentsMeAndAsk(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "junior-analyst")
	me := callJSON(t, "GET", legacyAPI(s)+"/agents/me", tok, nil)
	id, _ := me.body["identity"].(map[string]any)
	ws, _ := me.body["workspace"].(map[string]any)
	if me.status != 200 || id["id"] != "agt_2c81d07b5e6a" || id["type"] != "agent" || id["tenant"] != "acme-corp" ||
		ws["slug"] != "acme-corp" || ws["api_base"] != legacyAPI(s) {
		t.Fatalf("agents/me = %d %v", me.status, me.body)
	}
	yes := callJSON(t, "POST", api(s)+"/agents/ask", tok, map[string]any{"action": "read:documents", "context": map[string]any{"q": 1}})
	if yes.status != 200 || yes.body["allowed"] != true || yes.str("action") != "read:documents" || yes.str("audit_id") == "" || yes.body["context"] == nil {
		t.Fatalf("ask allowed = %d %v", yes.status, yes.body)
	}
	no := callJSON(t, "POST", api(s)+"/agents/ask", tok, map[string]any{"action": "mcp:financial"})
	if no.body["allowed"] != false || no.str("reason") == "" || no.str("audit_id") == yes.str("audit_id") {
		t.Fatalf("ask denied = %v", no.body)
	}
	wantError(t, callJSON(t, "POST", api(s)+"/agents/ask", tok, map[string]any{}), 400, "invalid_request", "action")
	wantError(t, callJSON(t, "POST", api(s)+"/agents/ask", tok, "not an object"), 400, "invalid_request", "JSON")
}

func TestUsageReportAddsToTokensUsedToday(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "research-analyst")
	r := callJSON(t, "POST", api(s)+"/agents/me/usage", tok, map[string]any{"model": "gpt-4o-mini", "prompt_tokens": 1200, "completion_tokens": 300})
	if r.status != 200 || r.num("recorded_tokens") != 1500 {
		t.Fatalf("usage = %d %v", r.status, r.body)
	}
	info := callJSON(t, "GET", api(s)+"/oauth/userinfo", tok, nil)
	if bp := info.body["budget_policy"].(map[string]any); bp["tokens_used_today"] != 15234.0+1500 {
		t.Errorf("tokens_used_today = %v", bp["tokens_used_today"])
	}
	wantError(t, callJSON(t, "POST", api(s)+"/agents/me/usage", tok, map[string]any{"prompt_tokens": -1}), 400, "invalid_request", "negative")
}

func TestDiscoveryDocuments(t *testing.T) {
	s, _ := startTest(t, nil)
	for _, base := range []string{api(s), legacyAPI(s)} {
		for _, doc := range []string{"oauth-authorization-server", "openid-configuration"} {
			m := callJSON(t, "GET", base+"/.well-known/"+doc, "", nil)
			// RFC 8414 §3.3: the issuer is the URL the metadata was fetched under.
			if m.status != 200 || m.str("issuer") != base || m.str("token_endpoint") != base+"/oauth/token" ||
				m.str("jwks_uri") != base+"/.well-known/jwks.json" || m.str("introspection_endpoint") != base+"/oauth/introspect" ||
				m.str("userinfo_endpoint") != base+"/oauth/userinfo" || m.str("revocation_endpoint") != base+"/oauth/revoke" ||
				m.str("authorization_endpoint") != base+"/oauth/authorize" {
				t.Fatalf("%s %s = %v", base, doc, m.body)
			}
			grants, _ := m.body["grant_types_supported"].([]any)
			methods, _ := m.body["token_endpoint_auth_methods_supported"].([]any)
			if !slices.Contains(grants, any(grantTokenExchange)) || !slices.Contains(grants, any("client_credentials")) ||
				!slices.Contains(methods, any("client_secret_post")) || !slices.Contains(methods, any("client_secret_basic")) {
				t.Errorf("%s: grants %v methods %v", doc, grants, methods)
			}
			// Required by the MCP SDKs' metadata schemas (arrays, possibly empty).
			for _, key := range []string{"response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported"} {
				if _, ok := m.body[key].([]any); !ok {
					t.Errorf("%s: %s = %v", doc, key, m.body[key])
				}
			}
		}
	}
	// RFC 8414 §3.1 path-inserted location.
	if m := callJSON(t, "GET", s.URL()+"/.well-known/oauth-authorization-server/t/acme-corp/api/v1", "", nil); m.str("issuer") != s.LegacyIssuer() {
		t.Errorf("path-inserted metadata = %d %v", m.status, m.body)
	}
	// The authorization endpoint exists (the schemas need it) and says why it cannot be used.
	wantError(t, callJSON(t, "GET", api(s)+"/oauth/authorize?response_type=code&client_id=x", "", nil), 400, "unsupported_response_type", "client_credentials")
	jwks := callJSON(t, "GET", legacyAPI(s)+"/.well-known/jwks.json", "", nil)
	if keys, _ := jwks.body["keys"].([]any); len(keys) != 1 || keys[0].(map[string]any)["kty"] != "RSA" {
		t.Errorf("jwks = %v", jwks.body)
	}
}

func TestIntrospection(t *testing.T) {
	s, clock := startTest(t, nil)
	id, secret, _ := s.Credentials("financial-mcp")
	tok := tokenFor(t, s, "research-analyst")
	xchg := exchange(t, s, tok, "urn:mcp:financial-data").str("access_token")
	introspect := func(token string, basic []string) reply {
		return postForm(t, api(s)+"/oauth/introspect", url.Values{"token": {token}}, basic)
	}
	r := introspect(xchg, []string{id, secret})
	if r.status != 200 || r.body["active"] != true || r.str("aud") != "urn:mcp:financial-data" || r.str("scope") != "financial:read" ||
		r.str("client_id") != "research-analyst" || r.str("sub") != "agent:research-analyst" || r.num("exp") != float64(testStart.Add(5*time.Minute).Unix()) {
		t.Fatalf("introspect exchanged = %d %v", r.status, r.body)
	}
	if r := introspect(tok, []string{id, secret}); r.body["active"] != true || r.str("aud") != s.Issuer() {
		t.Errorf("introspect primary = %v", r.body)
	}
	if r := introspect("garbage", []string{id, secret}); r.status != 200 || r.body["active"] != false || len(r.body) != 1 {
		t.Errorf("introspect garbage = %v", r.body)
	}
	wantError(t, introspect(xchg, nil), 401, "invalid_client", "client authentication")
	wantError(t, introspect(xchg, []string{id, "wrong"}), 401, "invalid_client")
	clock.Advance(6 * time.Minute)
	if r := introspect(xchg, []string{id, secret}); r.body["active"] != false {
		t.Errorf("expired token still active: %v", r.body)
	}
}
