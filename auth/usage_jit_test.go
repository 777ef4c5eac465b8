package auth

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

func TestUsageUnsupportedSwitchesOffOnce(t *testing.T) {
	f := newFakeServer(t) // no usage route: 404
	a, rep := newTestAgent(t, f, true)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if err := a.ReportUsage(ctx, "gpt-4o-mini", 10, 5); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := f.count("/agents/me/usage"); n != 1 {
		t.Fatalf("%d usage requests, want 1 (then switched off)", n)
	}
	u := rep.of(ReportUsageUnsupported)
	if len(u) != 1 || u[0].Status != 404 || u[0].Endpoint != "/orgs/acme-corp/api/v1/agents/me/usage" {
		t.Fatalf("unsupported reports %+v", u)
	}
}

func TestUsageReportedAndBudget429(t *testing.T) {
	f := newFakeServer(t)
	var used atomic.Int64
	f.handle("POST /agents/me/usage", func(w http.ResponseWriter, r *http.Request) {
		if used.Load() >= 100 {
			writeJSON(w, 429, map[string]string{"error": "budget_exceeded", "error_description": "tokens/day budget spent"})
			return
		}
		used.Add(100)
		writeJSON(w, 200, map[string]any{"tokens_used_today": used.Load()})
	})
	clock := newFakeClock()
	a, rep := newTestAgent(t, f, true, WithClock(clock.Now))
	ctx := context.Background()
	if _, err := a.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.ReportUsage(ctx, "m", 60, 40); err != nil {
		t.Fatal(err)
	}
	if len(rep.of(ReportUsageReported)) != 1 {
		t.Errorf("reports %v", rep.kinds())
	}
	// The budget moved: the next Info asks the server, but capability checks stay cached.
	if _, err := a.HasCapability(ctx, "read:documents"); err != nil || f.count("/oauth/userinfo") != 1 {
		t.Fatalf("capability check refetched: %v", err)
	}
	if _, err := a.BudgetExhausted(ctx); err != nil || f.count("/oauth/userinfo") != 2 {
		t.Fatalf("budget not refreshed after usage: %v", err)
	}
	err := a.ReportUsage(ctx, "m", 1, 1)
	var oe *OAuthError
	if !IsBudgetExceeded(err) || !errors.As(err, &oe) || oe.Status != 429 || oe.Description != "tokens/day budget spent" {
		t.Fatalf("err = %v", err)
	}
	if _, err := a.Info(ctx); err != nil { // a 429 did not switch reporting off or break info
		t.Fatal(err)
	}
	if err := a.ReportUsage(ctx, "m", -1, 0); err == nil {
		t.Fatal("negative usage accepted")
	}
}

func TestJITFlowPendingThenDecision(t *testing.T) {
	for _, tt := range []struct {
		name, final string
		pendingCode int
	}{{"approve via 201", JITApproved, 201}, {"deny via 202", JITDenied, 202}} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeServer(t)
			var polls atomic.Int32
			f.handle("POST /jit/request", func(w http.ResponseWriter, r *http.Request) {
				body := map[string]any{"request_id": "jit_9", "risk_level": "high", "status_url": "/x"}
				if tt.pendingCode == 201 {
					body["status"] = "pending"
				}
				writeJSON(w, tt.pendingCode, body)
			})
			f.handle("GET /jit/request/jit_9/status", func(w http.ResponseWriter, r *http.Request) {
				if polls.Add(1) < 3 {
					writeJSON(w, 200, map[string]any{"status": "pending"})
					return
				}
				writeJSON(w, 200, map[string]any{"status": tt.final, "granted_ttl": 120, "review_notes": "checked"})
			})
			f.handle("POST /jit/request/jit_9/token", func(w http.ResponseWriter, r *http.Request) {
				if tt.final != JITApproved {
					writeJSON(w, 403, map[string]string{"error": "access_denied", "error_description": "request jit_9 is denied"})
					return
				}
				writeJSON(w, 200, map[string]any{"access_token": fakeJWT(map[string]any{"aud": "urn:mcp:financial-data"}), "expires_in": 120})
			})
			a, rep := newTestAgent(t, f, false)
			ctx := context.Background()
			res, err := a.RequestJIT(ctx, JITRequest{TaskID: "t1", AuthorizationDetails: AuthorizationDetails{Type: "mcp:financial", Actions: []string{"read"}}})
			if err != nil || res.Status != JITPending || res.HTTPStatus != tt.pendingCode || res.RiskLevel != "high" {
				t.Fatalf("request: %+v %v", res, err)
			}
			res, err = a.WaitJIT(ctx, res.RequestID, 10*time.Millisecond)
			if err != nil || res.Status != tt.final || res.GrantedTTL != 2*time.Minute || res.ReviewNotes != "checked" || polls.Load() != 3 {
				t.Fatalf("wait: %+v %v (polls %d)", res, err, polls.Load())
			}
			if n := len(rep.of(ReportJITStatus)); n != 2 { // first pending + final
				t.Errorf("%d status reports", n)
			}
			cred, err := a.JITToken(ctx, "jit_9")
			if tt.final == JITApproved {
				if err != nil || cred.Audience != "urn:mcp:financial-data" {
					t.Fatalf("token: %+v %v", cred, err)
				}
				return
			}
			var oe *OAuthError
			if cred != nil || !errors.As(err, &oe) || oe.Status != 403 || oe.Code != "access_denied" {
				t.Fatalf("denied token: %v", err)
			}
		})
	}
}

func TestWaitJITHonoursContext(t *testing.T) {
	f := newFakeServer(t)
	f.handle("GET /jit/request/j/status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"status": "pending"})
	})
	a, _ := newTestAgent(t, f, true)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	res, err := a.WaitJIT(ctx, "j", 20*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) || res.Status != JITPending || time.Since(start) > time.Second {
		t.Fatalf("res %+v err %v after %s", res, err, time.Since(start))
	}
}

// TestWaitJITEndingDuringAPoll: when ctx ends while a poll is in flight, WaitJIT still says
// the request is pending (the last answer), not an empty result.
func TestWaitJITEndingDuringAPoll(t *testing.T) {
	f := newFakeServer(t)
	var polls atomic.Int32
	f.handle("GET /jit/request/j/status", func(w http.ResponseWriter, r *http.Request) {
		if polls.Add(1) > 1 {
			<-r.Context().Done() // the second poll hangs until the client gives up
			return
		}
		writeJSON(w, 200, map[string]any{"status": "pending"})
	})
	a, _ := newTestAgent(t, f, true)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	res, err := a.WaitJIT(ctx, "j", 20*time.Millisecond)
	if !errors.Is(err, context.DeadlineExceeded) || res.Status != JITPending || res.RequestID != "j" || polls.Load() != 2 {
		t.Fatalf("res %+v err %v after %d polls", res, err, polls.Load())
	}
}

func TestJITRequestValidation(t *testing.T) {
	f := newFakeServer(t)
	a, _ := newTestAgent(t, f, true)
	for _, req := range []JITRequest{
		{AuthorizationDetails: AuthorizationDetails{Type: "mcp:financial"}},
		{TaskID: "t"},
		{TaskID: "t", AuthorizationDetails: AuthorizationDetails{Type: "x"}, RequestedTTL: time.Hour},
	} {
		if _, err := a.RequestJIT(context.Background(), req); err == nil {
			t.Errorf("accepted %+v", req)
		}
	}
	if f.count("") != 0 {
		t.Errorf("invalid requests reached the server")
	}
}
