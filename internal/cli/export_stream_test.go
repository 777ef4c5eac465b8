package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/sessiontest"
)

// TestExportStreamsTheSameOutput: the streamed export writes exactly what encoding the
// whole transcript in memory writes, in every format.
func TestExportStreamsTheSameOutput(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	p := sessiontest.WriteTranscript(t, 3000)
	events, err := session.ReadTranscript(p)
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	_ = enc.Encode(events)
	if r := env.Run("", "export", "--format", "events", p); r.Code != cli.ExitOK || r.Stdout != want.String() {
		t.Errorf("events: exit %d, %d bytes, want %d (%s)", r.Code, len(r.Stdout), want.Len(), r.Stderr)
	}
	want.Reset()
	_ = enc.Encode(session.Summarize(events))
	if r := env.Run("", "export", "--format", "json", p); r.Code != cli.ExitOK || r.Stdout != want.String() {
		t.Errorf("json: exit %d, %d bytes, want %d", r.Code, len(r.Stdout), want.Len())
	}
	if r := env.Run("", "export", p); r.Code != cli.ExitOK || r.Stdout != present.Markdown(session.Summarize(events)) {
		t.Errorf("md: exit %d, %d bytes", r.Code, len(r.Stdout))
	}
}

// TestExportStopsAtABadLine: a malformed line deep in a transcript stops the export with
// the line's number and exit 2.
func TestExportStopsAtABadLine(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	b, _ := os.ReadFile(sessiontest.WriteTranscript(t, 2000))
	lines := strings.SplitAfter(string(b), "\n")
	lines[1499] = "{\"v\":1,\"kind\":\"model.delta\",oops}\n"
	p := filepath.Join(t.TempDir(), "bad.jsonl")
	_ = os.WriteFile(p, []byte(strings.Join(lines, "")), 0o600)
	for _, format := range []string{"md", "json", "events"} {
		r := env.Run("", "export", "--format", format, p)
		if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "bad.jsonl line 1500 is not a lumodash event") {
			t.Errorf("%s: exit %d, stderr %q", format, r.Code, r.Stderr)
		}
	}
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	_ = os.WriteFile(empty, []byte("\n\n"), 0o600)
	if r := env.Run("", "export", "--format", "events", empty); r.Code != cli.ExitConfig || r.Stdout != "" || !strings.Contains(r.Stderr, "has no events") {
		t.Errorf("empty: exit %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}

// TestReplayRefusesANonTranscriptAtOnce: replay reads the first event before the dashboard
// starts, so a file that is no transcript is refused with its line, exit 2.
func TestReplayRefusesANonTranscriptAtOnce(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	dir := t.TempDir()
	for name, c := range map[string]struct{ body, want string }{
		"empty.jsonl":   {"\n", "empty.jsonl has no events"},
		"garbage.jsonl": {"not json\n", "garbage.jsonl line 1 is not a lumodash event"},
		"missing.jsonl": {"", "no such file"},
	} {
		p := filepath.Join(dir, name)
		if name != "missing.jsonl" {
			_ = os.WriteFile(p, []byte(c.body), 0o600)
		}
		if r := env.Run("", "replay", p); r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q", name, r.Code, r.Stderr)
		}
	}
}
