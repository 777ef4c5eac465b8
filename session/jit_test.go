package session

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools"
)

// reviewer is the person in the loop of a JIT test: it confirms and decides as told.
type reviewer struct {
	decision *tools.JITDecision // nil = never decides
	reviewed chan tools.JITQuestion
}

func (h *reviewer) Confirm(context.Context, tools.JITQuestion) (bool, error) { return true, nil }
func (h *reviewer) Review(ctx context.Context, q tools.JITQuestion) (tools.JITDecision, error) {
	select {
	case h.reviewed <- q:
	default:
	}
	if h.decision == nil {
		<-ctx.Done()
		return tools.JITDecision{}, ctx.Err()
	}
	return *h.decision, nil
}

func operatorAgent(t *testing.T, w *world) *auth.Agent {
	t.Helper()
	id, secret, ok := w.dev.Credentials("operator")
	if !ok {
		t.Fatal("no operator client")
	}
	a, err := auth.New(auth.Config{BaseURL: w.dev.URL(), OrgID: "acme-corp", ClientID: id, ClientSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The junior analyst asks the seed prompt; mcp:financial is requested just in time.
func TestJITSeedSession(t *testing.T) {
	cases := []struct {
		name     string
		decision *tools.JITDecision
		timeout  time.Duration
		outcome  Outcome
		want     []string
		final    Kind
	}{
		{"approved", &tools.JITDecision{Approve: true, Notes: "for the Q3 memo"}, 0, OutcomeOK, []string{"$4.21M"}, KindJITApproved},
		{"denied", &tools.JITDecision{Approve: false, Notes: "not before the board meeting"}, 0, OutcomeDenied,
			[]string{"denied", "not before the board meeting"}, KindJITDenied},
		{"timeout", nil, 400 * time.Millisecond, OutcomeDenied, []string{"no decision", "--jit-timeout"}, KindJITDenied},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, "junior-analyst")
			human := &reviewer{decision: c.decision, reviewed: make(chan tools.JITQuestion, 1)}
			r := w.runner(t, startDemo(t), realTools(t, w), func(cfg *Config) {
				cfg.JIT = tools.JITConfig{Mode: tools.JITModeAuto, Timeout: c.timeout, Poll: 50 * time.Millisecond, Human: human, Reviewer: operatorAgent(t, w)}
			})
			out := r.Ask(context.Background(), seedPrompt)
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			checkTranscript(t, w, r)
			answer := w.rec.last(KindRequestFinish).Text
			if out != c.outcome {
				t.Fatalf("outcome %s, want %s: %s\n%s", out, c.outcome, kinds(w.rec.all()), answer)
			}
			for _, s := range c.want {
				if !strings.Contains(answer, s) {
					t.Errorf("answer lacks %q:\n%s", s, answer)
				}
			}
			req := w.rec.last(KindJITRequested)
			if req.Capability != "mcp:financial" || req.Risk != "high" || req.RequestID == "" || req.Tool != "query_financial_mcp" || !strings.Contains(strings.ToLower(req.Text), "metric=ebitda") {
				t.Errorf("requested event: %+v", req)
			}
			if p := w.rec.last(KindJITPending); p.Deadline.IsZero() || p.RequestID != req.RequestID {
				t.Errorf("pending event: %+v", p)
			}
			if len(w.rec.kind(c.final)) != 1 {
				t.Errorf("no %s event: %s", c.final, kinds(w.rec.all()))
			}
			switch c.name {
			case "approved":
				a := w.rec.last(KindJITApproved)
				if a.TTL != 5*time.Minute || a.Reason != "for the Q3 memo" || a.Approver != "operator" {
					t.Errorf("approved event: %+v", a)
				}
				if mcp := w.rec.kind(KindMCPCall); len(mcp) != 1 || mcp[0].Status != "ok" {
					t.Errorf("the retried call: %+v", mcp)
				}
			case "denied":
				if d := w.rec.last(KindJITDenied); d.Status != "denied" || !strings.Contains(d.Reason, "board meeting") {
					t.Errorf("denied event: %+v", d)
				}
			case "timeout":
				if d := w.rec.last(KindJITDenied); d.Status != "timeout" {
					t.Errorf("timeout event: %+v", d)
				}
			}
			done := w.rec.last(KindJITCompleted)
			if done.Err != nil || !strings.Contains(done.Text, "revoked") {
				t.Errorf("completion: %+v", done)
			}
			if fin := w.rec.last(KindSessionFinish); fin.Seq < done.Seq {
				t.Error("session.finish came before the task was completed")
			}
		})
	}
}

// Closing a session whose request was cancelled while the JIT request was pending still
// completes the task (cancelling the pending request on the server).
func TestJITCompletedOnCancel(t *testing.T) {
	w := newWorld(t, "junior-analyst")
	human := &reviewer{reviewed: make(chan tools.JITQuestion, 1)}
	r := w.runner(t, startDemo(t), realTools(t, w), func(cfg *Config) {
		cfg.JIT = tools.JITConfig{Mode: tools.JITModeAuto, Poll: 50 * time.Millisecond, Human: human, Reviewer: operatorAgent(t, w)}
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-human.reviewed
		cancel()
	}()
	if out := r.Ask(ctx, seedPrompt); out != OutcomeCancelled {
		t.Errorf("outcome %s", out)
	}
	id := w.rec.last(KindJITRequested).RequestID
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if done := w.rec.last(KindJITCompleted); done.Err != nil || done.Kind == "" {
		t.Fatalf("not completed: %s", kinds(w.rec.all()))
	}
	st, err := w.agent.JITStatus(context.Background(), id)
	if err != nil || st.Status != "canceled" {
		t.Errorf("request after completion: %+v %v", st, err)
	}
}
