package tools

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// scriptedHuman answers Confirm with confirm and Review with decision (nil = never: it waits
// for the context like a person who does not react).
type scriptedHuman struct {
	confirm  bool
	decision *JITDecision
	mu       sync.Mutex
	asked    []JITQuestion
	reviewed []JITQuestion
}

func (h *scriptedHuman) Confirm(_ context.Context, q JITQuestion) (bool, error) {
	h.mu.Lock()
	h.asked = append(h.asked, q)
	h.mu.Unlock()
	return h.confirm, nil
}

func (h *scriptedHuman) Review(ctx context.Context, q JITQuestion) (JITDecision, error) {
	h.mu.Lock()
	h.reviewed = append(h.reviewed, q)
	h.mu.Unlock()
	if h.decision == nil {
		<-ctx.Done()
		return JITDecision{}, ctx.Err()
	}
	return *h.decision, nil
}

type jitLog struct{ record.Log[JITReport] }

func (l *jitLog) stages() string {
	var s []string
	for _, r := range l.All() {
		s = append(s, string(r.Stage))
	}
	return strings.Join(s, ",")
}

// jitGate is the junior analyst's gate with escalation configured by cfg.
func jitGate(t *testing.T, w *testWorld, cfg JITConfig) (*Gate, *FinancialMCP, *JIT, *jitLog, *stepLog) {
	t.Helper()
	return jitGateFor(t, w, "junior-analyst", cfg)
}

// jitGateFor is agentName's gate with escalation configured by cfg.
func jitGateFor(t *testing.T, w *testWorld, agentName string, cfg JITConfig) (*Gate, *FinancialMCP, *JIT, *jitLog, *stepLog) {
	t.Helper()
	agent := w.agent(t, agentName)
	jl, sl := &jitLog{}, &stepLog{}
	cfg.Report = jl.Emit
	j, err := NewJIT(agent, cfg)
	if err != nil {
		t.Fatal(err)
	}
	gate := NewGate(agent, sl.Emit)
	gate.JIT = j
	fin := NewFinancialMCP(agent, w.mcpURL)
	t.Cleanup(func() { fin.Close() })
	return gate, fin, j, jl, sl
}

func (w *testWorld) operator(t *testing.T) *auth.Agent { return w.agent(t, "operator") }

func TestJITApprovedByOperatorRetriesWithGrant(t *testing.T) {
	w := startWorld(t)
	human := &scriptedHuman{confirm: true, decision: &JITDecision{Approve: true, Notes: "ok for the Q3 memo", TTL: 2 * time.Minute}}
	gate, fin, j, jl, sl := jitGate(t, w, JITConfig{Mode: JITModeAsk, Human: human, Reviewer: w.operator(t), Poll: 50 * time.Millisecond})
	ctx := context.Background()

	out := gate.Call(ctx, fin, "c1", json.RawMessage(`{"metric":"EBITDA","period":"Q3"}`))
	if out.Status != StatusOK || !strings.Contains(out.Text, "$4.21M") {
		t.Fatalf("outcome: %+v", out)
	}
	if got := jl.stages(); got != "requested,pending,approved" {
		t.Errorf("JIT stages = %s", got)
	}
	if len(human.asked) != 1 || len(human.reviewed) != 1 {
		t.Fatalf("asked %d, reviewed %d", len(human.asked), len(human.reviewed))
	}
	q := human.reviewed[0]
	if q.Risk != "high" || q.RequestID == "" || q.Deadline.IsZero() || !strings.Contains(q.Justification, "metric=EBITDA") {
		t.Errorf("review question: %+v", q)
	}
	approved := jl.All()[2]
	if approved.TTL != 2*time.Minute || approved.Notes != "ok for the Q3 memo" {
		t.Errorf("approved report: %+v", approved)
	}
	if got := sl.kinds(); got != "check,check,exchange,mcp,result" {
		t.Errorf("gate steps = %s", got)
	}
	if c := sl.All()[0]; c.Allowed || !c.JITAvailable {
		t.Errorf("first check: %+v", c)
	}
	if c := sl.All()[1]; !c.Allowed || !strings.Contains(c.Reason, "granted just in time") {
		t.Errorf("second check: %+v", c)
	}

	// The grant serves the next call without asking again.
	*sl = stepLog{}
	if out := gate.Call(ctx, fin, "c2", json.RawMessage(`{"metric":"revenue"}`)); out.Status != StatusOK {
		t.Fatalf("second call: %+v", out)
	}
	if len(human.asked) != 1 || !strings.Contains(sl.All()[0].Reason, "temporarily granted through JIT") || !sl.All()[1].Cached {
		t.Errorf("second call asked again or did not reuse the token: %d %+v", len(human.asked), sl.All())
	}

	// Completing the task revokes the JIT token: exchanging it is refused and the gate
	// asks anew (here: refused by the person).
	tok := j.grants["mcp:financial"].token
	if err := j.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(jl.stages(), ",completed") {
		t.Errorf("stages after completion: %s", jl.stages())
	}
	_, err := gate.agent.ExchangeAs(ctx, tok, FinancialAudience)
	var oe *auth.OAuthError
	if !errors.As(err, &oe) || oe.Code != "invalid_grant" || !strings.Contains(oe.Description, "revoked") {
		t.Errorf("exchange with the revoked JIT token: %v", err)
	}
	human.confirm = false
	if out := gate.Call(ctx, fin, "c3", json.RawMessage(`{"metric":"EBITDA"}`)); out.Status != StatusDenied {
		t.Errorf("call after completion: %+v", out)
	}
	if err := j.Complete(ctx); err != nil {
		t.Errorf("second Complete: %v", err)
	}
}

func TestJITDeniedTellsTheModelWhy(t *testing.T) {
	w := startWorld(t)
	human := &scriptedHuman{decision: &JITDecision{Approve: false, Notes: "not before the board meeting"}}
	gate, fin, _, jl, _ := jitGate(t, w, JITConfig{Mode: JITModeAuto, Human: human, Reviewer: w.operator(t), Poll: 50 * time.Millisecond})
	out := gate.Call(context.Background(), fin, "c1", json.RawMessage(`{"metric":"EBITDA"}`))
	if out.Status != StatusDenied || !strings.Contains(out.Text, "was denied") || !strings.Contains(out.Text, "not before the board meeting") {
		t.Fatalf("outcome: %+v", out)
	}
	if !errors.Is(out.Err, ErrDenied) {
		t.Errorf("err: %v", out.Err)
	}
	if len(human.asked) != 0 {
		t.Errorf("auto mode asked for confirmation")
	}
	if got := jl.stages(); got != "requested,pending,denied" {
		t.Errorf("stages = %s", got)
	}
	if w.front.requests.Load() != 0 {
		t.Errorf("the MCP server was called")
	}
}

func TestJITTimeoutIsClear(t *testing.T) {
	w := startWorld(t)
	gate, fin, _, jl, _ := jitGate(t, w, JITConfig{Mode: JITModeAuto, Timeout: 300 * time.Millisecond, Poll: 50 * time.Millisecond})
	start := time.Now()
	out := gate.Call(context.Background(), fin, "c1", json.RawMessage(`{"metric":"EBITDA"}`))
	if out.Status != StatusDenied || !strings.Contains(out.Text, "no decision") || !strings.Contains(out.Text, "--jit-timeout") {
		t.Fatalf("outcome: %+v", out)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s", d)
	}
	if got := jl.stages(); got != "requested,pending,timeout" {
		t.Errorf("stages = %s", got)
	}
}

func TestJITAskWithoutTerminalAndDeclined(t *testing.T) {
	w := startWorld(t)
	gate, fin, _, jl, _ := jitGate(t, w, JITConfig{Mode: JITModeAsk})
	out := gate.Call(context.Background(), fin, "c1", json.RawMessage(`{"metric":"EBITDA"}`))
	if out.Status != StatusDenied || !strings.Contains(out.Text, "--jit auto") || jl.stages() != "declined" {
		t.Fatalf("no terminal: %+v %s", out, jl.stages())
	}
	human := &scriptedHuman{confirm: false}
	gate, fin, _, jl, _ = jitGate(t, w, JITConfig{Mode: JITModeAsk, Human: human})
	out = gate.Call(context.Background(), fin, "c1", json.RawMessage(`{"metric":"EBITDA"}`))
	if out.Status != StatusDenied || !strings.Contains(out.Text, "declined") || jl.stages() != "declined" {
		t.Fatalf("declined: %+v %s", out, jl.stages())
	}
	// Off: a plain denial, nothing requested.
	gate, fin, _, jl, _ = jitGate(t, w, JITConfig{Mode: JITModeOff, Human: human})
	out = gate.Call(context.Background(), fin, "c1", json.RawMessage(`{"metric":"EBITDA"}`))
	if out.Status != StatusDenied || strings.Contains(out.Text, "just in time") || jl.stages() != "" {
		t.Fatalf("off: %+v %s", out, jl.stages())
	}
}

func TestParseJITMode(t *testing.T) {
	for in, want := range map[string]string{"": "ask", "ASK": "ask", "auto": "auto", " off ": "off"} {
		if got, err := ParseJITMode(in); err != nil || got != want {
			t.Errorf("%q → %q %v", in, got, err)
		}
	}
	if _, err := ParseJITMode("yes"); err == nil || !strings.Contains(err.Error(), "ask, auto or off") {
		t.Errorf("bad mode: %v", err)
	}
}

// A resource server that wants a JIT grant even from an agent holding the capability answers
// 403 with Insufficient-Authorization-Details; the gate requests it and retries the call.
func TestResourceServer403StartsJIT(t *testing.T) {
	w := startWorld(t)
	inner := w.front.next
	w.front.next = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if !bearerHasClaim(r, "jit_capability") {
			details := base64.StdEncoding.EncodeToString([]byte(`{"type":"agent_capability","actions":["mcp:financial"]}`))
			rw.Header().Set("WWW-Authenticate", `Bearer error="insufficient_authorization_details"`)
			rw.Header().Set(auth.HeaderInsufficientAuthorizationDetails, details)
			http.Error(rw, "a JIT grant is required", http.StatusForbidden)
			return
		}
		inner.ServeHTTP(rw, r)
	})
	human := &scriptedHuman{decision: &JITDecision{Approve: true, Notes: "fine"}}
	gate, fin, _, jl, sl := jitGateFor(t, w, "research-analyst", JITConfig{Mode: JITModeAuto, Human: human, Reviewer: w.operator(t), Poll: 50 * time.Millisecond})
	out := gate.Call(context.Background(), fin, "c1", json.RawMessage(`{"metric":"EBITDA","period":"2026-Q3"}`))
	if out.Status != StatusOK || !strings.Contains(out.Text, "$4.21M") {
		t.Fatalf("outcome: %+v (steps %s)", out, sl.kinds())
	}
	if got := sl.kinds(); got != "check,exchange,mcp,exchange,mcp,result" {
		t.Errorf("steps = %s", got)
	}
	if got := jl.stages(); got != "requested,pending,approved" {
		t.Errorf("stages = %s", got)
	}
	if !strings.Contains(human.reviewed[0].Justification, "resource server asked") {
		t.Errorf("justification: %q", human.reviewed[0].Justification)
	}
	// Without escalation the refusal stays a refusal.
	gate.JIT = nil
	if out := gate.Call(context.Background(), fin, "c2", json.RawMessage(`{"metric":"EBITDA"}`)); out.Status != StatusFailed {
		t.Errorf("without JIT: %+v", out)
	}
}

// bearerHasClaim reports whether the request's bearer JWT carries claim (unverified: the
// MCP server behind verifies the signature).
func bearerHasClaim(r *http.Request, claim string) bool {
	_, raw, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var m map[string]any
	return json.Unmarshal(payload, &m) == nil && m[claim] != nil
}

// With introspection, the MCP server refuses a token exchanged from a JIT grant as soon as
// the grant's task completes, though the token has not expired.
func TestCompletionRevokesTheExchangedTokenAtTheMCPServer(t *testing.T) {
	w := startWorld(t)
	id, secret, ok := w.dev.Credentials("financial-mcp")
	if !ok {
		t.Fatal("no financial-mcp client in the default world")
	}
	h, err := financialmcp.NewHandler(financialmcp.Options{Issuer: w.dev.Issuer(), JWKSURL: w.dev.JWKSURL(), Resource: FinancialAudience,
		Introspection: &financialmcp.Introspection{URL: w.dev.Issuer() + "/oauth/introspect", ClientID: id, ClientSecret: secret}})
	if err != nil {
		t.Fatal(err)
	}
	w.front.next = h
	human := &scriptedHuman{decision: &JITDecision{Approve: true}}
	gate, fin, j, _, _ := jitGate(t, w, JITConfig{Mode: JITModeAuto, Human: human, Reviewer: w.operator(t), Poll: 50 * time.Millisecond})
	ctx := context.Background()
	args := json.RawMessage(`{"metric":"EBITDA","period":"Q3"}`)
	if out := gate.Call(ctx, fin, "c1", args); out.Status != StatusOK || !strings.Contains(out.Text, "$4.21M") {
		t.Fatalf("approved call: %+v", out)
	}
	exchanged := j.grants["mcp:financial"].exchanged[FinancialAudience]
	if res, err := fin.Call(ctx, args, exchanged); err != nil || !strings.Contains(res.Text, "$4.21M") {
		t.Fatalf("direct call before completion: %+v %v", res, err)
	}
	if err := j.Complete(ctx); err != nil {
		t.Fatal(err)
	}
	// The same, unexpired token is now refused (401), and the client's one re-exchange
	// cannot replace it: the agent does not hold the capability in its own right.
	res, err := fin.Call(ctx, args, exchanged)
	if err == nil || res.MCP == nil || res.MCP.HTTP != http.StatusUnauthorized || strings.Contains(res.Text, "$4.21M") {
		t.Fatalf("call with the revoked token: %+v %v", res, err)
	}
	if !strings.Contains(err.Error(), "delegation_not_allowed") {
		t.Errorf("refusal: %v", err)
	}
}
