package sessiontest

import (
	"os"
	"testing"

	"github.com/lumodash/lumodash/session"
)

// TestWriteTranscript: the file reads back as exactly n events of one session, the same
// for the same n, with the kinds of a real session and the finish last.
func TestWriteTranscript(t *testing.T) {
	p := WriteTranscript(t, 5000)
	events, err := session.ReadTranscript(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 5000 {
		t.Fatalf("%d events, want 5000", len(events))
	}
	kinds := map[session.Kind]int{}
	for i, e := range events {
		kinds[e.Kind]++
		if e.Seq != int64(i+1) || e.Session != SessionID || (i > 0 && e.Time.Before(events[i-1].Time)) {
			t.Fatalf("event %d: seq %d session %q time %v", i, e.Seq, e.Session, e.Time)
		}
	}
	if events[0].Kind != session.KindSessionStart || events[len(events)-1].Kind != session.KindSessionFinish {
		t.Errorf("first %s, last %s", events[0].Kind, events[len(events)-1].Kind)
	}
	for _, k := range []session.Kind{session.KindPrompt, session.KindModelDelta, session.KindToolCall, session.KindMCPCall, session.KindRequestFinish} {
		if kinds[k] == 0 {
			t.Errorf("no %s events", k)
		}
	}
	if kinds[session.KindModelDelta] < len(events)/2 {
		t.Errorf("%d deltas of %d events: a streamed session is mostly deltas", kinds[session.KindModelDelta], len(events))
	}
	again, _ := os.ReadFile(WriteTranscript(t, 5000))
	first, _ := os.ReadFile(p)
	if string(again) != string(first) {
		t.Error("the same size gave a different transcript")
	}
}
