package financialmcp

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/httpserve"
)

const orgs, legacy = "/orgs/acme-corp/api/v1", "/t/acme-corp/api/v1"

// The escalation pattern of LumoAuth's JIT guide and the SDKs' call_with_escalation
// (sdk-python src/lumoauth/jit.py JITContext.call_with_escalation; lumo-auth-go
// jit_context.go CallWithEscalation): the resource server answers 403 with the
// authorization details it needs, the agent requests exactly those, and retries with the
// JIT token — here against the real devserver, with the headcount rule of its default file.
func TestJITRuleEscalationOverTheWire(t *testing.T) {
	w := startWorld(t, nil)
	agent := w.agentToken(t, orgs, "research-analyst")
	s := openSession(t, w.mcp.URL(), w.exchanged(t, orgs, agent))
	want, _ := Lookup("headcount", "")
	if resp, text := s.callMetric(t, "revenue", "2026-Q3"); resp.StatusCode != 200 || strings.HasPrefix(text, "error") {
		t.Fatalf("revenue = %d %q", resp.StatusCode, text)
	}
	// The holder of mcp:financial is refused the headcount, however it is spelt.
	var required map[string]any
	for _, metric := range []string{"headcount", "Employees", "head count"} {
		resp, body := s.callMetric(t, metric, "")
		if resp.StatusCode != 403 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `Bearer error="insufficient_authorization_details"`) ||
			strings.Contains(body, want.Display) {
			t.Fatalf("%s = %d %q %q", metric, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
		}
		// The SDKs decode the header with standard base64 into one JSON object.
		raw, err := base64.StdEncoding.DecodeString(resp.Header.Get("Insufficient-Authorization-Details"))
		if err != nil || json.Unmarshal(raw, &required) != nil {
			t.Fatalf("Insufficient-Authorization-Details %q: %v", resp.Header.Get("Insufficient-Authorization-Details"), err)
		}
		var answer struct {
			Error string         `json:"error"`
			Hint  map[string]any `json:"authorization_details_hint"`
		}
		if json.Unmarshal([]byte(body), &answer) != nil || answer.Error != "insufficient_authorization_details" || answer.Hint["identifier"] != DefaultResource {
			t.Errorf("body %q", body)
		}
	}
	if required["type"] != "agent_capability" || fmt.Sprint(required["actions"]) != "[mcp:financial]" || required["identifier"] != DefaultResource {
		t.Fatalf("required details = %v", required)
	}

	// request_permission(required): task, request (high risk: pending), the operator approves.
	_, task := w.api(t, "POST", "/jit/task", agent, map[string]any{"name": "Ad-hoc data access"})
	_, req := w.api(t, "POST", "/jit/request", agent, map[string]any{"task_id": task["task_id"],
		"authorization_details": required, "justification": "Required for user request", "requested_ttl": 300})
	if req["status"] != "pending" {
		t.Fatalf("jit/request = %v", req)
	}
	op := w.agentToken(t, orgs, "operator")
	if status, body := w.api(t, "POST", "/jit/approve/"+req["request_id"].(string), op, map[string]any{}); status != 200 {
		t.Fatalf("approve = %d %v", status, body)
	}
	_, tok := w.api(t, "POST", "/jit/request/"+req["request_id"].(string)+"/token", agent, nil)
	jit, _ := tok["access_token"].(string)

	// Retried with the JIT token itself (the SDKs), or with one exchanged from it (lumodash).
	for name, token := range map[string]string{"JIT token": jit, "exchanged from it": w.exchanged(t, orgs, jit)} {
		retry := openSession(t, w.mcp.URL(), token)
		if resp, text := retry.callMetric(t, "headcount", ""); resp.StatusCode != 200 || text != want.Line() {
			t.Errorf("%s: headcount = %d %q, want %q", name, resp.StatusCode, text, want.Line())
		}
	}
	// Completing the task revokes the grant at the MCP server at once (introspection).
	w.api(t, "POST", "/jit/task/"+task["task_id"].(string)+"/complete", agent, nil)
	retry := openSession(t, w.mcp.URL(), w.exchanged(t, orgs, agent))
	retry.token = jit
	if resp, _ := retry.callMetric(t, "headcount", ""); resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("JIT token after completion = %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
}

// RFC 7009 revocation reaches the MCP server: it introspects every token it is shown.
func TestRevokedTokensRefusedOverTheWire(t *testing.T) {
	w := startWorld(t, nil)
	agent := w.agentToken(t, legacy, "research-analyst")
	first, second := w.exchanged(t, legacy, agent), w.exchanged(t, legacy, agent)
	s := openSession(t, w.mcp.URL(), first)
	if resp, _ := s.callMetric(t, "ebitda", "Q3"); resp.StatusCode != 200 {
		t.Fatalf("before revocation = %d", resp.StatusCode)
	}
	if status, body := w.form(t, legacy, "/oauth/revoke", url.Values{"token": {first}}); status != 200 {
		t.Fatalf("revoke = %d %v", status, body)
	}
	resp, body := s.callMetric(t, "ebitda", "Q3")
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) || !strings.Contains(body, "revoked") {
		t.Fatalf("revoked exchanged token = %d %q %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
	}
	// Revoking the agent's own token revokes what was exchanged from it.
	s2 := openSession(t, w.mcp.URL(), second)
	w.form(t, orgs, "/oauth/revoke", url.Values{"token": {agent}})
	if resp, _ := s2.callMetric(t, "ebitda", "Q3"); resp.StatusCode != 401 {
		t.Errorf("token exchanged from a revoked token = %d", resp.StatusCode)
	}
}

// Tokens of either LumoAuth prefix (each its own issuer) are accepted, and of no other.
func TestTokensOfBothIssuersAccepted(t *testing.T) {
	w := startWorld(t, nil)
	for _, prefix := range []string{orgs, legacy} {
		s := openSession(t, w.mcp.URL(), w.exchanged(t, prefix, w.agentToken(t, prefix, "research-analyst")))
		if resp, text := s.callMetric(t, "revenue", "FY2025"); resp.StatusCode != 200 || !strings.Contains(text, "FY2025") {
			t.Errorf("%s: %d %q", prefix, resp.StatusCode, text)
		}
	}
	if got := siblingIssuers("https://as.example/t/acme/api/v1"); len(got) != 1 || got[0] != "https://as.example/orgs/acme/api/v1" {
		t.Errorf("sibling of /t/ = %v", got)
	}
	if got := siblingIssuers("https://as.example/realms/x"); len(got) != 0 {
		t.Errorf("sibling of a non-LumoAuth issuer = %v", got)
	}
}

func TestJITRuleMatching(t *testing.T) {
	rules, err := compileRules([]JITRule{{Metric: "ebitda"}, {Period: "FY2024"}, {Metric: "cash", Period: "2025-Q4"}})
	if err != nil {
		t.Fatal(err)
	}
	hit := func(metric, period string) bool {
		for _, r := range rules {
			if r.matches(metric, period) {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		metric, period string
		want           bool
	}{
		{"EBITDA", "", true}, {"ebitda margin", "2025-Q1", true}, // a margin computed from it
		{"revenue", "2024-Q2", true}, {"revenue", "FY2024", true}, {"revenue", "Q1 2025", false},
		{"cash", "FY2025", true}, {"cash", "2025-Q3", false}, {"revenue", "2025-Q4", false},
		{"no such metric", "", false}, {"revenue", "1999", false},
	} {
		if got := hit(c.metric, c.period); got != c.want {
			t.Errorf("%s %s: %v, want %v", c.metric, c.period, got, c.want)
		}
	}
	for _, bad := range [][]JITRule{{{Metric: "happiness"}}, {{Period: "FY1990"}}, {{Reason: "nothing named"}}} {
		if _, err := compileRules(bad); err == nil {
			t.Errorf("rule %+v accepted", bad)
		}
	}
}

// Issue 13 item 6: a request body sent a byte at a time held the connection open.
func TestAttackSlowBodyIsCutOff(t *testing.T) {
	w := startWorld(t, func(o *Options) { o.Timeouts = httpserve.Timeouts{Body: 300 * time.Millisecond} })
	token := w.exchanged(t, orgs, w.agentToken(t, orgs, "research-analyst"))
	c, err := net.Dial("tcp", strings.TrimPrefix(w.mcp.BaseURL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /mcp HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"+
		"Accept: application/json, text/event-stream\r\nContent-Length: 400\r\n\r\n{\"jsonrpc\":", token)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if answer, err := io.ReadAll(c); err != nil || !strings.Contains(string(answer), "HTTP/1.1 4") {
		t.Fatalf("slow body: err %v, answer %q", err, answer)
	}
}
