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
	_, events := exportEvents(t, env, p)
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	_ = enc.Encode(session.Summarize(events))
	if r := env.Run("", "export", "--format", "json", p); r.Code != cli.ExitOK || r.Stdout != want.String() {
		t.Errorf("json: exit %d, %d bytes, want %d", r.Code, len(r.Stdout), want.Len())
	}
	if r := env.Run("", "export", p); r.Code != cli.ExitOK || r.Stdout != present.Markdown(session.Summarize(events)) {
		t.Errorf("md: exit %d, %d bytes", r.Code, len(r.Stdout))
	}
}

// exportEvents runs export --format events on the transcript at p, checks that its output is
// the transcript's events (assertEventArray) and returns the output and the events.
func exportEvents(t *testing.T, env *clitest.Env, p string) (string, []session.Event) {
	t.Helper()
	events, err := session.ReadTranscript(p)
	if err != nil {
		t.Fatal(err)
	}
	r := env.Run("", "export", "--format", "events", p)
	if r.Code != cli.ExitOK {
		t.Fatalf("export --format events: exit %d (%s)", r.Code, r.Stderr)
	}
	assertEventArray(t, r.Stdout, events)
	return r.Stdout, events
}

// assertEventArray: out is a JSON array of events, one per line, that decodes to want.
func assertEventArray(t *testing.T, out string, want []session.Event) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want)+2 || lines[0] != "[" || lines[len(lines)-1] != "]" {
		t.Fatalf("events: %d lines (first %q), want [, %d events, ]", len(lines), lines[0], len(want))
	}
	var got []session.Event
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("events: not a JSON array: %v", err)
	}
	for i, line := range lines[1 : len(lines)-1] {
		var one session.Event
		if err := json.Unmarshal([]byte(strings.TrimSuffix(line, ",")), &one); err != nil {
			t.Fatalf("events line %d is not one event: %v", i+2, err)
		}
		g, _ := json.Marshal(got[i])
		w, _ := json.Marshal(want[i])
		if o, _ := json.Marshal(one); string(g) != string(w) || string(o) != string(w) {
			t.Fatalf("event %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// TestExportEventsRedactsWhatTheLinesHide: --format events copies a transcript's lines
// where they can stand for their events, and encodes the events where reading redacted
// them or the line could hide a token: a JWT in a field lumodash does not know, one spelt
// with JSON escapes, a bearer credential in the text. None of them reaches the output.
func TestExportEventsRedactsWhatTheLinesHide(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	b, _ := os.ReadFile(sessiontest.WriteTranscript(t, 40))
	lines := strings.SplitAfter(string(b), "\n")
	doctored := []string{
		`{"v":1,"time":"2026-12-02T10:00:00Z","kind":"model.delta","seq":900,"text":"plain","leaked":"` + jwt + `"}` + "\n",
		`{"v":1,"time":"2026-12-02T10:00:01Z","kind":"model.delta","seq":901,"text":"\u0065` + jwt[1:] + `"}` + "\n",
		`{"v":1,"time":"2026-12-02T10:00:02Z","kind":"model.delta","seq":902,"text":"Authorization: Bearer 0123456789abcdefXYZ"}` + "\n",
	}
	lines = append(lines[:20], append(doctored, lines[20:]...)...)
	p := filepath.Join(t.TempDir(), "doctored.jsonl")
	_ = os.WriteFile(p, []byte(strings.Join(lines, "")), 0o600)
	out, _ := exportEvents(t, env, p)
	for _, secret := range []string{jwt[6:30], "0123456789abcdefXYZ", "leaked"} {
		if strings.Contains(out, secret) {
			t.Errorf("the export holds %q", secret)
		}
	}
	if !strings.Contains(out, `"text":"Authorization: Bearer 012345…"`) {
		t.Errorf("the bearer credential is not shown redacted")
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
