package auth

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"
)

// Issue 13 item 1, the client's side: a server (or a proxy) that reports a huge usage used
// to be read as a negative count — a float beyond int64 wraps when converted — so the
// dashboard showed the budget as nearly unused and the client never stopped.
func TestAttackHugeReportedUsageCannotWrapTheBudget(t *testing.T) {
	for _, used := range []string{"1e300", "9.3e18", `"1e400"`} {
		f := newFakeServer(t)
		f.handle("GET /oauth/userinfo", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"sub":"agent:x","capabilities":[],"budget_policy":{"max_tokens_per_day":100000,` +
				`"tokens_used_today":` + used + `,"max_api_calls_per_hour":500,"api_calls_this_hour":-1e300}}`))
		})
		a, _ := newTestAgent(t, f, true)
		st, err := a.BudgetExhausted(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", used, err)
		}
		if !st.Exhausted || st.Policy.TokensUsedToday != math.MaxInt64 || st.Policy.APICallsThisHour != math.MinInt64 {
			t.Errorf("%s: exhausted %v, used %d, calls %d", used, st.Exhausted, st.Policy.TokensUsedToday, st.Policy.APICallsThisHour)
		}
	}
}

func TestSecondsSaturate(t *testing.T) {
	for in, want := range map[string]time.Duration{"300": 5 * time.Minute, "1e300": time.Duration(math.MaxInt64/int64(time.Second)) * time.Second,
		"-1e300": -time.Duration(math.MaxInt64/int64(time.Second)) * time.Second} {
		var s seconds
		if err := s.UnmarshalJSON([]byte(in)); err != nil || time.Duration(s) != want {
			t.Errorf("%s: %v %v, want %v", in, time.Duration(s), err, want)
		}
	}
}
