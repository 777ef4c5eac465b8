package auth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// assertNoSecrets fails when text carries the client secret or a token.
func assertNoSecrets(t *testing.T, text string, tokens ...string) {
	t.Helper()
	if strings.Contains(text, testSecret) {
		t.Errorf("text contains the client secret: %s", text)
	}
	for _, tok := range tokens {
		if tok != "" && strings.Contains(text, tok) {
			t.Errorf("text contains a raw token: %s", text)
		}
	}
}

func TestAuthenticateFailures(t *testing.T) {
	tests := []struct {
		name       string
		secret     string
		clientID   string
		handler    http.HandlerFunc
		timeout    time.Duration
		wantStatus int
		wantCode   string
		wantText   string
	}{
		{name: "wrong secret", secret: "wrong-secret-123", wantStatus: 401, wantCode: "invalid_client", wantText: "Client authentication failed"},
		{name: "unknown client", clientID: "nobody", wantStatus: 401, wantCode: "invalid_client"},
		{name: "5xx with HTML", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html><body>Bad Gateway</body></html>"))
		}, wantStatus: 502, wantText: "the server failed"},
		{name: "malformed JSON", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token": "abc", "expires_in": `))
		}, wantStatus: 200, wantCode: CodeInvalidResponse, wantText: "malformed"},
		{name: "no access_token", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, map[string]any{"token_type": "Bearer"})
		}, wantStatus: 200, wantCode: CodeInvalidResponse, wantText: "no access_token"},
		{name: "error echoing the secret", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, map[string]string{"error": "invalid_request", "message": "bad secret " + r.PostForm.Get("client_secret")})
		}, wantStatus: 400, wantCode: "invalid_request", wantText: "bad secret [redacted]"},
		{name: "429 budget", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 429, map[string]string{"error": "budget_exceeded", "detail": "daily token budget spent"})
		}, wantStatus: 429, wantCode: "budget_exceeded", wantText: "daily token budget spent"},
		{name: "slow server", timeout: 100 * time.Millisecond, handler: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		}, wantCode: CodeUnreachable, wantText: "no answer within"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			if tt.handler != nil {
				f.handle("POST /oauth/token", tt.handler)
			}
			cfg := testConfig(f, false)
			if tt.secret != "" {
				cfg.ClientSecret = tt.secret
			}
			if tt.clientID != "" {
				cfg.ClientID = tt.clientID
			}
			if tt.timeout != 0 {
				cfg.Timeout = tt.timeout
			}
			rep := &reports{}
			a, err := New(cfg, WithHook(rep.Emit))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = a.Authenticate(context.Background())
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("took %s", elapsed)
			}
			var oe *OAuthError
			if !errors.As(err, &oe) {
				t.Fatalf("err = %v (%T), want *OAuthError", err, err)
			}
			if oe.Status != tt.wantStatus || oe.Code != tt.wantCode || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("got status %d code %q text %q; want %d %q containing %q", oe.Status, oe.Code, err.Error(), tt.wantStatus, tt.wantCode, tt.wantText)
			}
			if oe.Endpoint != "/t/acme-corp/api/v1/oauth/token" {
				t.Errorf("endpoint %q", oe.Endpoint)
			}
			assertNoSecrets(t, err.Error())
			if strings.Contains(err.Error(), cfg.ClientSecret) {
				t.Errorf("error contains the secret in use: %v", err)
			}
			failed := rep.of(ReportTokenFailed)
			if len(failed) != 1 || failed[0].Err == nil || failed[0].Endpoint != oe.Endpoint || failed[0].Method != "POST" {
				t.Errorf("reports = %+v", rep.All())
			}
		})
	}
}

func TestServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	a, err := New(Config{BaseURL: "http://" + addr, Tenant: testOrg, ClientID: testClientID, ClientSecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Token(context.Background())
	var oe *OAuthError
	if !errors.As(err, &oe) || oe.Code != CodeUnreachable || oe.Status != 0 || !strings.Contains(err.Error(), "cannot reach") {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, err.Error())
}

func TestTimeoutIsAnErrorsIsDeadline(t *testing.T) {
	f := newFakeServer(t)
	f.handle("GET /oauth/userinfo", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	cfg := testConfig(f, true)
	cfg.Timeout = 80 * time.Millisecond
	a, _ := New(cfg)
	_, err := a.Info(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
}

func TestBasicAuthWhenTheServerAsksForIt(t *testing.T) {
	f := newFakeServer(t)
	f.handle("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="lumoauth"`)
			writeJSON(w, 401, map[string]string{"error": "invalid_client"})
			return
		}
		if u != testClientID || p != testSecret || r.PostForm.Has("client_secret") {
			writeJSON(w, 401, map[string]string{"error": "invalid_client"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "opaque-token-1", "expires_in": 3600})
	})
	a, _ := newTestAgent(t, f, true)
	for i := 0; i < 2; i++ {
		if _, err := a.Authenticate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	reqs := f.requests("/oauth/token")
	if len(reqs) != 3 { // body, then Basic; the second grant goes straight to Basic
		t.Fatalf("%d token requests, want 3", len(reqs))
	}
	if reqs[0].Form.Get("client_secret") != testSecret {
		t.Errorf("first attempt should carry the secret in the body: %v", reqs[0].Form)
	}
	if _, _, ok := (&http.Request{Header: reqs[2].Header}).BasicAuth(); !ok {
		t.Errorf("second grant did not remember Basic")
	}
}

func TestTokenRenewalAcrossExpiry(t *testing.T) {
	f := newFakeServer(t)
	clock := newFakeClock()
	a, rep := newTestAgent(t, f, false, WithClock(clock.Now))
	ctx := context.Background()
	first, err := a.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := clock.Now().Add(time.Hour); !first.Summary.ExpiresAt.Equal(want) {
		t.Errorf("expiry %v, want %v (from expires_in with our clock)", first.Summary.ExpiresAt, want)
	}
	clock.Advance(58 * time.Minute)
	same, _ := a.Token(ctx)
	if same.Summary.Fingerprint != first.Summary.Fingerprint || f.count("/oauth/token") != 1 {
		t.Fatalf("renewed too early")
	}
	clock.Advance(61 * time.Second) // 59 min 1 s: inside the 60 s margin
	renewed, err := a.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if renewed.Summary.Fingerprint == first.Summary.Fingerprint || f.count("/oauth/token") != 2 {
		t.Fatalf("not renewed inside the margin")
	}
	if got := rep.kinds(); len(got) != 2 || got[0] != ReportTokenObtained || got[1] != ReportTokenRenewed {
		t.Errorf("reports %v, want obtained then renewed", got)
	}
	r := rep.of(ReportTokenRenewed)[0]
	if r.Token == nil || r.Token.Fingerprint != renewed.Summary.Fingerprint || r.Status != 200 || r.Endpoint != "/t/acme-corp/api/v1/oauth/token" {
		t.Errorf("renewed report %+v", r)
	}
	if r.Token.Claims.Subject != "agent:"+testClientID || r.Token.Claims.Org != testOrg {
		t.Errorf("claims %+v", r.Token.Claims)
	}
}

func TestExpiryFallbacks(t *testing.T) {
	clock := newFakeClock()
	jwtExp := clock.Now().Add(20 * time.Minute)
	tests := []struct {
		name  string
		body  map[string]any
		want  time.Time
		renew time.Time
	}{
		{"expires_in", map[string]any{"access_token": "opaque", "expires_in": 600}, clock.Now().Add(10 * time.Minute), clock.Now().Add(9 * time.Minute)},
		{"expires_in as string", map[string]any{"access_token": "opaque", "expires_in": "600"}, clock.Now().Add(10 * time.Minute), clock.Now().Add(9 * time.Minute)},
		{"jwt exp", map[string]any{"access_token": fakeJWT(map[string]any{"exp": jwtExp.Unix()})}, jwtExp, jwtExp.Add(-time.Minute)},
		{"neither", map[string]any{"access_token": "opaque"}, clock.Now().Add(time.Hour), clock.Now().Add(59 * time.Minute)},
		{"short-lived", map[string]any{"access_token": "opaque", "expires_in": 30}, clock.Now().Add(30 * time.Second), clock.Now().Add(15 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			f.handle("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, tt.body) })
			a, _ := newTestAgent(t, f, true, WithClock(clock.Now))
			s, err := a.Authenticate(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !s.ExpiresAt.Equal(tt.want) {
				t.Errorf("expiry %v, want %v", s.ExpiresAt, tt.want)
			}
			if got := a.token.renewAt; !got.Equal(tt.renew) {
				t.Errorf("renew at %v, want %v", got, tt.renew)
			}
		})
	}
}

func TestConcurrentTokenCallersShareOneGrant(t *testing.T) {
	f := newFakeServer(t)
	release := make(chan struct{})
	f.handle("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		<-release
		f.tokenEndpoint(w, r)
	})
	a, _ := newTestAgent(t, f, true)
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() { _, err := a.Token(context.Background()); errs <- err }()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count("/oauth/token"); n != 1 {
		t.Fatalf("%d grants for 8 concurrent callers", n)
	}
}

func TestSummaryOfNonJWTHasEmptyClaims(t *testing.T) {
	s := summarize("opaque-token", time.Time{}, "a b")
	if !reflect.DeepEqual(s.Claims, Claims{}) {
		t.Errorf("claims %+v", s.Claims)
	}
	if len(s.Fingerprint) != 8 || s.Fingerprint != Fingerprint("opaque-token") || s.Scope != "a b" {
		t.Errorf("summary %+v", s)
	}
	// SHA-256("abc") = ba7816bf 8f01cfea…
	if Fingerprint("abc") != "ba7816bf" {
		t.Errorf("fingerprint(abc) = %s", Fingerprint("abc"))
	}
}
