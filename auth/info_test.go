package auth

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestInfoDecodesEveryField(t *testing.T) {
	f := newFakeServer(t)
	f.handle("GET /oauth/userinfo", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"sub": "agent:research-bot", "name": "Research Assistant Bot", "agent_id": "agt_1",
			"identity_type": "agent", "capabilities": []string{"read:documents", "mcp:financial"},
			"budget_policy": map[string]any{"max_tokens_per_day": 100000, "tokens_used_today": 15234.0,
				"max_api_calls_per_hour": "500", "api_calls_this_hour": 47, "max_cost_per_month_usd": 25.5,
				"allowed_models": []string{"gpt-4o-mini"}, "require_approval_above_usd": 1.25,
				"tokens_reset_at": "2026-03-15T00:00:00Z", "calls_reset_at": 1773489600},
			"organization": "acme-org"})
	})
	clock := newFakeClock()
	a, rep := newTestAgent(t, f, true, WithClock(clock.Now))
	info, err := a.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b := info.Budget
	if info.Subject != "agent:research-bot" || info.Name != "Research Assistant Bot" || info.AgentID != "agt_1" ||
		info.IdentityType != "agent" || info.Organization != "acme-org" || len(info.Capabilities) != 2 || !info.FetchedAt.Equal(clock.Now()) {
		t.Errorf("info %+v", info)
	}
	if b.MaxTokensPerDay != 100000 || b.TokensUsedToday != 15234 || b.MaxAPICallsPerHour != 500 || b.APICallsThisHour != 47 ||
		b.MaxCostPerMonthUSD == nil || *b.MaxCostPerMonthUSD != 25.5 || b.RequireApprovalAboveUSD == nil || *b.RequireApprovalAboveUSD != 1.25 ||
		len(b.AllowedModels) != 1 || !b.TokensResetAt.Equal(time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)) ||
		!b.CallsResetAt.Equal(time.Unix(1773489600, 0)) {
		t.Errorf("budget %+v", b)
	}
	r := rep.of(ReportInfoRefreshed)
	if len(r) != 1 || r[0].Info == nil || r[0].Status != 200 || r[0].Method != "GET" || r[0].Endpoint != "/orgs/acme-corp/api/v1/oauth/userinfo" {
		t.Errorf("report %+v", r)
	}
}

func TestInfoTenantAndDefaultResets(t *testing.T) {
	f := newFakeServer(t)   // default handler: "tenant", no reset fields
	clock := newFakeClock() // 2026-03-14 10:30 UTC
	a, _ := newTestAgent(t, f, false, WithClock(clock.Now))
	info, err := a.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Organization != testOrg {
		t.Errorf("organization %q from tenant", info.Organization)
	}
	if want := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC); !info.Budget.TokensResetAt.Equal(want) {
		t.Errorf("tokens reset %v, want %v", info.Budget.TokensResetAt, want)
	}
	if want := time.Date(2026, 3, 14, 11, 0, 0, 0, time.UTC); !info.Budget.CallsResetAt.Equal(want) {
		t.Errorf("calls reset %v, want %v", info.Budget.CallsResetAt, want)
	}
}

func TestInfoCacheMaxAge(t *testing.T) {
	f := newFakeServer(t)
	clock := newFakeClock()
	a, _ := newTestAgent(t, f, true, WithClock(clock.Now), WithInfoMaxAge(10*time.Second))
	ctx := context.Background()
	if _, ok := a.CachedInfo(); ok {
		t.Fatal("cached info before any fetch")
	}
	for i := 0; i < 5; i++ {
		if ok, err := a.HasCapability(ctx, "mcp:financial"); err != nil || !ok {
			t.Fatal(ok, err)
		}
		if ok, _ := a.HasCapability(ctx, "mcp:Financial"); ok {
			t.Fatal("capability match must be exact")
		}
	}
	if n := f.count("/oauth/userinfo"); n != 1 {
		t.Fatalf("%d userinfo requests within max age", n)
	}
	clock.Advance(11 * time.Second)
	if _, err := a.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count("/oauth/userinfo"); n != 2 {
		t.Fatalf("%d userinfo requests after max age, want 2", n)
	}
	if _, err := a.RefreshInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count("/oauth/userinfo"); n != 3 {
		t.Fatalf("RefreshInfo did not ask the server")
	}
	clock.Advance(time.Hour)
	if _, ok := a.CachedInfo(); !ok {
		t.Fatal("CachedInfo should serve stale info without I/O")
	}
	if n := f.count("/oauth/userinfo"); n != 3 {
		t.Fatalf("CachedInfo made a request")
	}
}

func TestConcurrentInfoSharesOneRequest(t *testing.T) {
	f := newFakeServer(t)
	release := make(chan struct{})
	var once sync.Once
	def := f.handlers["GET /oauth/userinfo"]
	f.handle("GET /oauth/userinfo", func(w http.ResponseWriter, r *http.Request) {
		<-release
		def(w, r)
	})
	a, _ := newTestAgent(t, f, true)
	if _, err := a.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.HasCapability(context.Background(), "read:documents"); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	once.Do(func() { close(release) })
	wg.Wait()
	if n := f.count("/oauth/userinfo"); n != 1 {
		t.Fatalf("%d userinfo requests for 10 concurrent callers", n)
	}
}

func TestBudgetExhausted(t *testing.T) {
	reset := "2026-03-15T00:00:00Z"
	tests := []struct {
		name      string
		policy    map[string]any
		exhausted bool
		limit     string
	}{
		{"within", map[string]any{"max_tokens_per_day": 100, "tokens_used_today": 99, "max_api_calls_per_hour": 10, "api_calls_this_hour": 9}, false, ""},
		{"tokens spent", map[string]any{"max_tokens_per_day": 100, "tokens_used_today": 100, "tokens_reset_at": reset}, true, "tokens/day"},
		{"calls spent", map[string]any{"max_tokens_per_day": 100, "tokens_used_today": 5, "max_api_calls_per_hour": 10, "api_calls_this_hour": 12}, true, "calls/hour"},
		{"no limits", map[string]any{"max_tokens_per_day": 0, "tokens_used_today": 5000}, false, ""},
		{"no policy", nil, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			f.handle("GET /oauth/userinfo", func(w http.ResponseWriter, r *http.Request) {
				body := map[string]any{"sub": "agent:x", "capabilities": []string{}}
				if tt.policy != nil {
					body["budget_policy"] = tt.policy
				}
				writeJSON(w, 200, body)
			})
			clock := newFakeClock()
			a, _ := newTestAgent(t, f, true, WithClock(clock.Now))
			st, err := a.BudgetExhausted(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.Exhausted != tt.exhausted || st.Limit != tt.limit {
				t.Errorf("status %+v", st)
			}
			switch tt.limit {
			case "tokens/day":
				if !st.ResetsAt.Equal(time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("resets %v", st.ResetsAt)
				}
			case "calls/hour":
				if !st.ResetsAt.Equal(time.Date(2026, 3, 14, 11, 0, 0, 0, time.UTC)) {
					t.Errorf("resets %v", st.ResetsAt)
				}
			}
		})
	}
}

func TestInfoFaults(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		wantCode string
		status   int
	}{
		{"malformed JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"capabilities": [`))
		}, CodeInvalidResponse, 200},
		{"wrong type", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, map[string]any{"capabilities": "read:documents"})
		}, CodeInvalidResponse, 200},
		{"500", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, "", 500},
		{"403", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 403, map[string]string{"error": "insufficient_scope", "error_description": "needs openid"})
		}, "insufficient_scope", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			f.handle("GET /oauth/userinfo", tt.handler)
			a, rep := newTestAgent(t, f, false)
			ok, err := a.HasCapability(context.Background(), "read:documents")
			var oe *OAuthError
			if ok || !errors.As(err, &oe) || oe.Code != tt.wantCode || oe.Status != tt.status {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			if len(rep.of(ReportInfoFailed)) != 1 {
				t.Errorf("reports %v", rep.kinds())
			}
			tok, _ := a.Token(context.Background())
			assertNoSecrets(t, err.Error(), tok.raw)
		})
	}
}

func TestUserinfo401RenewsTheTokenOnce(t *testing.T) {
	f := newFakeServer(t)
	def := f.handlers["GET /oauth/userinfo"]
	var calls atomic.Int32
	f.handle("GET /oauth/userinfo", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 401, map[string]string{"error": "invalid_token"})
			return
		}
		def(w, r)
	})
	a, _ := newTestAgent(t, f, true)
	if _, err := a.Info(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := f.count("/oauth/token"); n != 2 {
		t.Fatalf("%d grants, want 2 (the refused token replaced)", n)
	}
}
