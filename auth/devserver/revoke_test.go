package devserver

import (
	"net/url"
	"slices"
	"testing"
)

func TestRevokeRefusesTheTokenAndWhatWasExchangedFromIt(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "research-analyst")
	xchg := exchange(t, s, tok, "urn:mcp:financial-data").str("access_token")
	other := tokenFor(t, s, "research-analyst")
	svcID, svcSecret, _ := s.Credentials("financial-mcp")
	active := func(token string) bool {
		r := postForm(t, api(s)+"/oauth/introspect", url.Values{"token": {token}}, []string{svcID, svcSecret})
		return r.body["active"] == true
	}
	if !active(xchg) {
		t.Fatal("exchanged token inactive before revocation")
	}
	// The JS SDK's revokeToken: the token alone, no client authentication (legacy prefix too).
	if r := postForm(t, legacyAPI(s)+"/oauth/revoke", url.Values{"token": {tok}}, nil); r.status != 200 || len(r.body) != 0 {
		t.Fatalf("revoke = %d %v", r.status, r.body)
	}
	wantError(t, callJSON(t, "GET", api(s)+"/oauth/userinfo", tok, nil), 401, "invalid_token", "revoked")
	if active(tok) || active(xchg) {
		t.Error("the revoked token or the token exchanged from it is still active")
	}
	wantError(t, exchange(t, s, tok, "urn:mcp:financial-data"), 400, "invalid_grant", "revoked")
	if r := callJSON(t, "GET", api(s)+"/oauth/userinfo", other, nil); r.status != 200 {
		t.Errorf("another token of the same agent = %d %v", r.status, r.body)
	}
	// RFC 7009 §2.2: unknown, garbled and already revoked tokens are answered 200 too.
	for _, token := range []string{"garbage", tok} {
		if r := postForm(t, api(s)+"/oauth/revoke", url.Values{"token": {token}}, nil); r.status != 200 {
			t.Errorf("revoke %q = %d %v", token[:7], r.status, r.body)
		}
	}
}

func TestRevokeWithClientAuthentication(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "research-analyst")
	id, secret, _ := s.Credentials("research-analyst")
	jid, jsecret, _ := s.Credentials("junior-analyst")
	// Another client's credentials: refused (§2.1), the token stays valid.
	wantError(t, postForm(t, api(s)+"/oauth/revoke", url.Values{"token": {tok}, "client_id": {jid}, "client_secret": {jsecret}}, nil),
		400, "unauthorized_client", "research-analyst")
	wantError(t, postForm(t, api(s)+"/oauth/revoke", url.Values{"token": {tok}}, []string{id, "wrong"}), 401, "invalid_client")
	wantError(t, postForm(t, api(s)+"/oauth/revoke", url.Values{}, nil), 400, "invalid_request", "token is missing")
	if r := callJSON(t, "GET", api(s)+"/oauth/userinfo", tok, nil); r.status != 200 {
		t.Fatalf("token revoked by a refused request: %d %v", r.status, r.body)
	}
	// The Python and Go SDKs' revoke: client_id and client_secret in the body, with a hint.
	r := postForm(t, api(s)+"/oauth/revoke", url.Values{"token": {tok}, "token_type_hint": {"access_token"},
		"client_id": {id}, "client_secret": {secret}}, nil)
	if r.status != 200 {
		t.Fatalf("revoke = %d %v", r.status, r.body)
	}
	wantError(t, callJSON(t, "GET", api(s)+"/oauth/userinfo", tok, nil), 401, "invalid_token", "revoked")
}

func TestResourceBoundClientCredentials(t *testing.T) {
	s, _ := startTest(t, nil)
	const mcpURL = "http://127.0.0.1:9/mcp"
	if err := s.AddResourceURI("urn:mcp:financial-data", mcpURL); err != nil {
		t.Fatal(err)
	}
	if err := s.AddResourceURI("urn:mcp:nothing", "http://x/"); err == nil {
		t.Error("an alias for an unknown resource was accepted")
	}
	cc := func(agent string, extra url.Values) reply {
		id, secret, _ := s.Credentials(agent)
		v := url.Values{"grant_type": {"client_credentials"}}
		for k, vs := range extra {
			v[k] = vs
		}
		return postForm(t, legacyAPI(s)+"/oauth/token", v, []string{id, secret})
	}
	// RFC 8707: the token is bound to the resource named, by either of its names.
	for _, name := range []string{mcpURL, "urn:mcp:financial-data"} {
		r := cc("research-analyst", url.Values{"resource": {name}})
		if r.status != 200 || r.str("scope") != "financial:read" || r.num("expires_in") != 300 {
			t.Fatalf("resource %s = %d %v", name, r.status, r.body)
		}
		_, c := verifyWithJWKS(t, s, r.str("access_token"))
		if !slices.Equal([]string(c.Audience), []string{name}) || c.Issuer != s.LegacyIssuer() {
			t.Errorf("resource %s: aud %v iss %s", name, c.Audience, c.Issuer)
		}
		// Not the agent's own token: the agent API refuses it.
		wantError(t, callJSON(t, "GET", api(s)+"/oauth/userinfo", r.str("access_token"), nil), 401, "invalid_token")
	}
	wantError(t, cc("junior-analyst", url.Values{"resource": {mcpURL}}), 400, "invalid_target", "lacks capability mcp:financial")
	wantError(t, cc("research-analyst", url.Values{"resource": {"https://elsewhere.example/mcp"}}), 400, "invalid_target", mcpURL)
	wantError(t, cc("research-analyst", url.Values{"resource": {mcpURL, "urn:mcp:financial-data"}}), 400, "invalid_target", "exactly one")
	wantError(t, cc("research-analyst", url.Values{"resource": {mcpURL}, "scope": {"mcp:financial"}}), 400, "invalid_scope", "financial:read")
	// RFC 8693 with the URL as the audience works too.
	tok := tokenFor(t, s, "research-analyst")
	if x := exchange(t, s, tok, mcpURL); x.status != 200 || x.str("scope") != "financial:read" {
		t.Errorf("exchange for the URL = %d %v", x.status, x.body)
	}
}
