package devserver

import (
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/httpserve"
)

// Issue 13 item 1: two huge counts used to wrap their sum below the plausibility bound, so
// the agent's used tokens went negative and its budget never tripped again.
func TestAttackUsageReportCannotWrapTheBudget(t *testing.T) {
	s, _ := startTest(t, nil)
	tok := tokenFor(t, s, "capped-analyst") // 99,000 of 100,000 used
	huge := int64(1) << 62
	for _, report := range []map[string]any{
		{"model": "m", "prompt_tokens": huge, "completion_tokens": huge},              // sum wraps negative
		{"model": "m", "prompt_tokens": int64(math.MaxInt64), "completion_tokens": 1}, // sum wraps to MinInt64
		{"model": "m", "prompt_tokens": 60_000_000, "completion_tokens": 60_000_000},  // each plausible, the sum not
	} {
		r := callJSON(t, "POST", api(s)+"/agents/me/usage", tok, report)
		wantError(t, r, 400, "invalid_request", "not plausible")
	}
	if used := budgetOf(t, s, tok)["tokens_used_today"]; used != 99000.0 {
		t.Fatalf("tokens_used_today = %v after refused reports, want 99000", used)
	}
	if r := callJSON(t, "POST", api(s)+"/agents/me/usage", tok, map[string]any{"model": "m", "prompt_tokens": 1000}); r.status != 200 {
		t.Fatalf("plausible report = %d %v", r.status, r.body)
	}
	wantError(t, exchange(t, s, tok, "urn:mcp:financial-data"), 429, "budget_exceeded")
}

func TestMeterSaturatesInsteadOfWrapping(t *testing.T) {
	m := newMeter(BudgetConfig{MaxTokensPerDay: 10, TokensUsedToday: math.MaxInt64 - 3}, testStart)
	m.addTokens(testStart, 1000)
	m.addTokens(testStart, -50)
	if m.tokens != math.MaxInt64 {
		t.Fatalf("tokens = %d, want MaxInt64", m.tokens)
	}
	if limit, _, _ := m.spent(testStart); limit != "tokens/day" {
		t.Errorf("spent = %q", limit)
	}
}

// Issue 13 item 8: any agent could introspect another agent's token and read its subject,
// scope and audience (RFC 7662 §4 wants the endpoint limited to resource servers).
func TestAttackAgentCannotIntrospectAnotherAgentsToken(t *testing.T) {
	s, _ := startTest(t, nil)
	victim := tokenFor(t, s, "research-analyst")
	for _, who := range []string{"junior-analyst", "operator"} {
		id, secret, _ := s.Credentials(who)
		r := postForm(t, api(s)+"/oauth/introspect", url.Values{"token": {victim}}, []string{id, secret})
		wantError(t, r, 403, "access_denied", "identity type service")
		if _, leaked := r.body["sub"]; leaked || r.body["active"] != nil {
			t.Errorf("%s learnt about the token: %v", who, r.body)
		}
	}
	id, secret, _ := s.Credentials("financial-mcp")
	if r := postForm(t, api(s)+"/oauth/introspect", url.Values{"token": {victim}}, []string{id, secret}); r.body["active"] != true {
		t.Errorf("the resource server's introspection = %d %v", r.status, r.body)
	}
}

// Issue 13 item 6: a request body sent a byte at a time held a connection open indefinitely.
func TestAttackSlowBodyIsCutOff(t *testing.T) {
	s, err := Start(DefaultConfig(), "127.0.0.1:0", WithTimeouts(httpserve.Timeouts{Body: 300 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /orgs/acme-corp/api/v1/oauth/token HTTP/1.1\r\nHost: x\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\ngrant_type=")
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	answer, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("the connection stayed open: %v (read %q)", err, answer)
	}
	if !strings.Contains(string(answer), "400") || !strings.Contains(string(answer), "timeout") {
		t.Errorf("answer to the slow body: %q", answer)
	}
}

func TestDefaultServerTimeouts(t *testing.T) {
	s, _ := startTest(t, nil)
	if s.http.ReadHeaderTimeout != httpserve.DefaultHeader || s.http.IdleTimeout != httpserve.DefaultIdle {
		t.Errorf("header timeout %s, idle timeout %s", s.http.ReadHeaderTimeout, s.http.IdleTimeout)
	}
}
