package present

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/session"
)

// A cut or filtered answer is marked where it stops, in --plain, so it never reads as whole.
func TestPlainPrinterMarksAnAnswerTheModelDidNotFinish(t *testing.T) {
	for status, want := range map[session.Status]string{
		"length":         "analyst › EBITDA was [answer cut off here: the model's output limit]\n",
		"content_filter": "analyst › EBITDA was [answer stopped here by the provider's content filter]\n",
		"stop":           "analyst › EBITDA was\n",
	} {
		var b bytes.Buffer
		p := NewPlainPrinter(&b)
		p.Emit(session.Event{Kind: session.KindModelDelta, Text: "EBITDA was"})
		p.Emit(session.Event{Kind: session.KindModelResponse, Turn: 2, Status: status})
		if got, _, _ := strings.Cut(b.String(), "MODEL"); got != want {
			t.Errorf("%s: %q, want %q", status, got, want)
		}
	}
	var b bytes.Buffer // cut inside tool arguments: nothing was streamed, nothing to mark
	NewPlainPrinter(&b).Emit(session.Event{Kind: session.KindModelResponse, Turn: 1, Status: "length", Count: 2})
	if strings.Contains(b.String(), "[answer") {
		t.Errorf("marked an answer that was never written: %q", b.String())
	}
}

// The conversation's note of a cut, filtered or refused answer is the plain sentence, not
// an "error:" of lumodash's; other errors still say error.
func TestStoppedAnswerNotes(t *testing.T) {
	for o, msg := range map[session.Outcome]string{
		session.OutcomeTruncated: "the answer was cut off at the model's output token limit (finish_reason length): what is shown is incomplete",
		session.OutcomeFiltered:  "the provider's content filter stopped the answer (finish_reason content_filter): no answer was given",
		session.OutcomeRefused:   `the model refused the request: "I can't help with that."`,
	} {
		note, level, ok := Note(session.Event{Kind: session.KindError, Outcome: o, Err: &session.ErrorInfo{Code: "x", Message: msg}})
		if !ok || note != msg || level != Error {
			t.Errorf("%s: note %q level %d", o, note, level)
		}
	}
	if note, _, _ := Note(session.Event{Kind: session.KindError, Outcome: session.OutcomeModelError, Err: &session.ErrorInfo{Message: "HTTP 503"}}); note != "error: HTTP 503" {
		t.Errorf("model error note %q", note)
	}
}
