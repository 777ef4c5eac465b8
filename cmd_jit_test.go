package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// Headless on a non-terminal: --jit auto requests and waits, then says the wait timed out.
func TestRunJITAutoTimesOutClearly(t *testing.T) {
	isolateRun(t)
	start := time.Now()
	out, errOut, code := runCmd(t, "", "run", "--agent", "junior-analyst", "--jit", "auto", "--jit-timeout", "1s", seedPrompt)
	if code != exitDenied {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitDenied, out, errOut)
	}
	for _, want := range []string{"JIT     requested mcp:financial", "risk high", "JIT     pending", "JIT     timeout", "within 1s (--jit-timeout)", "JIT     completed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "unreachable") {
		t.Errorf("the timeout is reported as a server failure:\n%s", out)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %s", d)
	}
}

// --jit ask (the default) with nobody at a terminal refuses and names the way out.
func TestRunJITAskWithoutTerminal(t *testing.T) {
	isolateRun(t)
	out, errOut, code := runCmd(t, "", "run", "--agent", "junior-analyst", "--json", seedPrompt)
	if code != exitDenied {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	denied := ofKind(parseNDJSON(t, out), session.KindJITDenied)
	if len(denied) != 1 || denied[0].Status != "declined" || !strings.Contains(denied[0].Reason, "--jit auto") {
		t.Errorf("jit.denied events: %+v", denied)
	}
	if len(ofKind(parseNDJSON(t, out), session.KindJITRequested)) != 0 {
		t.Error("a request was sent without confirmation")
	}
	for _, bad := range [][]string{{"--jit", "maybe"}, {"--jit-timeout", "0s"}} {
		_, errOut, code := runCmd(t, "", append([]string{"run", "--agent", "junior-analyst"}, append(bad, seedPrompt)...)...)
		if code != exitConfig || !strings.Contains(errOut, bad[0]) {
			t.Errorf("%v: exit %d, %s", bad, code, errOut)
		}
	}
}

// The wiring end to end: the embedded operator approves (or denies) at the terminal and the
// EBITDA figure reaches the answer (or the answer says why not).
func TestWorldJITOperatorDecides(t *testing.T) {
	for _, c := range []struct {
		answer, want string
		outcome      session.Outcome
	}{
		{"a\n", "$4.21M", session.OutcomeOK},
		{"\nd\n", "denied by the operator at the terminal", session.OutcomeDenied},
	} {
		dir := isolateRun(t)
		g := &globalFlags{agent: "junior-analyst", envFile: filepath.Join(dir, "none.env")}
		sf := &sessionFlags{}
		cmd := &cobra.Command{}
		sf.register(cmd)
		if err := cmd.ParseFlags([]string{"--jit", "auto", "--transcript", filepath.Join(dir, "t.jsonl"), "--demo-pace", "0s"}); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		w, err := openWorld(ctx, g, sf)
		if err != nil {
			t.Fatal(err)
		}
		var events []session.Event
		w.Bus.Subscribe(session.SinkFunc(func(e session.Event) { events = append(events, e) }))
		w.Escalation = newTermEscalation(strings.NewReader(c.answer), io.Discard)
		r, err := w.NewRunner("")
		if err != nil {
			t.Fatal(err)
		}
		outcome := r.Ask(ctx, seedPrompt)
		_ = r.Close()
		w.Close()
		answer := ofKind(events, session.KindRequestFinish)[0].Text
		if outcome != c.outcome || !strings.Contains(answer, c.want) {
			t.Errorf("%q: outcome %s, answer:\n%s", c.answer, outcome, answer)
		}
		if len(ofKind(events, session.KindJITCompleted)) != 1 {
			t.Errorf("task not completed")
		}
		for _, e := range ofKind(events, session.KindAuthToken) {
			if e.Token != nil && e.Token.Claims.ClientID == "operator" {
				t.Errorf("the operator's token reached the agent's events: %+v", e)
			}
		}
	}
}

func TestTermEscalationConfirm(t *testing.T) {
	var out strings.Builder
	esc := newTermEscalation(strings.NewReader("Y\nno\n"), &out)
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
	if _, err := newTermEscalation(strings.NewReader(""), io.Discard).Review(ctx, q); err == nil {
		t.Error("cancelled review answered")
	}
}
