package reliability_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
)

const (
	grantCC       = "client_credentials"
	grantExchange = auth.GrantTypeTokenExchange
)

// faultCase is one injected fault and what lumodash must say about it.
type faultCase struct {
	name   string
	inject func(t *testing.T, fw *faultWorld)
	code   int      // exit code of `lumodash run`
	want   []string // phrases in the events' error messages (and so in --plain and the UI)
	ui     string   // a phrase the dashboard shows (rendered from the same events)
	check  func(t *testing.T, fw *faultWorld, h headless)
	// alone runs a CPU-heavy case by itself, before the parallel ones, with a time limit
	// that only catches a hang: its throughput is a benchmark's to measure, not a timer's
	// on a shared machine (its test must not be parallel).
	alone bool
}

// runFaultCases runs each case headless (--json) against a fresh world and checks the exit
// code, the messages, the transcript, the secrets and the dashboard.
func runFaultCases(t *testing.T, agent string, cases []faultCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !c.alone {
				t.Parallel()
			}
			fw := newFaultWorld(t, agent)
			c.inject(t, fw)
			h := fw.run(t, context.Background(), true, seedPrompt)
			if h.code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s\nerrors:\n%s", h.code, c.code, h.stderr, errorsOf(h.events))
			}
			limit := 20 * time.Second
			if c.alone {
				limit = 2 * time.Minute
			}
			fw.complete(t, h, limit)
			errs := errorsOf(h.events)
			for _, w := range c.want {
				if !strings.Contains(errs, w) {
					t.Errorf("no event says %q; errors:\n%s", w, errs)
				}
			}
			plain := plainLines(h.events)
			for _, w := range c.want {
				if !strings.Contains(plain, w) {
					t.Errorf("--plain output lacks %q:\n%s", w, plain)
				}
			}
			if c.ui != "" {
				screen := replayScreen(t, h.events, 180, 60)
				if !strings.Contains(screen, c.ui) {
					t.Errorf("dashboard lacks %q:\n%s", c.ui, screen)
				}
				fw.noSecrets(t, "screen", screen)
			}
			if c.check != nil {
				c.check(t, fw, h)
			}
			t.Logf("observed: exit %d in %s; %s", h.code, h.took.Round(time.Millisecond), strings.SplitN(errs, "\n", 2)[0])
		})
	}
}

// plainLines renders events as `run --plain` prints them (the plain printer uses PlainLine).
func plainLines(es []session.Event) string {
	var b strings.Builder
	for _, e := range es {
		if l := present.PlainLine(e); l != "" {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// onGrant applies f to token requests of one grant type.
func onGrant(grant string, f faultserver.Fault) faultserver.Fault {
	return faultserver.When(faultserver.Form("grant_type", grant), f)
}

func TestReliabilityAuthorizationServerFaults(t *testing.T) {
	t.Parallel()
	runFaultCases(t, "research-analyst", []faultCase{
		{name: "down at start", code: cli.ExitAuth, ui: "cannot reach the authorization",
			inject: func(t *testing.T, fw *faultWorld) { fw.setAuthURL(faultserver.ClosedURL(t)) },
			want:   []string{"unreachable", "cannot reach the authorization server"}},
		{name: "500s", code: cli.ExitAuth, ui: "HTTP 500",
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(faultserver.Status(500, map[string]string{"Content-Type": "text/html"}, "<h1>Internal Server Error</h1>"))
			},
			want: []string{"HTTP 500", "the server failed"}},
		{name: "invalid_client", code: cli.ExitAuth, ui: "invalid_client",
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(onGrant(grantCC, faultserver.OAuthError(401, "invalid_client", "Client authentication failed")))
			},
			want: []string{"invalid_client", "check AGENT_CLIENT_ID and AGENT_CLIENT_SECRET"}},
		{name: "malformed token JSON", code: cli.ExitAuth, ui: "malformed",
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(onGrant(grantCC, faultserver.Status(200, nil, `{"access_token": "abc", "token_type": `)))
			},
			want: []string{"invalid_response", "malformed"}},
		{name: "malformed userinfo JSON", code: cli.ExitAuth, ui: "malformed JSON",
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(faultserver.When(faultserver.Path("/oauth/userinfo"), faultserver.Status(200, nil, `{"sub": "agent:x", "capabilities": [`)))
			},
			want: []string{"invalid_response", "malformed JSON in the answer"}},
		{name: "token without expires_in", code: cli.ExitOK,
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(onGrant(grantCC, faultserver.RewriteJSON(func(m map[string]any) { delete(m, "expires_in") })))
			},
			check: func(t *testing.T, fw *faultWorld, h headless) {
				tok := lastOf(h.events, session.KindAuthToken).Token
				if tok == nil || tok.ExpiresAt.IsZero() || tok.ExpiresAt.Sub(tok.Claims.ExpiresAt).Abs() > 2*time.Second {
					t.Errorf("expiry should fall back to the JWT exp claim: %+v", tok)
				}
			}},
		{name: "goes down mid-session", code: cli.ExitAuth, ui: "cannot reach the authorization",
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(onGrant(grantExchange, func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
					fw.auth.Down()
					panic(http.ErrAbortHandler)
				}))
			},
			want: []string{"unreachable", "cannot reach the authorization server"},
			check: func(t *testing.T, fw *faultWorld, h headless) {
				if len(ofKind(h.events, session.KindModelResponse)) == 0 {
					t.Error("the server went down before the session got going")
				}
			}},
		{name: "token revoked mid-session", code: cli.ExitOK,
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(faultserver.When(faultserver.Once(faultserver.After(2, faultserver.Path("/oauth/userinfo"))),
					faultserver.Status(401, map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}, `{"error":"invalid_token","error_description":"token revoked"}`)))
			},
			check: func(t *testing.T, fw *faultWorld, h headless) {
				var statuses []string
				for _, e := range ofKind(h.events, session.KindAuthToken) {
					statuses = append(statuses, string(e.Status))
				}
				if len(statuses) != 2 || statuses[1] == "failed" {
					t.Errorf("want one re-authentication after the 401, got auth.token %v", statuses)
				}
				if n := fw.auth.Hits("/oauth/userinfo"); n < 3 {
					t.Errorf("userinfo asked %d times; the revocation was never hit", n)
				}
			}},
	})
}

func TestReliabilityTokenExchangeFaults(t *testing.T) {
	t.Parallel()
	denyExchange := func(status int, code, desc string) func(*testing.T, *faultWorld) {
		return func(t *testing.T, fw *faultWorld) {
			fw.auth.Set(onGrant(grantExchange, faultserver.OAuthError(status, code, desc)))
		}
	}
	exchangeFailed := func(want string) func(*testing.T, *faultWorld, headless) {
		return func(t *testing.T, fw *faultWorld, h headless) {
			if len(ofKind(h.events, session.KindMCPCall)) != 0 {
				t.Error("the MCP server was called without an exchanged token")
			}
			fin := lastOf(h.events, session.KindRequestFinish)
			if !strings.Contains(fin.Text, "query_financial_mcp") && !strings.Contains(strings.ToLower(fin.Text), "financial") {
				t.Errorf("the answer does not say the financial query failed: %q", fin.Text)
			}
		}
	}
	runFaultCases(t, "research-analyst", []faultCase{
		{name: "invalid_target", code: cli.ExitToolFailed, ui: "invalid_target", want: []string{"invalid_target", "unknown audience"},
			inject: denyExchange(400, "invalid_target", "unknown audience urn:mcp:financial-data"), check: exchangeFailed("invalid_target")},
		{name: "unsupported_token_type", code: cli.ExitToolFailed, ui: "unsupported_token_type", want: []string{"unsupported_token_type"},
			inject: denyExchange(400, "unsupported_token_type", "subject_token_type not supported"), check: exchangeFailed("unsupported_token_type")},
		{name: "403", code: cli.ExitToolFailed, ui: "delegation_not_allowed", want: []string{"delegation_not_allowed", "HTTP 403"},
			inject: denyExchange(403, "delegation_not_allowed", "agent may not act for this resource"), check: exchangeFailed("403")},
		{name: "no access_token", code: cli.ExitToolFailed, ui: "access_token", want: []string{"access_token"},
			inject: func(t *testing.T, fw *faultWorld) {
				fw.auth.Set(onGrant(grantExchange, faultserver.RewriteJSON(func(m map[string]any) { delete(m, "access_token") })))
			}, check: exchangeFailed("access_token")},
	})
}

func TestReliabilityAuthorizationServerSlow(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	fw.auth.Set(faultserver.Delay(5 * time.Second))
	h := fw.runWired(t, seedPrompt, 300*time.Millisecond)
	if h.code != cli.ExitAuth {
		t.Errorf("exit %d, want %d", h.code, cli.ExitAuth)
	}
	fw.complete(t, h, 4*time.Second) // well under the 5 s delay: the 300 ms timeout fired
	errs := errorsOf(h.events)
	if !strings.Contains(errs, "no answer within the time limit (request timeout 300ms)") {
		t.Errorf("errors:\n%s", errs)
	}
	if s := replayScreen(t, h.events, 180, 60); !strings.Contains(s, "no answer within the time limit") {
		t.Errorf("dashboard:\n%s", s)
	}
	t.Logf("observed: exit %d in %s; %s", h.code, h.took.Round(time.Millisecond), strings.SplitN(errs, "\n", 2)[0])
}

// TestReliabilityClockSkew runs sessions whose client clock is hours off the server's.
func TestReliabilityClockSkew(t *testing.T) {
	t.Parallel()
	noExpiresIn := onGrant(grantCC, faultserver.RewriteJSON(func(m map[string]any) { delete(m, "expires_in") }))
	for _, c := range []struct {
		name  string
		skew  time.Duration
		fault faultserver.Fault
	}{
		{"client 2h ahead", 2 * time.Hour, nil},
		{"client 2h behind", -2 * time.Hour, nil},
		{"client 2h ahead, no expires_in", 2 * time.Hour, noExpiresIn},
		{"client 2h behind, no expires_in", -2 * time.Hour, noExpiresIn},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			fw.auth.Set(c.fault)
			h := fw.runWired(t, seedPrompt, 5*time.Second, auth.WithClock(func() time.Time { return time.Now().Add(c.skew) }))
			if h.code != cli.ExitOK {
				t.Errorf("exit %d; errors:\n%s", h.code, errorsOf(h.events))
			}
			fw.complete(t, h, 20*time.Second)
			grants := len(ofKind(h.events, session.KindAuthToken))
			if grants != 1 {
				t.Errorf("%d client-credentials grants in one short session; want 1 (no re-fetch loop)", grants)
			}
			t.Logf("observed: exit %d in %s; %d grant(s)", h.code, h.took.Round(time.Millisecond), grants)
		})
	}
}
