package cli_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
)

// TestExportOTLPSendsARecordedSession: a session recorded without telemetry is sent later
// with export --format otlp (flag or environment): the output says how many spans went
// where, and the collector has the session's trace with its recorded times.
func TestExportOTLPSendsARecordedSession(t *testing.T) {
	t.Parallel()
	col := telemetrytest.StartCollector(t)
	env := clitest.NewEnv(t)
	tr := recordSeedSession(t, env)
	id := sessionOf(t, tr)

	res := env.Run("", "export", "--format", "otlp", "--otel-endpoint", "http://"+col.GRPC, tr)
	if want := fmt.Sprintf("sent 9 spans of session %s to the collector at http://%s\n", id, col.GRPC); res.Code != cli.ExitOK || res.Stdout != want {
		t.Fatalf("export: exit %d, stdout %q (want %q); stderr:\n%s", res.Code, res.Stdout, want, res.Stderr)
	}
	spans := telemetrytest.SessionSpans(t, col, id, 9)
	if root := oneSpan(t, spans, "invoke_agent Research Analyst"); root.Attr("lumodash.outcome") != "ok" {
		t.Errorf("request span outcome %q", root.Attr("lumodash.outcome"))
	}

	env.Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+col.HTTP)
	env.Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	res = env.Run("", "export", "--format", "otlp", tr)
	if want := fmt.Sprintf("sent 9 spans of session %s to the collector at http://%s/v1/traces\n", id, col.HTTP); res.Code != cli.ExitOK || res.Stdout != want {
		t.Fatalf("export from the environment: exit %d, stdout %q (want %q); stderr:\n%s", res.Code, res.Stdout, want, res.Stderr)
	}
	telemetrytest.SessionSpans(t, col, id, 18)
}

// TestExportOTLPErrors: no collector configured is a configuration error naming what to
// set; --output makes no sense with otlp; a collector that is down fails the export.
func TestExportOTLPErrors(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	tr := recordSeedSession(t, env)
	dead := telemetrytest.FreeAddr(t)
	env.Set("OTEL_EXPORTER_OTLP_TIMEOUT", "300")
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"export", "--format", "otlp", tr}, cli.ExitConfig, []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "--otel-endpoint", "otel.endpoint"}},
		{[]string{"export", "--format", "otlp", "--otel-endpoint", dead, "-o", "x.json", tr}, cli.ExitConfig, []string{"--output does not go with --format otlp"}},
		{[]string{"export", "--format", "otlp", "--otel-endpoint", dead, "--otel-protocol", "http/json", tr}, cli.ExitConfig, []string{`--otel-protocol must be grpc or http/protobuf, got "http/json"`}},
		{[]string{"export", "--format", "otlp", "--otel-endpoint", "http://" + dead, filepath.Join(env.Dir, "missing.jsonl")}, cli.ExitConfig, []string{"missing.jsonl"}},
		{[]string{"export", "--format", "otlp", "--otel-endpoint", dead, tr}, cli.ExitError, []string{"9 of 9 spans did not reach the collector at http://" + dead}},
	} {
		res := env.Run("", c.args...)
		for _, w := range c.want {
			if res.Code != c.code || !strings.Contains(res.Stderr, w) {
				t.Errorf("%v: exit %d (want %d), stderr %q (want it to say %q)", c.args[1:len(c.args)-1], res.Code, c.code, res.Stderr, w)
			}
		}
	}
}

// TestExportOTLPStreamsUpToABadLine: export --format otlp sends the session while it reads
// it. A transcript cut short (a crash) is sent up to the cut, with a note, exit 0; a bad
// line before the end stops the export there, exit 2, naming the line and what was sent.
func TestExportOTLPStreamsUpToABadLine(t *testing.T) {
	t.Parallel()
	col := telemetrytest.StartCollector(t)
	env := clitest.NewEnv(t)
	tr := recordSeedSession(t, env)
	b, _ := os.ReadFile(tr)
	lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	endpoint := "http://" + col.GRPC

	cut := filepath.Join(env.Dir, "cut.jsonl")
	_ = os.WriteFile(cut, []byte(strings.Join(lines[:len(lines)-1], "")+`{"v":1,"kind":"sess`), 0o600)
	res := env.Run("", "export", "--format", "otlp", "--otel-endpoint", endpoint, cut)
	if res.Code != cli.ExitOK || !strings.Contains(res.Stderr, "note:") || !strings.Contains(res.Stdout, "sent 9 spans") {
		t.Errorf("cut: exit %d, stdout %q, stderr %q", res.Code, res.Stdout, res.Stderr)
	}

	bad := filepath.Join(env.Dir, "bad.jsonl")
	mid := len(lines) / 2
	_ = os.WriteFile(bad, []byte(strings.Join(lines[:mid], "")+"not json\n"+strings.Join(lines[mid:], "")), 0o600)
	res = env.Run("", "export", "--format", "otlp", "--otel-endpoint", endpoint, bad)
	want := fmt.Sprintf("bad.jsonl line %d is not a lumodash event", mid+1)
	if res.Code != cli.ExitConfig || !strings.Contains(res.Stderr, want) || !strings.Contains(res.Stderr, "spans reached the collector at "+endpoint) || res.Stdout != "" {
		t.Errorf("bad line: exit %d, stdout %q, stderr %q (want it to say %q)", res.Code, res.Stdout, res.Stderr, want)
	}
}

// recordSeedSession runs the seed prompt headless, without telemetry, and returns its
// transcript's path.
func recordSeedSession(t *testing.T, env *clitest.Env) string {
	t.Helper()
	tr := filepath.Join(env.Dir, "t.jsonl")
	if res := env.Run("", "run", "--transcript", tr, clitest.SeedPrompt); res.Code != cli.ExitOK {
		t.Fatalf("run: exit %d\n%s", res.Code, res.Stderr)
	}
	return tr
}
