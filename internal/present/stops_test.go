package present

import (
	"bytes"
	"strings"
	"testing"
	"time"

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

// What resending the conversation cost is in the request's usage, wherever usage is said.
func TestUsageSaysWhatWasResent(t *testing.T) {
	u := &session.Usage{PromptTokens: 1_030, CompletionTokens: 88, HistoryTokens: 681}
	if got := Usage(u); got != "1,118 tokens (1,030 in, 681 resent / 88 out)" {
		t.Errorf("usage %q", got)
	}
	e := session.Event{Kind: session.KindModelResponse, Model: "m", Turn: 3, Usage: u}
	if !strings.Contains(Summary(e), "681 resent") {
		t.Errorf("the response's log row %q does not say what was resent", Summary(e))
	}
}

// The details of a model notice or a trim give its text in full and the request's size
// against the window; a response's, what resending cost.
func TestDetailsOfTheModelSide(t *testing.T) {
	field := func(fs []Field, name string) string {
		for _, f := range fs {
			if f.Name == name {
				return f.Value
			}
		}
		return ""
	}
	trim := Details(session.Event{Kind: session.KindContextTrim, Count: 145,
		Text:    "left out: the tool calls and results of 45 earlier requests (their answers kept) — 145 messages, to fit the 16,384-token context window (vLLM /v1/models max_model_len)\x1b[2J",
		Context: &session.ContextUse{Tokens: 14_020, Window: 16_384, Source: "vLLM /v1/models max_model_len", Reserve: 1_024, History: 11_216}}, time.Time{})
	if got := field(trim, "text"); !strings.HasPrefix(got, "left out: the tool calls and results of 45 earlier requests") || !strings.HasSuffix(got, "max_model_len)") {
		t.Errorf("text %q", got)
	}
	if got := field(trim, "context"); got != "14,020 of 16,384 tokens (86%) · 11,216 resent · 1,024 kept for the answer" {
		t.Errorf("context %q", got)
	}
	if got := field(trim, "window from"); got != "vLLM /v1/models max_model_len" {
		t.Errorf("window from %q", got)
	}
	notice := Details(session.Event{Kind: session.KindModelNotice, Status: session.NoticeContextWindow, Text: "context window of m: 8,192 tokens (Ollama /api/ps context_length); …",
		Context: &session.ContextUse{Window: 8_192, Source: "Ollama /api/ps context_length"}}, time.Time{})
	if field(notice, "text") == "" || field(notice, "window") != "8,192 tokens" || field(notice, "context") != "" {
		t.Errorf("notice details %+v", notice)
	}
	resp := Details(session.Event{Kind: session.KindModelResponse, Cost: &session.Cost{USD: 0.0021, Priced: true, HistoryUSD: 0.0017}}, time.Time{})
	if got := field(resp, "resent cost"); got != "$0.0017 of $0.0021" {
		t.Errorf("resent cost %q", got)
	}
}

// A retry's row says what happens to the partial answer already shown, and a retry after
// context_length_exceeded how much smaller the request is.
func TestRetrySaysWhatBecomesOfThePartialAnswer(t *testing.T) {
	cut := session.Event{Kind: session.KindModelRetry, Turn: 2, Attempt: 2, Delay: 579_000_000,
		Text: "retrying in 579ms; the partial answer of this turn is discarded", Err: &session.ErrorInfo{Code: "stream_error", Message: "an error in the middle of its answer"}}
	if got := Summary(cut); got != "turn 2 · retry 2 in 579ms · the partial answer of this turn is discarded · stream_error: an error in the middle of its answer" {
		t.Errorf("%q", got)
	}
	plain := session.Event{Kind: session.KindModelRetry, Turn: 1, Attempt: 2, Delay: 1_000_000_000, Text: "retrying in 1s"}
	if got := Summary(plain); got != "turn 1 · retry 2 in 1s" {
		t.Errorf("%q", got)
	}
	shrink := session.Event{Kind: session.KindModelRetry, Turn: 2, Attempt: 2, Text: "the request (about 724 tokens) did not fit the model's context window; retrying once with about 500 tokens"}
	if got := Summary(shrink); !strings.HasSuffix(got, "· the request (about 724 tokens) did not fit the model's context window; retrying once with about 500 tokens") {
		t.Errorf("%q", got)
	}
}
