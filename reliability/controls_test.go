package reliability_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/uitest"
)

// hostileName is a tool name a hostile model might choose: 8-bit C1 controls (CSI, OSC, ST,
// NEL) and bidi overrides and isolates, which reorder or hide what the terminal shows.
const hostileName = "fetch\u009b2J\u009d0;pwned\u009c\u0085_\u202edrowssap\u202c_\u2066x\u2069\u202a\u202b\u202d\u2067\u2068"

// TestAttackControlsInToolNamesAndReplays (issue 13 item 4): the model calls a tool whose
// name carries C1 controls and bidi overrides; then a doctored transcript with such text in
// every field is replayed. --plain, every dashboard frame (conversation, log, sidebar) and
// the Markdown export are free of them, live and replayed alike.
func TestAttackControlsInToolNamesAndReplays(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	fw.model.Set(faultserver.When(faultserver.Once(faultserver.Any), sseReply(nil, hostileName, `{"q":"`+hostileName+`"}`)))
	h := fw.run(t, context.Background(), false, seedPrompt)
	if !strings.Contains(mustRead(t, h.transcript), `\u202e`) && !strings.Contains(mustRead(t, h.transcript), "\u202e") {
		t.Fatal("the hostile name never reached lumodash (nothing was tested)")
	}
	clean(t, "--plain stdout", h.stdout, true)
	clean(t, "stderr", h.stderr, true)
	if !strings.Contains(h.stdout, "drowssap") {
		t.Errorf("the name's printable part vanished from --plain:\n%s", h.stdout)
	}

	fw.model.Set(faultserver.When(faultserver.Once(faultserver.Any), sseReply(nil, hostileName, `{}`)))
	d, _, stop := fw.liveTUI(t, 160, 48)
	ask(d, seedPrompt, 1)
	everyDetail(t, d, d.Count(session.KindSessionStart)*40)
	stop()
	for _, f := range d.Frames() {
		clean(t, "live frame", f, false)
	}

	doctored := doctor(t, h.events)
	path := fw.env.WriteFile("doctored.jsonl", doctored)
	events, err := session.ReadTranscript(path)
	if err != nil {
		t.Fatal(err)
	}
	rd := replayTUI(t, events, 160, 48)
	for _, f := range rd.Frames() {
		clean(t, "replayed frame", f, false)
	}
	everyDetail(t, rd, len(events))
	if !strings.Contains(rd.Screen(), "drowssap") {
		t.Errorf("the replay shows nothing of the doctored text:\n%s", rd.Screen())
	}
	r := fw.env.Run("", "export", "--format", "md", path)
	if r.Code != 0 {
		t.Fatalf("export: exit %d %s", r.Code, r.Stderr)
	}
	clean(t, "export --format md", r.Stdout, true)
}

// doctor rewrites a transcript as an attacker would: every string value of every event
// (except its kind, time and the fields that make it an event) gains the hostile name.
func doctor(t *testing.T, events []session.Event) string {
	t.Helper()
	var b strings.Builder
	for _, e := range events {
		raw, _ := json.Marshal(e)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			if k != "kind" && k != "time" && k != "v" && k != "seq" {
				m[k] = poison(v)
			}
		}
		out, _ := json.Marshal(m)
		b.Write(out)
		b.WriteByte('\n')
	}
	return b.String()
}

func poison(v any) any {
	switch x := v.(type) {
	case string:
		if _, err := json.Number(x).Float64(); err == nil || strings.Contains(x, "T") && len(x) > 18 && x[4] == '-' {
			return x // numbers and times keep their meaning
		}
		return x + " " + hostileName
	case map[string]any:
		for k, e := range x {
			x[k] = poison(e)
		}
	case []any:
		for i, e := range x {
			x[i] = poison(e)
		}
	}
	return v
}

// everyDetail focuses each pane, then opens the details (or trace) of the log's first n rows
// one by one, checking every frame drawn.
func everyDetail(t *testing.T, d *uitest.Driver, n int) {
	t.Helper()
	for range 3 { // conversation, log, prompt: every pane drawn focused
		d.Press("tab")
		clean(t, "frame with the focus moved", d.Frame(), false)
	}
	d.Press("tab") // the log
	d.Press("g")
	for range n {
		d.Press("enter")
		clean(t, "details dialog", d.Frame(), false)
		d.Press("esc")
		d.Press("j")
	}
}
