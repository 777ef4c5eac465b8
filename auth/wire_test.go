package auth

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The requests must match lumoauth-wire.md (what the Python SDK sends) field by field, on both
// path prefixes.
func TestWireRequestsMatchTheSDK(t *testing.T) {
	for _, org := range []bool{false, true} {
		prefix := "/t/" + testOrg + "/api/v1"
		if org {
			prefix = "/orgs/" + testOrg + "/api/v1"
		}
		t.Run(prefix, func(t *testing.T) {
			f := newFakeServer(t)
			f.handle("POST /agents/me/usage", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{"ok": true}) })
			f.handle("POST /jit/task", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 201, map[string]any{"task_id": "task_1", "caep_session_id": "caep_1", "expires_at": "2026-03-14T11:30:00Z"})
			})
			f.handle("POST /jit/request", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 201, map[string]any{"request_id": "jit_1", "status": "approved", "risk_level": "low", "granted_ttl": 300})
			})
			f.handle("GET /jit/request/jit_1/status", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, map[string]any{"status": "approved", "granted_ttl": 300})
			})
			f.handle("POST /jit/request/jit_1/token", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, map[string]any{"access_token": fakeJWT(map[string]any{"aud": "urn:mcp:financial-data"}), "token_type": "Bearer", "expires_in": 300})
			})
			ok := func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{"ok": true}) }
			f.handle("POST /jit/task/task_1/complete", ok)
			f.handle("POST /jit/approve/jit_1", ok)
			f.handle("POST /jit/deny/jit_1", ok)

			a, _ := newTestAgent(t, f, org)
			ctx := context.Background()
			steps := []func() error{
				func() error { _, err := a.Authenticate(ctx); return err },
				func() error { _, err := a.Info(ctx); return err },
				func() error { _, err := a.Exchange(ctx, "urn:mcp:financial-data"); return err },
				func() error { return a.ReportUsage(ctx, "gpt-4o-mini", 120, 30) },
				func() error { _, err := a.CreateJITTask(ctx, "q3 review", "analysis"); return err },
				func() error {
					_, err := a.RequestJIT(ctx, JITRequest{TaskID: "task_1", Justification: "need EBITDA",
						RequestedTTL: 5 * time.Minute, AuthorizationDetails: AuthorizationDetails{Type: "mcp:financial", Actions: []string{"read"}}})
					return err
				},
				func() error { _, err := a.JITStatus(ctx, "jit_1"); return err },
				func() error { _, err := a.JITToken(ctx, "jit_1"); return err },
				func() error { return a.CompleteJITTask(ctx, "task_1") },
				func() error { return a.ApproveJIT(ctx, "jit_1", 2*time.Minute, "ok for Q3") },
				func() error { return a.DenyJIT(ctx, "jit_1", "no") },
			}
			for i, step := range steps {
				if err := step(); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
			}
			got := f.requests("")
			agentToken := strings.TrimPrefix(got[1].Header.Get("Authorization"), "Bearer ")
			want := []struct {
				method, path string
				form         url.Values
				json         map[string]any
			}{
				{"POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testSecret}}, nil},
				{"GET", "/oauth/userinfo", nil, nil},
				{"POST", "/oauth/token", url.Values{"grant_type": {GrantTypeTokenExchange}, "subject_token": {agentToken},
					"subject_token_type": {TokenTypeAccessToken}, "audience": {"urn:mcp:financial-data"}}, nil},
				{"POST", "/agents/me/usage", nil, map[string]any{"model": "gpt-4o-mini", "prompt_tokens": 120.0, "completion_tokens": 30.0}},
				{"POST", "/jit/task", nil, map[string]any{"name": "q3 review", "type": "analysis"}},
				{"POST", "/jit/request", nil, map[string]any{"task_id": "task_1", "justification": "need EBITDA", "requested_ttl": 300.0,
					"authorization_details": map[string]any{"type": "mcp:financial", "actions": []any{"read"}}}},
				{"GET", "/jit/request/jit_1/status", nil, nil},
				{"POST", "/jit/request/jit_1/token", nil, nil},
				{"POST", "/jit/task/task_1/complete", nil, nil},
				{"POST", "/jit/approve/jit_1", nil, map[string]any{"ttl": 120.0, "notes": "ok for Q3"}},
				{"POST", "/jit/deny/jit_1", nil, map[string]any{"notes": "no"}},
			}
			if len(got) != len(want) {
				t.Fatalf("got %d requests, want %d: %+v", len(got), len(want), got)
			}
			for i, w := range want {
				g := got[i]
				if g.Method != w.method || g.Path != prefix+w.path {
					t.Errorf("request %d: %s %s, want %s %s", i, g.Method, g.Path, w.method, prefix+w.path)
				}
				if w.form != nil {
					if ct := g.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
						t.Errorf("request %d: content type %q", i, ct)
					}
					if !reflect.DeepEqual(g.Form, w.form) {
						t.Errorf("request %d form:\n got %v\nwant %v", i, g.Form, w.form)
					}
					if g.Header.Get("Authorization") != "" {
						t.Errorf("request %d: unexpected Authorization header on the token endpoint", i)
					}
				}
				if w.json != nil && !reflect.DeepEqual(g.JSON, w.json) {
					t.Errorf("request %d JSON:\n got %v\nwant %v", i, g.JSON, w.json)
				}
				if w.path != "/oauth/token" && g.Header.Get("Authorization") != "Bearer "+agentToken {
					t.Errorf("request %d: Authorization %q, want the agent's bearer token", i, g.Header.Get("Authorization"))
				}
			}
		})
	}
}

func TestScopesAreSentSpaceSeparated(t *testing.T) {
	f := newFakeServer(t)
	cfg := testConfig(f, true)
	cfg.Scopes = []string{"read:documents", "mcp:financial"}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.requests("/oauth/token")[0].Form.Get("scope"); got != "read:documents mcp:financial" {
		t.Fatalf("scope = %q", got)
	}
}
