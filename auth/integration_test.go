package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
)

// Integration over real HTTP against the embedded LumoAuth-compatible server.

const financialAudience = "urn:mcp:financial-data"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func startDev(t *testing.T) (*devserver.Server, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 14, 22, 30, 0, 0, time.UTC)}
	s, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0", devserver.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, c
}

func agentFor(t *testing.T, s *devserver.Server, c *clock, name string, org bool, opts ...auth.Option) *auth.Agent {
	t.Helper()
	id, secret, ok := s.Credentials(name)
	if !ok {
		t.Fatalf("no seeded client %q", name)
	}
	cfg := auth.Config{BaseURL: s.URL(), ClientID: id, ClientSecret: secret, Timeout: 5 * time.Second}
	if org {
		cfg.OrgID = "acme-corp"
	} else {
		cfg.Tenant = "acme-corp"
	}
	a, err := auth.New(cfg, append([]auth.Option{auth.WithClock(c.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func oauthErr(t *testing.T, err error) *auth.OAuthError {
	t.Helper()
	var oe *auth.OAuthError
	if !errors.As(err, &oe) {
		t.Fatalf("err = %v (%T), want *auth.OAuthError", err, err)
	}
	return oe
}

func TestDevserverHappyPathOnBothPrefixes(t *testing.T) {
	s, c := startDev(t)
	for _, org := range []bool{true, false} {
		var mu sync.Mutex
		var kinds []auth.ReportKind
		a := agentFor(t, s, c, "research-analyst", org, auth.WithHook(func(r auth.Report) {
			mu.Lock()
			kinds = append(kinds, r.Kind)
			mu.Unlock()
		}))
		ctx := context.Background()
		sum, err := a.Authenticate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wantIss := s.LegacyIssuer() // each prefix is its own issuer
		if org {
			wantIss = s.Issuer()
		}
		if sum.Claims.Issuer != wantIss || sum.Claims.ClientID != "research-analyst" || !sum.ExpiresAt.Equal(c.Now().Add(time.Hour)) {
			t.Errorf("summary %+v", sum)
		}
		info, err := a.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.Organization != "acme-corp" || info.Name != "Research Analyst" || info.Budget.MaxTokensPerDay != 100000 ||
			info.Budget.MaxCostPerMonthUSD == nil || len(info.Budget.AllowedModels) == 0 {
			t.Errorf("info %+v", info)
		}
		for capability, want := range map[string]bool{"read:documents": true, "mcp:financial": true, "write:reports": false} {
			if got, err := a.HasCapability(ctx, capability); err != nil || got != want {
				t.Errorf("HasCapability(%s) = %v, %v", capability, got, err)
			}
		}
		cred, err := a.Exchange(ctx, financialAudience)
		if err != nil {
			t.Fatal(err)
		}
		if cred.Summary.Claims.Audience[0] != financialAudience || cred.Summary.Scope != "financial:read" || cred.Cached {
			t.Errorf("exchanged %+v", cred.Summary)
		}
		again, err := a.Exchange(ctx, financialAudience)
		if err != nil || !again.Cached || again.Summary.Fingerprint != cred.Summary.Fingerprint {
			t.Errorf("second exchange not cached: %+v %v", again, err)
		}
		if err := a.ReportUsage(ctx, "gpt-4o-mini", 700, 300); err != nil {
			t.Fatal(err)
		}
		after, err := a.Info(ctx)
		if err != nil || after.Budget.TokensUsedToday != info.Budget.TokensUsedToday+1000 {
			t.Errorf("usage not metered: before %d after %d (%v)", info.Budget.TokensUsedToday, after.Budget.TokensUsedToday, err)
		}
		mu.Lock()
		got := strings.Join(func() []string {
			var out []string
			for _, k := range kinds {
				out = append(out, string(k))
			}
			return out
		}(), ",")
		mu.Unlock()
		if got != "token_obtained,info_refreshed,exchange_new,exchange_cached,usage_reported,info_refreshed" {
			t.Errorf("reports %s", got)
		}
	}
}

func TestDevserverRenewalWithControlledClock(t *testing.T) {
	s, c := startDev(t)
	var renewed int
	var mu sync.Mutex
	a := agentFor(t, s, c, "research-analyst", false, auth.WithHook(func(r auth.Report) {
		if r.Kind == auth.ReportTokenRenewed {
			mu.Lock()
			renewed++
			mu.Unlock()
		}
	}))
	ctx := context.Background()
	first, err := a.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(59*time.Minute + time.Second)
	second, err := a.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.Summary.Fingerprint == first.Summary.Fingerprint || renewed != 1 {
		t.Fatalf("not renewed 59 s before expiry (renewed reports %d)", renewed)
	}
	c.Advance(2 * time.Minute) // the first token is now expired on the server too
	if _, err := a.Exchange(ctx, financialAudience); err != nil {
		t.Fatalf("exchange with the renewed token: %v", err)
	}
}

func TestDevserverRefusals(t *testing.T) {
	s, c := startDev(t)
	ctx := context.Background()

	junior := agentFor(t, s, c, "junior-analyst", true)
	_, err := junior.Exchange(ctx, financialAudience)
	oe := oauthErr(t, err)
	if oe.Status != 403 || oe.Code != "delegation_not_allowed" || !strings.Contains(oe.Description, "mcp:financial") {
		t.Errorf("junior exchange: %+v", oe)
	}

	research := agentFor(t, s, c, "research-analyst", false)
	_, err = research.Exchange(ctx, "urn:mcp:unknown")
	if oe := oauthErr(t, err); oe.Status != 400 || oe.Code != "invalid_target" {
		t.Errorf("unknown audience: %+v", oe)
	}

	id, _, _ := s.Credentials("research-analyst")
	wrong, err := auth.New(auth.Config{BaseURL: s.URL(), Tenant: "acme-corp", ClientID: id, ClientSecret: "not-the-secret"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = wrong.Authenticate(ctx)
	if oe := oauthErr(t, err); oe.Status != 401 || oe.Code != "invalid_client" || strings.Contains(err.Error(), "not-the-secret") {
		t.Errorf("wrong secret: %v", err)
	}
	unknown, _ := auth.New(auth.Config{BaseURL: s.URL(), OrgID: "acme-corp", ClientID: "ghost", ClientSecret: "whatever"})
	_, err = unknown.Authenticate(ctx)
	if oe := oauthErr(t, err); oe.Status != 401 || oe.Code != "invalid_client" {
		t.Errorf("unknown client: %v", err)
	}
	otherOrg, _ := auth.New(auth.Config{BaseURL: s.URL(), OrgID: "globex", ClientID: id, ClientSecret: "x"})
	_, err = otherOrg.Authenticate(ctx)
	if oe := oauthErr(t, err); oe.Status != 404 {
		t.Errorf("unknown organisation: %v", err)
	}
}

func TestDevserverBudgetExhaustionAndReset(t *testing.T) {
	s, c := startDev(t) // 22:30 UTC
	capped := agentFor(t, s, c, "capped-analyst", true)
	ctx := context.Background()
	st, err := capped.BudgetExhausted(ctx)
	if err != nil || st.Exhausted {
		t.Fatalf("fresh capped agent: %+v %v", st, err)
	}
	if err := capped.ReportUsage(ctx, "gpt-4o-mini", 800, 400); err != nil {
		t.Fatal(err)
	}
	st, err = capped.BudgetExhausted(ctx)
	midnight := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	if err != nil || !st.Exhausted || st.Limit != "tokens/day" || !st.ResetsAt.Equal(midnight) {
		t.Fatalf("after spending: %+v %v", st, err)
	}
	err = capped.ReportUsage(ctx, "gpt-4o-mini", 1, 1)
	if !auth.IsBudgetExceeded(err) || oauthErr(t, err).Status != 429 {
		t.Fatalf("usage past the budget: %v", err)
	}
	capped.InvalidateExchange(financialAudience)
	if _, err := capped.Exchange(ctx, financialAudience); !auth.IsBudgetExceeded(err) {
		t.Errorf("exchange past the budget: %v", err)
	}
	c.Advance(90 * time.Minute) // past midnight UTC
	info, err := capped.RefreshInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, _ = capped.BudgetExhausted(ctx)
	if st.Exhausted || info.Budget.TokensUsedToday != 0 || !info.Budget.TokensResetAt.Equal(midnight.Add(24*time.Hour)) {
		t.Fatalf("after the reset: %+v / %+v", st, info.Budget)
	}
	if err := capped.ReportUsage(ctx, "gpt-4o-mini", 10, 10); err != nil {
		t.Fatalf("usage after the reset: %v", err)
	}
}

func TestDevserverJIT(t *testing.T) {
	for _, approve := range []bool{true, false} {
		s, c := startDev(t)
		ctx := context.Background()
		junior := agentFor(t, s, c, "junior-analyst", false)
		operator := agentFor(t, s, c, "operator", false)
		task, err := junior.CreateJITTask(ctx, "Q3 review", "analysis")
		if err != nil || task.ID == "" || task.ExpiresAt.IsZero() {
			t.Fatalf("task %+v %v", task, err)
		}
		req, err := junior.RequestJIT(ctx, auth.JITRequest{TaskID: task.ID, Justification: "EBITDA for the Q3 memo",
			AuthorizationDetails: auth.AuthorizationDetails{Type: "agent_capability", Actions: []string{"mcp:financial"}}})
		if err != nil || req.Status != auth.JITPending || req.RiskLevel != "high" {
			t.Fatalf("request %+v %v", req, err)
		}
		if _, err := junior.JITToken(ctx, req.RequestID); oauthErr(t, err).Status != 403 {
			t.Errorf("token before approval: %v", err)
		}
		if err := junior.ApproveJIT(ctx, req.RequestID, time.Minute, "self"); oauthErr(t, err).Status/100 != 4 {
			t.Errorf("an agent without jit.approve approved its own request: %v", err)
		}
		done := make(chan auth.JITResult, 1)
		go func() {
			res, err := junior.WaitJIT(ctx, req.RequestID, 20*time.Millisecond)
			if err != nil {
				t.Error(err)
			}
			done <- res
		}()
		time.Sleep(60 * time.Millisecond)
		if approve {
			err = operator.ApproveJIT(ctx, req.RequestID, 2*time.Minute, "ok for the memo")
		} else {
			err = operator.DenyJIT(ctx, req.RequestID, "not this quarter")
		}
		if err != nil {
			t.Fatal(err)
		}
		res := <-done
		if !approve {
			if res.Status != auth.JITDenied || res.ReviewNotes != "not this quarter" {
				t.Errorf("denied: %+v", res)
			}
			if _, err := junior.JITToken(ctx, req.RequestID); oauthErr(t, err).Status != 403 {
				t.Errorf("token after denial: %v", err)
			}
			continue
		}
		if res.Status != auth.JITApproved || res.GrantedTTL != 2*time.Minute {
			t.Errorf("approved: %+v", res)
		}
		cred, err := junior.JITToken(ctx, req.RequestID)
		if err != nil || cred.Summary.Fingerprint == "" {
			t.Fatalf("JIT token: %v", err)
		}
		if err := junior.CompleteJITTask(ctx, task.ID); err != nil {
			t.Fatal(err)
		}
	}
}
