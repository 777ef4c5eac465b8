package reliability_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
)

// buildLumodash builds the lumodash binary once for the test.
func buildLumodash(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lumodash")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/lumodash/lumodash").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestAttackHangupEndsTheSessionCleanly (issue 13 item 11): the terminal goes away (SIGHUP)
// while the analyst is answering. The real binary, in its own process, ends like it does on
// SIGTERM: the request cancelled, the transcript closed with session.finish.
func TestAttackHangupEndsTheSessionCleanly(t *testing.T) {
	t.Parallel()
	bin := buildLumodash(t)
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			started := make(chan struct{})
			fw.model.Set(faultserver.When(faultserver.Once(isAnswerTurn), hangMidAnswer(started)))
			tr := filepath.Join(fw.dir, "hup.jsonl")
			cmd := exec.Command(bin, "run", "--json", "--transcript", tr, "--mcp-url", fw.mcpURL(), "--env-file", fw.env.NoEnvFile(), seedPrompt)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
			for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "LUMOAUTH_URL", "LUMOAUTH_ORG_ID", "AGENT_CLIENT_ID", "AGENT_CLIENT_SECRET", "OPENAI_BASE_URL", "OPENAI_MODEL"} {
				cmd.Env = append(cmd.Env, k+"="+fw.env.Getenv(k))
			}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-started:
			case err := <-done:
				t.Fatalf("lumodash ended before the answer streamed: %v\n%s", err, stderr.String())
			case <-time.After(60 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the answer never started streaming")
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("lumodash did not end within 30 s of %s", sig)
			}
			events, err := session.ReadTranscript(tr)
			if err != nil || len(events) == 0 {
				t.Fatalf("transcript: %d events, %v", len(events), err)
			}
			last := events[len(events)-1]
			if last.Kind != session.KindSessionFinish || last.Outcome != session.OutcomeCancelled {
				t.Errorf("after %s the transcript ends with %s (%s), want session.finish cancelled; stderr:\n%s", sig, last.Kind, last.Outcome, stderr.String())
			}
			if st := cmd.ProcessState; st.ExitCode() != 130 {
				t.Errorf("exit %v, want 130 (cancelled)", st)
			}
		})
	}
}
