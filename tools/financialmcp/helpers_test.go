package financialmcp

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// testNow is the injected clock of servers under test: far from the wall clock on purpose,
// so a test passes only if Options.Now is honoured everywhere.
var testNow = time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)

const (
	testIssuerPath = "/orgs/acme-corp/api/v1"
	testKID        = "test-key-1"
)

var (
	keysOnce          sync.Once
	signingKey, rogue *rsa.PrivateKey
	errGeneratingKeys error
)

// testKeys returns the authorization server's key and an unrelated key (generated once).
func testKeys(t testing.TB) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		signingKey, errGeneratingKeys = rsa.GenerateKey(rand.Reader, 2048)
		if errGeneratingKeys == nil {
			rogue, errGeneratingKeys = rsa.GenerateKey(rand.Reader, 2048)
		}
	})
	if errGeneratingKeys != nil {
		t.Fatal(errGeneratingKeys)
	}
	return signingKey, rogue
}

// testAS is a tiny authorization server: it only publishes a JWKS and counts fetches.
type testAS struct {
	srv     *httptest.Server
	key     *rsa.PrivateKey
	fetches atomic.Int32
	mu      sync.Mutex
	jwks    jose.JSONWebKeySet
}

func newTestAS(t testing.TB) *testAS {
	t.Helper()
	key, _ := testKeys(t)
	as := &testAS{key: key}
	as.setKeys(jose.JSONWebKey{Key: &key.PublicKey, KeyID: testKID, Algorithm: "RS256", Use: "sig"})
	as.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != testIssuerPath+"/.well-known/jwks.json" {
			http.NotFound(w, r)
			return
		}
		as.fetches.Add(1)
		as.mu.Lock()
		defer as.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(as.jwks)
	}))
	t.Cleanup(as.srv.Close)
	return as
}

func (as *testAS) setKeys(keys ...jose.JSONWebKey) {
	as.mu.Lock()
	defer as.mu.Unlock()
	as.jwks = jose.JSONWebKeySet{Keys: keys}
}

func (as *testAS) issuer() string  { return as.srv.URL + testIssuerPath }
func (as *testAS) jwksURL() string { return as.issuer() + "/.well-known/jwks.json" }

// claims returns a valid exchanged-token claim set for the financial resource.
func (as *testAS) claims() map[string]any {
	return map[string]any{
		"iss": as.issuer(), "sub": "agent:research-analyst", "aud": DefaultResource,
		"exp": testNow.Add(5 * time.Minute).Unix(), "iat": testNow.Add(-time.Minute).Unix(),
		"nbf": testNow.Add(-time.Minute).Unix(), "jti": "jti-1", "client_id": "research-analyst",
		"scope": Scope, "token_use": "access",
	}
}

// sign makes an RS256 JWT with the given key and kid.
func sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("at+jwt")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return signPayload(t, signer, claims)
}

func signPayload(t testing.TB, signer jose.Signer, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// unsigned builds an alg=none token by hand (go-jose refuses to make one).
func unsigned(t testing.TB, claims map[string]any) string {
	t.Helper()
	head, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT", "kid": testKID})
	body, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(head) + "." + enc(body) + "."
}

// withPayload replaces the payload of a compact JWS, keeping header and signature.
func withPayload(t testing.TB, token string, claims map[string]any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	body, _ := json.Marshal(claims)
	parts[1] = base64.RawURLEncoding.EncodeToString(body)
	return strings.Join(parts, ".")
}

// startServer starts a financial MCP server trusting as, on the test clock.
func startServer(t testing.TB, as *testAS) *Server {
	t.Helper()
	s, err := Start(Options{Issuer: as.issuer(), JWKSURL: as.jwksURL(), Resource: DefaultResource,
		Now: func() time.Time { return testNow }}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// bearerTransport adds a bearer token to every request.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}
