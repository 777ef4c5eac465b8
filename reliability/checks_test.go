package reliability_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/session"
)

// complete asserts what every run must leave behind, whatever was injected: a transcript
// (0600) that starts with session.start, ends with session.finish, matches --json event for
// event, and holds neither the client secret nor any token the server issued.
func (fw *faultWorld) complete(t *testing.T, h headless, limit time.Duration) {
	t.Helper()
	if h.took > limit {
		t.Errorf("run took %s, limit %s", h.took, limit)
	}
	if len(h.events) < 2 {
		t.Fatalf("transcript has %d events; stderr: %s", len(h.events), h.stderr)
	}
	if first, last := h.events[0].Kind, h.events[len(h.events)-1].Kind; first != session.KindSessionStart || last != session.KindSessionFinish {
		t.Errorf("transcript runs %s … %s", first, last)
	}
	st, err := os.Stat(h.transcript)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("transcript mode: %v %v", st, err)
	}
	if h.stdoutEvents != nil {
		if len(h.stdoutEvents) != len(h.events) {
			t.Errorf("stdout has %d events, transcript %d", len(h.stdoutEvents), len(h.events))
		}
		for i := range min(len(h.stdoutEvents), len(h.events)) {
			if h.stdoutEvents[i].Seq != h.events[i].Seq || h.stdoutEvents[i].Kind != h.events[i].Kind {
				t.Errorf("event %d: stdout %s #%d, transcript %s #%d", i, h.stdoutEvents[i].Kind, h.stdoutEvents[i].Seq, h.events[i].Kind, h.events[i].Seq)
				break
			}
		}
	}
	raw, _ := os.ReadFile(h.transcript)
	fw.noSecrets(t, "stdout", h.stdout)
	fw.noSecrets(t, "stderr", h.stderr)
	fw.noSecrets(t, "transcript", string(raw))
}

// noSecrets fails when text holds the client secret or any access token issued so far.
func (fw *faultWorld) noSecrets(t *testing.T, where, text string) {
	t.Helper()
	if strings.Contains(text, fw.secret) {
		t.Errorf("%s holds the client secret", where)
	}
	for _, tok := range fw.auth.Tokens() {
		if strings.Contains(text, tok) {
			t.Errorf("%s holds an issued access token", where)
		}
	}
	if jwtPattern.MatchString(text) {
		t.Errorf("%s holds something shaped like a JWT", where)
	}
}

// errorsOf joins the messages of every error-bearing event, for assertions.
func errorsOf(es []session.Event) string {
	var b strings.Builder
	for _, e := range es {
		if e.Err != nil {
			b.WriteString(string(e.Kind) + " " + e.Err.Code + " " + e.Err.Message + "\n")
		}
		if e.Kind == session.KindToolResult && e.Status != "ok" {
			b.WriteString(string(e.Kind) + " " + string(e.Status) + " " + e.Text + "\n")
		}
	}
	return b.String()
}

// lastOf is the last event of kind k (zero Event when none).
func lastOf(es []session.Event, k session.Kind) session.Event {
	got := ofKind(es, k)
	if len(got) == 0 {
		return session.Event{}
	}
	return got[len(got)-1]
}
