package financialmcp

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",` +
	`"capabilities":{},"clientInfo":{"name":"auth-test","version":"0"}}}`

// postInitialize sends a raw MCP initialize request with an optional bearer token.
func postInitialize(t *testing.T, url, token string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(initializeBody))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	return resp, string(body)
}

func TestBearerTokenChecks(t *testing.T) {
	as := newTestAS(t)
	srv := startServer(t, as)
	key, other := testKeys(t)
	valid := sign(t, key, testKID, as.claims())
	with := func(change func(c map[string]any)) map[string]any {
		c := as.claims()
		change(c)
		return c
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hmacSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: pubPEM},
		(&jose.SignerOptions{}).WithHeader("kid", testKID))
	if err != nil {
		t.Fatal(err)
	}

	// RFC 6750 §3.1: no error code without a token; invalid_token for a presented bad one.
	unauthorized := `Bearer scope="financial:read", resource_metadata="` + srv.MetadataURL() + `"`
	invalid := `~Bearer error="invalid_token", error_description="`
	cases := []struct {
		name       string
		token      string
		wantStatus int
		wantHeader string // exact WWW-Authenticate, or a required substring when prefixed by "~"
		wantBody   string
	}{
		{"missing token", "", 401, "=" + unauthorized, "no bearer token"},
		{"agent's primary token (aud = issuer)", sign(t, key, testKID, with(func(c map[string]any) {
			c["aud"] = as.issuer()
			c["scope"] = "read:documents mcp:financial"
		})), 401, invalid, "exchange the agent token"},
		{"expired", sign(t, key, testKID, with(func(c map[string]any) {
			c["iat"] = testNow.Add(-2 * time.Hour).Unix()
			c["nbf"] = testNow.Add(-2 * time.Hour).Unix()
			c["exp"] = testNow.Add(-time.Hour).Unix()
		})), 401, invalid, "token expired"},
		{"not yet valid", sign(t, key, testKID, with(func(c map[string]any) {
			c["nbf"] = testNow.Add(5 * time.Minute).Unix()
		})), 401, invalid, "not valid before"},
		{"issued in the future", sign(t, key, testKID, with(func(c map[string]any) {
			c["iat"] = testNow.Add(5 * time.Minute).Unix()
			delete(c, "nbf")
		})), 401, invalid, "issued in the future"},
		{"no exp", sign(t, key, testKID, with(func(c map[string]any) { delete(c, "exp") })), 401, invalid, "no exp"},
		{"signed by another key", sign(t, other, testKID, as.claims()), 401, invalid, "signature does not verify"},
		{"unknown kid", sign(t, other, "rogue-kid", as.claims()), 401, invalid, "no signing key with kid"},
		{"alg none", unsigned(t, as.claims()), 401, invalid, "RS256"},
		{"HS256 with the public key as secret", signPayload(t, hmacSigner, as.claims()), 401, invalid, "RS256"},
		{"other issuer", sign(t, key, testKID, with(func(c map[string]any) {
			c["iss"] = "https://evil.example/orgs/acme-corp/api/v1"
		})), 401, invalid, "not the trusted issuer"},
		{"tampered payload", withPayload(t, valid, with(func(c map[string]any) {
			c["exp"] = testNow.Add(24 * time.Hour).Unix()
		})), 401, invalid, "signature does not verify"},
		{"garbage", "not-a-jwt", 401, invalid, "RS256"},
		{"missing scope", sign(t, key, testKID, with(func(c map[string]any) { c["scope"] = "read:documents" })),
			403, `~error="insufficient_scope", error_description="the token lacks scope financial:read", scope="financial:read"`, "lacks scope"},
		{"aud is the server's URL (RFC 8707 resource)", sign(t, key, testKID, with(func(c map[string]any) {
			c["aud"] = srv.URL()
		})), 200, "", ""},
		{"aud is another server's URL", sign(t, key, testKID, with(func(c map[string]any) {
			c["aud"] = "http://127.0.0.1:1/mcp"
		})), 401, invalid, "does not include"},
		{"scope as a list", sign(t, key, testKID, with(func(c map[string]any) { c["scope"] = []string{"x", Scope} })), 200, "", ""},
		{"expired 10 s ago (within skew)", sign(t, key, testKID, with(func(c map[string]any) {
			c["exp"] = testNow.Add(-10 * time.Second).Unix()
		})), 200, "", ""},
		{"aud list containing the resource", sign(t, key, testKID, with(func(c map[string]any) {
			c["aud"] = []string{as.issuer(), DefaultResource}
		})), 200, "", ""},
		{"valid", valid, 200, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := postInitialize(t, srv.URL(), tc.token)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %q)", resp.StatusCode, tc.wantStatus, body)
			}
			got := resp.Header.Get("WWW-Authenticate")
			switch {
			case strings.HasPrefix(tc.wantHeader, "~"):
				if !strings.HasPrefix(got, "Bearer ") || !strings.Contains(got, tc.wantHeader[1:]) || !strings.Contains(got, srv.MetadataURL()) {
					t.Errorf("WWW-Authenticate = %q, want it to contain %q and the metadata URL", got, tc.wantHeader[1:])
				}
			case strings.HasPrefix(tc.wantHeader, "="):
				if got != tc.wantHeader[1:] {
					t.Errorf("WWW-Authenticate = %q, want %q", got, tc.wantHeader[1:])
				}
			case got != "":
				t.Errorf("WWW-Authenticate = %q on success", got)
			}
			if len(tc.token) > 20 && strings.Contains(got, tc.token) {
				t.Errorf("the challenge echoes the token")
			}
			if !strings.Contains(body, tc.wantBody) {
				t.Errorf("body %q does not contain %q", body, tc.wantBody)
			}
			if tc.token != "" && len(tc.token) > 20 && strings.Contains(body, tc.token) {
				t.Errorf("the response body echoes the token")
			}
		})
	}
}

func TestProtectedResourceMetadata(t *testing.T) {
	as := newTestAS(t)
	srv := startServer(t, as)
	for _, path := range []string{MetadataPath, MetadataPath + MCPPath} {
		resp, err := http.Get(srv.BaseURL() + path)
		if err != nil {
			t.Fatal(err)
		}
		var meta struct {
			Resource             string   `json:"resource"`
			AuthorizationServers []string `json:"authorization_servers"`
			BearerMethods        []string `json:"bearer_methods_supported"`
			Scopes               []string `json:"scopes_supported"`
		}
		err = json.NewDecoder(resp.Body).Decode(&meta)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: status %d, decode error %v", path, resp.StatusCode, err)
		}
		// RFC 9728 §3.3: the resource is the server's URL (the MCP SDKs compare it).
		if meta.Resource != srv.URL() || len(meta.AuthorizationServers) != 1 || meta.AuthorizationServers[0] != as.issuer() ||
			len(meta.BearerMethods) != 1 || meta.BearerMethods[0] != "header" || len(meta.Scopes) != 1 || meta.Scopes[0] != Scope {
			t.Errorf("%s: metadata = %+v", path, meta)
		}
	}
}

func TestNewHandlerRejectsBadOptions(t *testing.T) {
	for _, o := range []Options{
		{JWKSURL: "http://127.0.0.1/jwks.json"},
		{Issuer: "http://as", JWKSURL: ""},
		{Issuer: "http://as", JWKSURL: "file:///etc/passwd"},
	} {
		if _, err := NewHandler(o); err == nil {
			t.Errorf("NewHandler(%+v) = nil error, want one", o)
		}
	}
}

func TestJWKSUnavailableIsAServerError(t *testing.T) {
	as := newTestAS(t)
	srv, err := Start(Options{Issuer: as.issuer(), JWKSURL: as.srv.URL + "/missing/jwks.json",
		Now: func() time.Time { return testNow }}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = srv.Close() }()
	key, _ := testKeys(t)
	resp, body := postInitialize(t, srv.URL(), sign(t, key, testKID, as.claims()))
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "HTTP 404") {
		t.Fatalf("status %d body %q, want 500 naming the JWKS failure", resp.StatusCode, body)
	}
}

// Without a BaseURL, NewHandler derives the resource_metadata URL from the request.
func TestNewHandlerDerivesMetadataURL(t *testing.T) {
	as := newTestAS(t)
	h, err := NewHandler(Options{Issuer: as.issuer(), JWKSURL: as.jwksURL(), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, _ := postInitialize(t, srv.URL+MCPPath, "")
	want := `Bearer scope="financial:read", resource_metadata="` + srv.URL + MetadataPath + `"`
	if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") != want {
		t.Fatalf("status %d, WWW-Authenticate %q; want 401 and %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), want)
	}
	key, _ := testKeys(t)
	if resp, body := postInitialize(t, srv.URL+MCPPath, sign(t, key, testKID, as.claims())); resp.StatusCode != 200 {
		t.Fatalf("valid token through NewHandler: status %d body %q", resp.StatusCode, body)
	}
}
