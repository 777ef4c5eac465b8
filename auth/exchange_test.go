package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const financial = "urn:mcp:financial-data"

func exchangeRequests(f *fakeServer) []recorded {
	var out []recorded
	for _, r := range f.requests("/oauth/token") {
		if r.Form.Get("grant_type") == GrantTypeTokenExchange {
			out = append(out, r)
		}
	}
	return out
}

func TestExchangeCachedPerAudience(t *testing.T) {
	f := newFakeServer(t)
	clock := newFakeClock()
	a, rep := newTestAgent(t, f, true, WithClock(clock.Now))
	ctx := context.Background()
	first, err := a.Exchange(ctx, financial)
	if err != nil {
		t.Fatal(err)
	}
	if first.Cached || first.Audience != financial || first.Summary.Claims.Audience[0] != financial || first.Summary.Scope != "financial:read" {
		t.Errorf("first %+v", first)
	}
	if !first.Summary.ExpiresAt.Equal(clock.Now().Add(5 * time.Minute)) {
		t.Errorf("expiry %v", first.Summary.ExpiresAt)
	}
	clock.Advance(3 * time.Minute)
	second, err := a.Exchange(ctx, financial)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Cached || second.Summary.Fingerprint != first.Summary.Fingerprint || len(exchangeRequests(f)) != 1 {
		t.Fatalf("not served from cache: %+v, %d exchanges", second, len(exchangeRequests(f)))
	}
	cached := rep.of(ReportExchangeCached)
	if len(cached) != 1 || cached[0].Endpoint != "" || cached[0].Audience != financial || cached[0].Token == nil {
		t.Errorf("cached report %+v", cached)
	}
	other, err := a.Exchange(ctx, "https://crm.example.com")
	if err != nil || other.Cached || len(exchangeRequests(f)) != 2 {
		t.Fatalf("other audience: %+v %v", other, err)
	}
	clock.Advance(61 * time.Second) // 4 min 1 s: within 60 s of the 5 min expiry
	third, err := a.Exchange(ctx, financial)
	if err != nil || third.Cached || third.Summary.Fingerprint == first.Summary.Fingerprint {
		t.Fatalf("not renewed near expiry: %+v %v", third, err)
	}
	a.InvalidateExchange(financial)
	fourth, err := a.Exchange(ctx, financial)
	if err != nil || fourth.Cached || len(exchangeRequests(f)) != 4 {
		t.Fatalf("InvalidateExchange kept the entry: %+v %v", fourth, err)
	}
	if n := len(rep.of(ReportExchangeNew)); n != 4 {
		t.Errorf("%d exchange_new reports", n)
	}
}

func TestExchangeFailures(t *testing.T) {
	tests := []struct {
		name       string
		audience   string
		handler    http.HandlerFunc
		wantStatus int
		wantCode   string
		wantText   string
	}{
		{name: "refused", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 403, map[string]string{"error": "delegation_not_allowed", "error_description": "agent lacks mcp:financial"})
		}, wantStatus: 403, wantCode: "delegation_not_allowed", wantText: "agent lacks mcp:financial"},
		{name: "unknown audience", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, map[string]string{"error": "invalid_target", "message": "unknown audience " + r.PostForm.Get("audience")})
		}, wantStatus: 400, wantCode: "invalid_target", wantText: "unknown audience urn:mcp:financial-data"},
		{name: "detail fallback", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 403, map[string]string{"error": "forbidden", "detail": "policy says no"})
		}, wantStatus: 403, wantCode: "forbidden", wantText: "policy says no"},
		{name: "error only", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, map[string]string{"error": "unsupported_token_type"})
		}, wantStatus: 400, wantCode: "unsupported_token_type", wantText: "unsupported_token_type"},
		{name: "budget 429", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 429, map[string]string{"error": "budget_exceeded"})
		}, wantStatus: 429, wantCode: "budget_exceeded"},
		{name: "echoes subject token", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 400, map[string]string{"error": "invalid_grant", "error_description": "bad token " + r.PostForm.Get("subject_token")})
		}, wantStatus: 400, wantCode: "invalid_grant", wantText: "bad token eyJhbG…"},
		{name: "malformed", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte("{nope"))
		}, wantStatus: 200, wantCode: CodeInvalidResponse, wantText: "malformed JSON"},
		{name: "no token", handler: func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) },
			wantStatus: 200, wantCode: CodeInvalidResponse, wantText: "no access_token"},
		{name: "empty audience", audience: " ", wantCode: "invalid_request", wantText: "needs an audience"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			if tt.handler != nil {
				f.handle("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
					if r.PostForm.Get("grant_type") == GrantTypeTokenExchange {
						tt.handler(w, r)
						return
					}
					f.tokenEndpoint(w, r)
				})
			}
			a, rep := newTestAgent(t, f, false)
			aud := financial
			if tt.audience != "" {
				aud = tt.audience
			}
			cred, err := a.Exchange(context.Background(), aud)
			var oe *OAuthError
			if cred != nil || !errors.As(err, &oe) {
				t.Fatalf("cred=%v err=%v", cred, err)
			}
			if oe.Status != tt.wantStatus || oe.Code != tt.wantCode || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("got %d %q %q", oe.Status, oe.Code, err.Error())
			}
			if tt.wantStatus == 429 && !IsBudgetExceeded(err) {
				t.Errorf("IsBudgetExceeded false for %v", err)
			}
			if len(rep.of(ReportExchangeFailed)) != 1 {
				t.Errorf("reports %v", rep.kinds())
			}
			tok, _ := a.Token(context.Background())
			assertNoSecrets(t, err.Error(), tok.raw)
			// A failure is not cached: the next call asks again.
			if tt.handler != nil {
				before := len(exchangeRequests(f))
				_, _ = a.Exchange(context.Background(), aud)
				if len(exchangeRequests(f)) != before+1 {
					t.Errorf("failure was cached")
				}
			}
		})
	}
}

func TestExchangeAuthenticatesWhenTheServerWantsIt(t *testing.T) {
	for _, status := range []int{401, 400} {
		f := newFakeServer(t)
		f.handle("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
			if r.PostForm.Get("grant_type") == GrantTypeTokenExchange &&
				(r.PostForm.Get("client_id") != testClientID || r.PostForm.Get("client_secret") != testSecret) {
				writeJSON(w, status, map[string]string{"error": "invalid_client", "error_description": "client authentication required"})
				return
			}
			f.tokenEndpoint(w, r)
		})
		a, _ := newTestAgent(t, f, true)
		if _, err := a.Exchange(context.Background(), financial); err != nil {
			t.Fatal(err)
		}
		a.InvalidateExchange(financial)
		if _, err := a.Exchange(context.Background(), financial); err != nil {
			t.Fatal(err)
		}
		got := exchangeRequests(f)
		if len(got) != 3 || got[0].Form.Has("client_secret") || !got[1].Form.Has("client_secret") || !got[2].Form.Has("client_secret") {
			t.Fatalf("status %d: want unauthenticated, authenticated, authenticated (remembered); got %d requests", status, len(got))
		}
	}
}

// heldExchanges is a fake server whose token exchanges wait until release is closed (other
// grants answer at once), and an agent of it.
func heldExchanges(t *testing.T) (f *fakeServer, a *Agent, release chan struct{}) {
	f = newFakeServer(t)
	release = make(chan struct{})
	f.handle("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if r.PostForm.Get("grant_type") == GrantTypeTokenExchange {
			<-release
		}
		f.tokenEndpoint(w, r)
	})
	a, _ = newTestAgent(t, f, true)
	return f, a, release
}

func TestConcurrentExchangesShareOneRequest(t *testing.T) {
	f, a, release := heldExchanges(t)
	if _, err := a.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	fps := make(chan string, 10)
	var fresh atomic.Int32 // callers told their token is new, not another's
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := a.Exchange(context.Background(), financial)
			if err != nil {
				t.Error(err)
				return
			}
			if !c.Cached {
				fresh.Add(1)
			}
			fps <- c.Summary.Fingerprint
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(fps)
	seen := map[string]bool{}
	for fp := range fps {
		seen[fp] = true
	}
	if n := len(exchangeRequests(f)); n != 1 || len(seen) != 1 {
		t.Fatalf("%d exchanges, %d distinct tokens for 10 concurrent callers", n, len(seen))
	}
	if n := fresh.Load(); n != 1 {
		t.Errorf("%d callers were told their token is new; only the one whose request fetched it is", n)
	}
}

func TestExchangeCallerCancelDoesNotFailOthers(t *testing.T) {
	_, a, release := heldExchanges(t)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := a.Exchange(ctx, financial); first <- err }()
	time.Sleep(30 * time.Millisecond)
	second := make(chan error, 1)
	go func() { _, err := a.Exchange(context.Background(), financial); second <- err }()
	time.Sleep(30 * time.Millisecond)
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller got %v", err)
	}
	close(release)
	if err := <-second; err != nil {
		t.Errorf("other caller failed: %v", err)
	}
}
