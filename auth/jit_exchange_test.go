package auth_test

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
)

// The JIT token of an approved request exchanges for the resource while the grant lasts; once
// the task completes, the same exchange is refused as revoked.
func TestExchangeAsWithJITTokenUntilTaskCompletes(t *testing.T) {
	s, c := startDev(t)
	ctx := context.Background()
	junior := agentFor(t, s, c, "junior-analyst", true)
	operator := agentFor(t, s, c, "operator", true)

	info, err := junior.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(info.JITRequestable, auth.JITOffer{Capability: "mcp:financial", Risk: "high"}) {
		t.Errorf("jit_requestable = %+v, want mcp:financial at high risk", info.JITRequestable)
	}
	for _, o := range info.JITRequestable {
		if slices.Contains(info.Capabilities, o.Capability) {
			t.Errorf("offers %s, which the agent already holds", o.Capability)
		}
	}
	if _, err := junior.Exchange(ctx, financialAudience); oauthErr(t, err).Code != "delegation_not_allowed" {
		t.Fatalf("own token exchange: %v", err)
	}
	task, err := junior.CreateJITTask(ctx, "q3", "")
	if err != nil {
		t.Fatal(err)
	}
	req, err := junior.RequestJIT(ctx, auth.JITRequest{TaskID: task.ID,
		AuthorizationDetails: auth.AuthorizationDetails{Type: "agent_capability", Actions: []string{"mcp:financial"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := operator.ApproveJIT(ctx, req.RequestID, 90*time.Second, "fine"); err != nil {
		t.Fatal(err)
	}
	jit, err := junior.JITToken(ctx, req.RequestID)
	if err != nil {
		t.Fatal(err)
	}
	x, err := junior.ExchangeAs(ctx, jit, financialAudience)
	if err != nil {
		t.Fatalf("exchange with the JIT token: %v", err)
	}
	if x.Audience != financialAudience || !slices.Contains(x.Summary.Claims.Audience, financialAudience) || x.Summary.Scope != "financial:read" {
		t.Errorf("exchanged: %+v", x.Summary)
	}
	if left := x.Summary.ExpiresAt.Sub(c.Now()); left > 90*time.Second {
		t.Errorf("exchanged token outlives the grant: %s", left)
	}
	if err := junior.CompleteJITTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	_, err = junior.ExchangeAs(ctx, jit, financialAudience)
	if oe := oauthErr(t, err); oe.Code != "invalid_grant" || !strings.Contains(oe.Description, "revoked") {
		t.Errorf("exchange after completion: %v", err)
	}
	if _, err := junior.ExchangeAs(ctx, nil, financialAudience); oauthErr(t, err).Code != "invalid_request" {
		t.Errorf("nil subject: %v", err)
	}
}

func TestParseInsufficientAuthorizationDetails(t *testing.T) {
	obj := `{"type":"agent_capability","actions":["mcp:financial"]}`
	for name, v := range map[string]string{
		"std":       base64.StdEncoding.EncodeToString([]byte(obj)),
		"raw url":   base64.RawURLEncoding.EncodeToString([]byte(obj)),
		"array std": base64.StdEncoding.EncodeToString([]byte("[" + obj + "]")),
	} {
		got, err := auth.ParseInsufficientAuthorizationDetails(v)
		if err != nil || len(got) != 1 || got[0].Type != "agent_capability" || !slices.Equal(got[0].Actions, []string{"mcp:financial"}) {
			t.Errorf("%s: %+v %v", name, got, err)
		}
	}
	for name, v := range map[string]string{
		"empty":   "",
		"not b64": "%%%",
		"no json": base64.StdEncoding.EncodeToString([]byte("hello")),
		"no type": base64.StdEncoding.EncodeToString([]byte(`{"actions":["x"]}`)),
	} {
		if _, err := auth.ParseInsufficientAuthorizationDetails(v); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
