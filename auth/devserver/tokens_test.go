package devserver

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// verifyWithJWKS checks raw against the server's published JWKS, as a resource server would.
func verifyWithJWKS(t *testing.T, s *Server, raw string) (jose.Header, tokenClaims) {
	t.Helper()
	resp, err := http.Get(s.JWKSURL())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 || keys[0].Algorithm != "RS256" || keys[0].Use != "sig" {
		t.Fatalf("JWKS has no RS256 signing key %q: %+v", tok.Headers[0].KeyID, set)
	}
	var claims tokenClaims
	if err := tok.Claims(keys[0].Key, &claims); err != nil {
		t.Fatalf("signature does not verify with the JWKS key: %v", err)
	}
	return tok.Headers[0], claims
}

func TestClientCredentialsIssuesVerifiableJWT(t *testing.T) {
	s, _ := startTest(t, nil)
	id, secret, _ := s.Credentials("research-analyst")
	// Each prefix is its own issuer: the token says which it came from.
	for name, tc := range map[string]struct {
		r   reply
		iss string
	}{
		"body":  {postForm(t, api(s)+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}, nil), s.Issuer()},
		"basic": {postForm(t, legacyAPI(s)+"/oauth/token", url.Values{"grant_type": {"client_credentials"}}, []string{id, secret}), s.LegacyIssuer()},
	} {
		r := tc.r
		if r.status != 200 || r.str("token_type") != "Bearer" || r.num("expires_in") != 3600 || r.str("scope") != "read:documents mcp:financial" {
			t.Fatalf("%s: %d %v", name, r.status, r.body)
		}
		hdr, c := verifyWithJWKS(t, s, r.str("access_token"))
		if hdr.ExtraHeaders["typ"] != "at+jwt" || hdr.KeyID == "" {
			t.Errorf("%s: header typ=%v kid=%q", name, hdr.ExtraHeaders["typ"], hdr.KeyID)
		}
		want := tokenClaims{Issuer: tc.iss, Subject: "agent:research-analyst", ClientID: id, AgentName: "Research Analyst",
			Tenant: "acme-corp", Organization: "acme-corp", TokenUse: "access", Scope: "read:documents mcp:financial"}
		if c.Issuer != want.Issuer || c.Subject != want.Subject || c.ClientID != want.ClientID || c.AgentName != want.AgentName ||
			c.Tenant != want.Tenant || c.Organization != want.Organization || c.TokenUse != want.TokenUse || c.Scope != want.Scope {
			t.Errorf("%s: claims = %+v", name, c)
		}
		if !slices.Equal([]string(c.Audience), []string{tc.iss}) || c.ID == "" {
			t.Errorf("%s: aud %v jti %q", name, c.Audience, c.ID)
		}
		if !c.IssuedAt.Time().Equal(testStart) || !c.NotBefore.Time().Equal(testStart) || !c.Expiry.Time().Equal(testStart.Add(time.Hour)) {
			t.Errorf("%s: iat %v nbf %v exp %v", name, c.IssuedAt.Time(), c.NotBefore.Time(), c.Expiry.Time())
		}
	}
}

func TestClientCredentialsErrors(t *testing.T) {
	s, _ := startTest(t, nil)
	id, secret, _ := s.Credentials("research-analyst")
	tok := api(s) + "/oauth/token"
	cc := func(extra url.Values) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	r := postForm(t, tok, cc(url.Values{"client_id": {id}, "client_secret": {secret + "x"}}), nil)
	wantError(t, r, 401, "invalid_client", "client authentication failed")
	wantError(t, postForm(t, tok, cc(nil), []string{id, "wrong"}), 401, "invalid_client")
	wantError(t, postForm(t, tok, cc(url.Values{"client_id": {"ghost"}, "client_secret": {secret}}), nil), 401, "invalid_client")
	wantError(t, postForm(t, tok, cc(url.Values{"client_id": {id}}), nil), 401, "invalid_client", "client_secret")
	wantError(t, postForm(t, tok, cc(url.Values{"client_secret": {secret}}), []string{id, secret}), 400, "invalid_request", "not both")
	wantError(t, postForm(t, tok, url.Values{"grant_type": {"password"}}, nil), 400, "unsupported_grant_type", "password")
	wantError(t, postForm(t, tok, url.Values{}, nil), 400, "invalid_request", "grant_type")
	wantError(t, postForm(t, tok, cc(url.Values{"client_id": {id}, "client_secret": {secret}, "scope": {"write:reports"}}), nil),
		400, "invalid_scope", "write:reports")
	if r := postForm(t, tok, cc(url.Values{"client_id": {id}, "client_secret": {secret}, "scope": {"read:documents"}}), nil); r.str("scope") != "read:documents" {
		t.Errorf("narrowed scope = %v", r.body)
	}
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	if strings.Contains(r.str("error_description"), secret) {
		t.Error("error reveals the secret")
	}
}

func TestRoutingErrors(t *testing.T) {
	s, _ := startTest(t, nil)
	wantError(t, callJSON(t, "GET", s.URL()+"/orgs/globex/api/v1/.well-known/jwks.json", "", nil), 404, "not_found", "globex", "acme-corp")
	wantError(t, callJSON(t, "GET", s.URL()+"/t/globex/api/v1/oauth/userinfo", "", nil), 404, "not_found", "globex")
	wantError(t, callJSON(t, "GET", s.URL()+"/nowhere", "", nil), 404, "not_found", "/orgs/acme-corp/api/v1")
	r := callJSON(t, "GET", api(s)+"/oauth/token", "", nil)
	wantError(t, r, 405, "invalid_request", "POST")
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow = %q", r.header.Get("Allow"))
	}
}

func TestTokenExchange(t *testing.T) {
	s, clock := startTest(t, nil)
	id, secret, _ := s.Credentials("research-analyst")
	subject := tokenFor(t, s, "research-analyst")
	clock.Advance(time.Minute)
	cases := map[string]reply{
		"public, audience": exchange(t, s, subject, "urn:mcp:financial-data"),
		"basic, resource": postForm(t, legacyAPI(s)+"/oauth/token", url.Values{"grant_type": {grantTokenExchange},
			"subject_token": {subject}, "subject_token_type": {tokenTypeAccessToken}, "resource": {"urn:mcp:financial-data"}}, []string{id, secret}),
		"post auth": postForm(t, api(s)+"/oauth/token", url.Values{"grant_type": {grantTokenExchange}, "client_id": {id}, "client_secret": {secret},
			"subject_token": {subject}, "subject_token_type": {tokenTypeAccessToken}, "audience": {"urn:mcp:financial-data"}}, nil),
	}
	for name, r := range cases {
		if r.status != 200 || r.str("issued_token_type") != tokenTypeAccessToken || r.str("token_type") != "Bearer" ||
			r.num("expires_in") != 300 || r.str("scope") != "financial:read" {
			t.Fatalf("%s: %d %v", name, r.status, r.body)
		}
		_, c := verifyWithJWKS(t, s, r.str("access_token"))
		if !slices.Equal([]string(c.Audience), []string{"urn:mcp:financial-data"}) || c.TokenUse != "exchange" ||
			c.Subject != "agent:research-analyst" || c.Scope != "financial:read" || c.Act == nil || c.Act.Subject != "agent:research-analyst" {
			t.Errorf("%s: claims = %+v act %+v", name, c, c.Act)
		}
		if !c.Expiry.Time().Equal(testStart.Add(6 * time.Minute)) {
			t.Errorf("%s: exp = %v", name, c.Expiry.Time())
		}
		// An exchanged token is not an agent token: not for userinfo, not exchangeable again.
		wantError(t, callJSON(t, "GET", api(s)+"/oauth/userinfo", r.str("access_token"), nil), 401, "invalid_token", "exchanged")
		wantError(t, exchange(t, s, r.str("access_token"), "urn:mcp:financial-data"), 400, "invalid_grant")
	}
}

func TestTokenExchangeErrors(t *testing.T) {
	s, clock := startTest(t, nil)
	research := tokenFor(t, s, "research-analyst")
	wantError(t, exchange(t, s, tokenFor(t, s, "junior-analyst"), "urn:mcp:financial-data"), 403, "delegation_not_allowed", "mcp:financial", "junior-analyst")
	wantError(t, exchange(t, s, research, "urn:mcp:payroll"), 400, "invalid_target", "urn:mcp:payroll", "urn:mcp:financial-data")
	wantError(t, exchange(t, s, "not.a.jwt", "urn:mcp:financial-data"), 400, "invalid_grant")
	form := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {grantTokenExchange}, "subject_token": {research}, "audience": {"urn:mcp:financial-data"},
			"subject_token_type": {tokenTypeAccessToken}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	tok := api(s) + "/oauth/token"
	wantError(t, postForm(t, tok, form("subject_token_type", "urn:ietf:params:oauth:token-type:saml2"), nil), 400, "unsupported_token_type", "saml2")
	wantError(t, postForm(t, tok, form("subject_token_type", ""), nil), 400, "invalid_request", "subject_token_type")
	wantError(t, postForm(t, tok, form("audience", ""), nil), 400, "invalid_request", "audience")
	wantError(t, postForm(t, tok, form("scope", "financial:write"), nil), 400, "invalid_scope", "financial:write")
	wantError(t, postForm(t, tok, form("client_id", "research-analyst", "client_secret", "wrong"), nil), 401, "invalid_client")
	jid, jsecret, _ := s.Credentials("junior-analyst")
	wantError(t, postForm(t, tok, form(), []string{jid, jsecret}), 400, "invalid_grant", "research-analyst")

	// Another server's token (same claims, different key) is refused.
	other, _ := startTest(t, nil)
	wantError(t, exchange(t, s, tokenFor(t, other, "research-analyst"), "urn:mcp:financial-data"), 400, "invalid_grant", "not a JWT signed by this server")

	clock.Advance(time.Hour)
	wantError(t, exchange(t, s, research, "urn:mcp:financial-data"), 400, "invalid_grant", "expired")
}

func TestTokenTTLsAreConfigurable(t *testing.T) {
	cfg := DefaultConfig()
	cfg.TokenTTL, cfg.ExchangedTokenTTL = 10*time.Minute, 30*time.Second
	s, _ := startTest(t, &cfg)
	id, secret, _ := s.Credentials("research-analyst")
	r := postForm(t, api(s)+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}, nil)
	if r.num("expires_in") != 600 {
		t.Errorf("primary expires_in = %v", r.body["expires_in"])
	}
	if x := exchange(t, s, r.str("access_token"), "urn:mcp:financial-data"); x.num("expires_in") != 30 {
		t.Errorf("exchanged expires_in = %v", x.body)
	}
}
