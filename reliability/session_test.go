package reliability_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
)

func TestReliabilityBudgetTooSmallForAnyCall(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "capped-analyst")
	h := fw.run(t, context.Background(), true, seedPrompt)
	if h.code != cli.ExitBudget {
		t.Fatalf("exit %d, want %d: %s", h.code, cli.ExitBudget, h.stderr)
	}
	fw.complete(t, h, 20*time.Second)
	ex := ofKind(h.events, session.KindBudgetExhausted)
	if len(ex) != 1 || ex[0].Limit != "tokens/day" || !strings.Contains(ex[0].Text, "resets at") || !strings.Contains(ex[0].Text, "room for an answer") {
		t.Fatalf("budget.exhausted %+v", ex)
	}
	for _, k := range []session.Kind{session.KindModelRequest, session.KindModelResponse, session.KindToolCall} {
		if n := len(ofKind(h.events, k)); n != 0 {
			t.Errorf("%d %s events: the guard must stop before a call that cannot fit", n, k)
		}
	}
	if fin := lastOf(h.events, session.KindRequestFinish); fin.Outcome != session.OutcomeBudgetExhausted {
		t.Errorf("request.finish %+v", fin)
	}
	if s := replayScreen(t, h.events, 180, 60); !strings.Contains(s, "budget exhausted") || !strings.Contains(s, "STOPPED") {
		t.Errorf("dashboard:\n%s", s)
	}
	t.Logf("observed: exit %d; %s", h.code, ex[0].Text)
}

// interruptWhen sends the process a real SIGINT (Ctrl+C) once started is closed; the run
// command has registered its signal context by then.
func interruptWhen(started <-chan struct{}) {
	go func() {
		<-started
		time.Sleep(50 * time.Millisecond)
		_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
	}()
}

// hangMidAnswer streams the first words of an answer, closes started and hangs until the
// request is cancelled.
func hangMidAnswer(started chan struct{}) faultserver.Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Q3 was \"},\"finish_reason\":null}]}\n\n")
		w.(http.Flusher).Flush()
		close(started)
		faultserver.Hang(w, r, nil)
	}
}

// hangInCall closes started and holds the request until it is cancelled.
func hangInCall(started chan struct{}) faultserver.Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		close(started)
		faultserver.Hang(w, r, next)
	}
}

func TestReliabilityCtrlCHeadless(t *testing.T) {
	cases := []struct {
		name   string
		inject func(fw *faultWorld, started chan struct{})
	}{
		{"during streaming", func(fw *faultWorld, started chan struct{}) {
			fw.model.Set(faultserver.When(isAnswerTurn, hangMidAnswer(started)))
		}},
		{"during a tool call", func(fw *faultWorld, started chan struct{}) {
			fw.mcp.Set(faultserver.When(isToolCall, hangInCall(started)))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fw := newFaultWorld(t, "research-analyst")
			started := make(chan struct{})
			c.inject(fw, started)
			interruptWhen(started)
			h := fw.run(t, context.Background(), false, seedPrompt)
			if h.code != cli.ExitCancelled {
				t.Errorf("exit %d, want %d: %s", h.code, cli.ExitCancelled, h.stderr)
			}
			fw.complete(t, h, 10*time.Second)
			fin := lastOf(h.events, session.KindRequestFinish)
			if fin.Outcome != session.OutcomeCancelled || !strings.Contains(fin.Text, "cancelled") {
				t.Errorf("request.finish %+v", fin)
			}
			if !strings.Contains(h.stdout, "DONE    cancelled") || !strings.Contains(h.stderr, "transcript: "+h.transcript) {
				t.Errorf("stdout:\n%s\nstderr: %s", h.stdout, h.stderr)
			}
			t.Logf("observed: exit %d in %s; %s", h.code, h.took.Round(time.Millisecond), fin.Text)
		})
	}
}

func TestReliabilityJITApprovalNeverArrives(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "junior-analyst") // may request mcp:financial at high risk; nobody approves
	h := fw.run(t, context.Background(), true, seedPrompt, "--jit", "auto", "--jit-timeout", "1s")
	fw.complete(t, h, 15*time.Second)
	errs := errorsOf(h.events)
	t.Logf("observed: exit %d in %s; %s", h.code, h.took.Round(time.Millisecond), strings.ReplaceAll(errs, "\n", " | "))
	if h.code != cli.ExitDenied {
		t.Errorf("exit %d, want %d", h.code, cli.ExitDenied)
	}
	if len(ofKind(h.events, session.KindJITRequested)) == 0 || !strings.Contains(errs, "1s") {
		t.Errorf("no JIT request or no timeout message:\n%s", errs)
	}
	if len(ofKind(h.events, session.KindMCPCall)) != 0 {
		t.Error("the MCP server was called without approval")
	}
}

// TestReliabilityHeadlessLeaksNoSecret runs full headless sessions (--plain and --json, the
// second after a forced re-authentication) and searches everything they leave for the client
// secret and every access token the server issued (captured on the wire by the proxy).
func TestReliabilityHeadlessLeaksNoSecret(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	// A careless authorization server echoes the credentials it was sent in an error.
	fw.auth.Set(faultserver.When(faultserver.Once(faultserver.Path("/oauth/userinfo")), func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		fmt.Fprintf(w, `{"error":"invalid_token","error_description":"token %s of client with secret %s revoked"}`,
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "), fw.secret)
	}))
	for _, jsonOut := range []bool{false, true} {
		h := fw.run(t, context.Background(), jsonOut, seedPrompt)
		if h.code != cli.ExitOK {
			t.Errorf("exit %d: %s", h.code, h.stderr)
		}
		fw.complete(t, h, 20*time.Second) // searches stdout, stderr and the transcript
	}
	if n := len(fw.auth.Tokens()); n < 4 {
		t.Fatalf("only %d tokens were issued: the search proves little", n)
	}
	t.Logf("observed: 2 sessions, %d issued tokens and the secret searched in stdout, stderr, transcripts: 0 hits", len(fw.auth.Tokens()))
}
