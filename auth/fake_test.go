package auth

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/record"
)

const (
	testClientID = "agent-7f3a"
	testSecret   = "s3cret-Value-42"
	testOrg      = "acme-corp"
)

// recorded is one request the fake server received.
type recorded struct {
	Method, Path string
	Header       http.Header
	Form         url.Values     // urlencoded bodies
	JSON         map[string]any // JSON bodies
	Body         string
}

// fakeServer is a recording LumoAuth-shaped server on a real socket. Its default handlers are
// the happy path; tests replace one with handle().
type fakeServer struct {
	*httptest.Server
	t        testing.TB
	mu       sync.Mutex
	reqs     []recorded
	handlers map[string]http.HandlerFunc // "METHOD /suffix-after-prefix"
	serial   int
}

func newFakeServer(t testing.TB) *fakeServer {
	t.Helper()
	f := &fakeServer{t: t, handlers: map[string]http.HandlerFunc{}}
	f.handle("POST /oauth/token", f.tokenEndpoint)
	f.handle("GET /oauth/userinfo", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"sub": "agent:research-bot", "name": "Research Analyst",
			"agent_id": "agt_7f3a", "identity_type": "agent",
			"capabilities": []string{"read:documents", "mcp:financial"},
			"budget_policy": map[string]any{"max_tokens_per_day": 100000, "tokens_used_today": 15234,
				"max_api_calls_per_hour": 500, "api_calls_this_hour": 47},
			"tenant": testOrg})
	})
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeServer) handle(route string, h http.HandlerFunc) {
	f.mu.Lock()
	f.handlers[route] = h
	f.mu.Unlock()
}

func (f *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: string(body)}
	switch {
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		rec.Form, _ = url.ParseQuery(string(body))
		r.Form = rec.Form
		r.PostForm = rec.Form
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/json"):
		_ = json.Unmarshal(body, &rec.JSON)
	}
	suffix := r.URL.Path
	for _, p := range []string{"/orgs/" + testOrg + "/api/v1", "/t/" + testOrg + "/api/v1"} {
		suffix = strings.TrimPrefix(suffix, p)
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	h := f.handlers[r.Method+" "+suffix]
	f.mu.Unlock()
	if h == nil {
		writeJSON(w, 404, map[string]string{"error": "not_found", "error_description": "no route " + r.URL.Path})
		return
	}
	h(w, r)
}

// requests returns what was received, optionally only for one path suffix.
func (f *fakeServer) requests(suffix string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.reqs {
		if suffix == "" || strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeServer) count(suffix string) int { return len(f.requests(suffix)) }

// tokenEndpoint serves client credentials and token exchange.
func (f *fakeServer) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.serial++
	n := f.serial
	f.mu.Unlock()
	switch r.PostForm.Get("grant_type") {
	case "client_credentials":
		id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		if u, p, ok := r.BasicAuth(); ok {
			id, secret = u, p
		}
		if id != testClientID || secret != testSecret {
			writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "Client authentication failed"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": fakeJWT(map[string]any{"sub": "agent:" + id, "n": n,
			"aud": "issuer", "scope": "agent", "tenant": testOrg, "exp": time.Now().Add(time.Hour).Unix()}),
			"token_type": "Bearer", "expires_in": 3600, "scope": "agent"})
	case GrantTypeTokenExchange:
		aud := r.PostForm.Get("audience")
		writeJSON(w, 200, map[string]any{"access_token": fakeJWT(map[string]any{"sub": "agent:x", "aud": aud,
			"scope": "financial:read", "n": n}), "issued_token_type": TokenTypeAccessToken,
			"token_type": "Bearer", "expires_in": 300, "scope": "financial:read"})
	default:
		writeJSON(w, 400, map[string]string{"error": "unsupported_grant_type"})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fakeJWT builds an unsigned JWT-shaped token: enough for claim decoding.
func fakeJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "at+jwt", "kid": "k1"})
	p, _ := json.Marshal(claims)
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString([]byte("signature"))
}

// fakeClock is a controllable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 3, 14, 10, 30, 0, 0, time.UTC)} }
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// reports collects Hook calls.
type reports struct{ record.Log[Report] }

func (r *reports) kinds() []ReportKind {
	var out []ReportKind
	for _, x := range r.All() {
		out = append(out, x.Kind)
	}
	return out
}

func (r *reports) of(kind ReportKind) []Report {
	return r.Where(func(x Report) bool { return x.Kind == kind })
}

// testConfig points at f using the legacy (tenant) or current (org) prefix.
func testConfig(f *fakeServer, org bool) Config {
	cfg := Config{BaseURL: f.URL, ClientID: testClientID, ClientSecret: testSecret, Timeout: 5 * time.Second}
	if org {
		cfg.OrgID = testOrg
	} else {
		cfg.Tenant = testOrg
	}
	return cfg
}

func newTestAgent(t *testing.T, f *fakeServer, org bool, opts ...Option) (*Agent, *reports) {
	t.Helper()
	rep := &reports{}
	a, err := New(testConfig(f, org), append([]Option{WithHook(rep.Emit)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a, rep
}
