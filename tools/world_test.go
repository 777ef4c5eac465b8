package tools

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// testWorld is the embedded demo world on real HTTP: the devserver, and the financial MCP
// server behind a front that can revoke tokens and counts what reaches it.
type testWorld struct {
	dev    *devserver.Server
	mcpURL string
	front  *mcpFront
	auth   *tokenCounter
}

func startWorld(tb testing.TB) *testWorld {
	tb.Helper()
	dev, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("devserver: %v", err)
	}
	tb.Cleanup(func() { dev.Close() })
	h, err := financialmcp.NewHandler(financialmcp.Options{Issuer: dev.Issuer(), JWKSURL: dev.JWKSURL(), Resource: FinancialAudience})
	if err != nil {
		tb.Fatalf("financialmcp: %v", err)
	}
	front := &mcpFront{next: h, revoked: map[string]bool{}}
	srv := httptest.NewServer(front)
	tb.Cleanup(srv.Close)
	return &testWorld{dev: dev, mcpURL: srv.URL + financialmcp.MCPPath, front: front, auth: &tokenCounter{base: http.DefaultTransport}}
}

// agent returns a client for a seeded agent whose requests are counted by w.auth.
func (w *testWorld) agent(tb testing.TB, name string) *auth.Agent {
	tb.Helper()
	id, secret, ok := w.dev.Credentials(name)
	if !ok {
		tb.Fatalf("no seeded agent %s", name)
	}
	a, err := auth.New(auth.Config{BaseURL: w.dev.URL(), OrgID: "acme-corp", ClientID: id, ClientSecret: secret},
		auth.WithHTTPClient(&http.Client{Transport: w.auth}))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// tokenCounter counts token-endpoint requests by grant type.
type tokenCounter struct {
	base      http.RoundTripper
	grants    atomic.Int64 // client_credentials
	exchanges atomic.Int64 // token exchange
}

func (c *tokenCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/oauth/token") && r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		switch {
		case bytes.Contains(body, []byte("token-exchange")):
			c.exchanges.Add(1)
		case bytes.Contains(body, []byte("client_credentials")):
			c.grants.Add(1)
		}
	}
	return c.base.RoundTrip(r)
}

// mcpFront stands in front of the MCP server like a gateway that knows revoked tokens: it
// answers 401 to them, and counts requests and MCP initializations.
type mcpFront struct {
	next        http.Handler
	mu          sync.Mutex
	revoked     map[string]bool
	revokeNext  bool // revoke the next token presented
	revokeAll   bool // every token is revoked
	requests    atomic.Int64
	initializes atomic.Int64
	unauthz     atomic.Int64
}

func (f *mcpFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	authz := r.Header.Get("Authorization")
	f.mu.Lock()
	if f.revokeNext && authz != "" {
		f.revoked[authz], f.revokeNext = true, false
	}
	refused := f.revokeAll || f.revoked[authz]
	f.mu.Unlock()
	if refused {
		f.unauthz.Add(1)
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="token revoked"`)
		http.Error(w, "token revoked", http.StatusUnauthorized)
		return
	}
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if bytes.Contains(body, []byte(`"method":"initialize"`)) {
			f.initializes.Add(1)
		}
	}
	f.next.ServeHTTP(w, r)
}

func (f *mcpFront) set(next, all bool) {
	f.mu.Lock()
	f.revokeNext, f.revokeAll = next, all
	f.mu.Unlock()
}
