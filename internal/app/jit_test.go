package app_test

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui"
)

// The world end to end: the embedded operator approves (or denies) at the terminal and the
// EBITDA figure reaches the answer (or the answer says why not).
func TestWorldJITOperatorDecides(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		answer, want string
		outcome      session.Outcome
	}{
		{"a\n", "$4.21M", session.OutcomeOK},
		{"\nd\n", "denied by the operator at the terminal", session.OutcomeDenied},
	} {
		dir := t.TempDir()
		s := app.DefaultSettings(auth.MapEnv(map[string]string{"HOME": dir}))
		s.Agent, s.EnvFile = "junior-analyst", filepath.Join(dir, "none.env")
		s.Session.JITMode, s.Session.Transcript, s.Session.DemoPace = tools.JITModeAuto, filepath.Join(dir, "t.jsonl"), 0
		ctx := context.Background()
		w, err := app.Open(ctx, s, app.ScopeSessions)
		if err != nil {
			t.Fatal(err)
		}
		var events record.Log[session.Event]
		w.Bus.Subscribe(&events)
		w.Escalation = app.NewTermEscalation(strings.NewReader(c.answer), io.Discard)
		r, err := w.NewRunner("")
		if err != nil {
			t.Fatal(err)
		}
		outcome := r.Ask(ctx, ui.DefaultSuggestedPrompt)
		_ = r.Close()
		w.Close()
		ofKind := func(k session.Kind) []session.Event {
			return events.Where(func(e session.Event) bool { return e.Kind == k })
		}
		answer := ofKind(session.KindRequestFinish)[0].Text
		if outcome != c.outcome || !strings.Contains(answer, c.want) {
			t.Errorf("%q: outcome %s, answer:\n%s", c.answer, outcome, answer)
		}
		if len(ofKind(session.KindJITCompleted)) != 1 {
			t.Errorf("task not completed")
		}
		for _, e := range ofKind(session.KindAuthToken) {
			if e.Token != nil && e.Token.Claims.ClientID == "operator" {
				t.Errorf("the operator's token reached the agent's events: %+v", e)
			}
		}
	}
}

func TestTermEscalationConfirm(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	esc := app.NewTermEscalation(strings.NewReader("Y\nno\n"), &out)
	q := tools.JITQuestion{Tool: "query_financial_mcp", Capability: "mcp:financial", Risk: "high", Justification: "EBITDA\x1b[2J"}
	if ok, err := esc.Confirm(context.Background(), q); !ok || err != nil {
		t.Errorf("first: %v %v", ok, err)
	}
	if ok, err := esc.Confirm(context.Background(), q); ok || err != nil {
		t.Errorf("second: %v %v", ok, err)
	}
	if _, err := esc.Confirm(context.Background(), q); err == nil {
		t.Error("closed stdin answered")
	}
	if strings.Contains(out.String(), "\x1b") || !strings.Contains(out.String(), "[y/N]") {
		t.Errorf("prompt: %q", out.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := app.NewTermEscalation(strings.NewReader(""), io.Discard).Review(ctx, q); err == nil {
		t.Error("cancelled review answered")
	}
}
