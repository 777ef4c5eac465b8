package session

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/tools"
)

// ask runs one request in a fresh session against model and closes the session.
func ask(t *testing.T, fm *fakeModel, prompt string, mod func(*Config)) (*world, Outcome) {
	t.Helper()
	w := newWorld(t, "research-analyst")
	r := w.runner(t, fm.config("gpt-4o-mini"), tools.NewRegistry(metricTool{name: "lookup_metric"}), mod)
	out := r.Ask(context.Background(), prompt)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	checkTranscript(t, w, r)
	return w, out
}

// checkTranscript asserts the transcript holds exactly the session's events, in order.
func checkTranscript(t *testing.T, w *world, r *Runner) {
	t.Helper()
	got, err := ReadTranscript(r.TranscriptPath())
	if err != nil {
		t.Fatal(err)
	}
	var want []Event
	for _, e := range w.rec.all() {
		if e.Session == r.ID() {
			want = append(want, e)
		}
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("transcript has %d events, the bus delivered %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Seq != want[i].Seq || got[i].Kind != want[i].Kind || got[i].Text != want[i].Text {
			t.Fatalf("transcript event %d = %s #%d, bus %s #%d", i, got[i].Kind, got[i].Seq, want[i].Kind, want[i].Seq)
		}
	}
	if got[0].Kind != KindSessionStart || got[len(got)-1].Kind != KindSessionFinish {
		t.Errorf("transcript runs %s … %s", got[0].Kind, got[len(got)-1].Kind)
	}
}

func TestRateLimitThenSuccessHonoursRetryAfter(t *testing.T) {
	fm := newFakeModel(t, status(429, map[string]string{"Retry-After": "1"}, `{"error":{"message":"slow down","type":"requests"}}`), answer("Revenue was fine."))
	w, out := ask(t, fm, "How was revenue?", nil)
	if out != OutcomeOK {
		t.Fatalf("outcome %s: %s", out, kinds(w.rec.all()))
	}
	retries := w.rec.kind(KindModelRetry)
	if len(retries) != 1 || retries[0].Delay != time.Second || retries[0].Attempt != 2 || retries[0].HTTPStatus != 429 ||
		!strings.Contains(retries[0].Err.Message, "rate limited") || !strings.Contains(retries[0].Err.Message, "slow down") {
		t.Fatalf("retry events: %+v", retries)
	}
	if fin := w.rec.last(KindRequestFinish); fin.Text != "Revenue was fine." || fin.Usage.PromptTokens != 1000 || fin.Usage.CachedTokens != 500 {
		t.Errorf("finish: %+v usage %+v", fin, fin.Usage)
	}
	// gpt-4o-mini: 500 uncached × 0.15 + 500 cached × 0.075 + 200 × 0.60 per million.
	if c := w.rec.last(KindModelResponse).Cost; !c.Priced || c.String() != "$0.0002" || c.USD != 0.0002325 {
		t.Errorf("cost %+v", c)
	}
}

func TestPersistentServerErrorGivesUpWithClearMessage(t *testing.T) {
	fm := newFakeModel(t, status(500, nil, `{"error":{"message":"boom"}}`))
	w, out := ask(t, fm, "How was revenue?", func(c *Config) { c.Model.MaxRetries = 2 })
	if out != OutcomeModelError {
		t.Fatalf("outcome %s", out)
	}
	if n := len(fm.requests()); n != 3 {
		t.Errorf("%d requests, want 1 + 2 retries", n)
	}
	if n := len(w.rec.kind(KindModelRetry)); n != 2 {
		t.Errorf("%d retry events", n)
	}
	e := w.rec.last(KindError)
	if e.Err == nil || e.Err.Code != "http_500" || !strings.Contains(e.Err.Message, "HTTP 500") || !strings.Contains(e.Err.Message, "gave up after 3 attempts") {
		t.Errorf("error event %+v", e.Err)
	}
	if fin := w.rec.last(KindRequestFinish); fin.Outcome != OutcomeModelError || fin.Err == nil {
		t.Errorf("finish %+v", fin)
	}
}

func TestAuthAndModelErrorsAreNotRetried(t *testing.T) {
	for code, want := range map[int]string{401: "OPENAI_API_KEY", 404: `model "gpt-4o-mini" was not found`} {
		fm := newFakeModel(t, status(code, nil, `{"error":{"message":"nope"}}`))
		w, out := ask(t, fm, "hi", nil)
		if out != OutcomeModelError || len(fm.requests()) != 1 || len(w.rec.kind(KindModelRetry)) != 0 {
			t.Errorf("%d: outcome %s after %d requests", code, out, len(fm.requests()))
		}
		if e := w.rec.last(KindError); e.Err == nil || !strings.Contains(e.Err.Message, want) || e.Err.Status != code {
			t.Errorf("%d: %+v", code, e.Err)
		}
	}
}

func TestStreamCutMidwayIsRetried(t *testing.T) {
	fm := newFakeModel(t, cutStream, answer("Complete answer."))
	w, out := ask(t, fm, "hi", nil)
	if out != OutcomeOK || w.rec.last(KindRequestFinish).Text != "Complete answer." {
		t.Fatalf("outcome %s: %s", out, kinds(w.rec.all()))
	}
	r := w.rec.kind(KindModelRetry)
	if len(r) != 1 || !strings.Contains(r[0].Text, "partial answer of this turn is discarded") {
		t.Fatalf("retry %+v", r)
	}
	if len(w.rec.kind(KindModelDelta)) < 3 { // 2 from the cut attempt, then the full answer
		t.Errorf("deltas: %d", len(w.rec.kind(KindModelDelta)))
	}
}

func TestSilentModelTimesOut(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	fm := newFakeModel(t, slow, answer("ok"))
	w, out := ask(t, fm, "hi", func(c *Config) { c.Model.Timeout = 150 * time.Millisecond })
	r := w.rec.kind(KindModelRetry)
	if out != OutcomeOK || len(r) != 1 || r[0].Err.Code != "timeout" {
		t.Fatalf("outcome %s retries %+v", out, r)
	}
}

func TestInvalidArgumentsAndUnknownToolsAreAnsweredAsToolErrors(t *testing.T) {
	fm := newFakeModel(t,
		toolCalls([2]string{"lookup_metric", `{"metric": ebitda}`}, [2]string{"delete_everything", `{}`}, [2]string{"lookup_metric", `{"metric":"revenue","extra":1}`}, [2]string{"lookup_metric", `{"metric":"arr"}`}),
		answer("Done."))
	w, out := ask(t, fm, "hi", nil)
	if out != OutcomeOK {
		t.Fatalf("outcome %s: %s", out, kinds(w.rec.all()))
	}
	res := map[string]Event{} // the calls run at once: results arrive in any order
	for _, e := range w.rec.kind(KindToolResult) {
		res[e.CallID] = e
	}
	if len(res) != 4 {
		t.Fatalf("results: %s", kinds(w.rec.kind(KindToolResult)))
	}
	checks := []struct {
		status tools.Status
		text   string
	}{
		{tools.StatusFailed, "not valid JSON"},
		{tools.StatusFailed, `there is no tool named "delete_everything"`},
		{tools.StatusFailed, "extra"},
		{tools.StatusOK, "arr = 42.7M"},
	}
	for i, c := range checks {
		r := res[fmt.Sprintf("call_%d", i+1)]
		if tools.Status(r.Status) != c.status || !strings.Contains(r.Text, c.text) {
			t.Errorf("result %d: %s %q", i, r.Status, r.Text)
		}
	}
	// Every call is answered to the model, in the order of the calls; invalid JSON is never
	// sent back, and the model is told what it sent.
	msgs := fm.messages(1)
	var toolMsgs [][3]string
	for _, m := range msgs {
		if m[0] == "tool" {
			toolMsgs = append(toolMsgs, m)
		}
	}
	if len(toolMsgs) != 4 || toolMsgs[1][2] != "call_2" || toolMsgs[1][1] != res["call_2"].Text ||
		!strings.Contains(toolMsgs[0][1], `{"metric": ebitda}`) || !strings.Contains(toolMsgs[0][1], "not valid JSON") {
		t.Fatalf("tool messages sent back: %q", toolMsgs)
	}
	calls, _ := fm.requests()[1]["messages"].([]any)[2].(map[string]any)["tool_calls"].([]any)
	if args := calls[0].(map[string]any)["function"].(map[string]any)["arguments"]; args != "{}" {
		t.Errorf("invalid arguments sent back in the history as %q", args)
	}
}

func TestEndlessToolLoopStopsAtMaxTurns(t *testing.T) {
	fm := newFakeModel(t, toolCalls([2]string{"lookup_metric", `{"metric":"arr"}`}))
	w, out := ask(t, fm, "hi", func(c *Config) { c.MaxTurns = 3 })
	if out != OutcomeMaxTurns {
		t.Fatalf("outcome %s", out)
	}
	if n := len(w.rec.kind(KindModelResponse)); n != 3 {
		t.Errorf("%d model turns, want 3", n)
	}
	if n := len(w.rec.kind(KindToolResult)); n != 2 {
		t.Errorf("%d tools ran; the last turn's calls must not run", n)
	}
	if e := w.rec.last(KindError); e.Err == nil || e.Err.Code != "max_turns" || !strings.Contains(e.Err.Message, "--max-turns") {
		t.Errorf("error %+v", e.Err)
	}
}

func TestParallelToolCallsAndMultiTurnHistory(t *testing.T) {
	fm := newFakeModel(t, toolCalls([2]string{"lookup_metric", `{"metric":"arr"}`}, [2]string{"lookup_metric", `{"metric":"cash"}`}),
		answer("ARR and cash are 42.7M."), answer("Second answer."))
	w := newWorld(t, "research-analyst")
	r := w.runner(t, fm.config("some-local-model"), tools.NewRegistry(metricTool{name: "lookup_metric"}), nil)
	if out := r.Ask(context.Background(), "ARR and cash?"); out != OutcomeOK {
		t.Fatal(out)
	}
	if out := r.Ask(context.Background(), "And again?"); out != OutcomeOK {
		t.Fatal(out)
	}
	_ = r.Close()
	if n := len(w.rec.kind(KindToolResult)); n != 2 {
		t.Fatalf("%d tool results", n)
	}
	var roles []string
	for _, m := range fm.messages(2) {
		roles = append(roles, m[0])
	}
	if strings.Join(roles, ",") != "system,user,assistant,tool,tool,assistant,user" {
		t.Errorf("third request history: %v", roles)
	}
	if c := w.rec.last(KindRequestFinish).SessionCost; c.Priced || c.String() != "unpriced" {
		t.Errorf("unknown model cost %+v", c)
	}
	checkTranscript(t, w, r)
}

func TestCancellationStopsStreamAndTool(t *testing.T) {
	started := make(chan struct{})
	slow := func(w http.ResponseWriter, r *http.Request) {
		s := startSSE(w, "gpt-4o-mini")
		s.content("Thinking ")
		close(started)
		<-r.Context().Done()
	}
	fm := newFakeModel(t, slow)
	w := newWorld(t, "research-analyst")
	r := w.runner(t, fm.config("gpt-4o-mini"), nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	if out := r.Ask(ctx, "hi"); out != OutcomeCancelled {
		t.Fatalf("outcome %s", out)
	}
	if fin := w.rec.last(KindRequestFinish); fin.Outcome != OutcomeCancelled || !strings.Contains(fin.Text, "cancelled") {
		t.Errorf("finish %+v", fin)
	}

	// A tool call in flight is cancelled too, and the history stays answerable.
	fm2 := newFakeModel(t, toolCalls([2]string{"wait", `{"metric":"x"}`}, [2]string{"wait", `{"metric":"y"}`}), answer("after"))
	r2 := w.runner(t, fm2.config("gpt-4o-mini"), tools.NewRegistry(metricTool{name: "wait", block: true}), func(c *Config) { c.TranscriptPath += "2" })
	ctx2, cancel2 := context.WithCancel(context.Background())
	unsub := w.bus.Subscribe(SinkFunc(func(e Event) {
		if e.Kind == KindCapabilityCheck {
			go func() { time.Sleep(20 * time.Millisecond); cancel2() }()
		}
	}))
	defer unsub()
	if out := r2.Ask(ctx2, "wait"); out != OutcomeCancelled {
		t.Fatalf("tool cancel outcome %s", out)
	}
	if out := r2.Ask(context.Background(), "again"); out != OutcomeOK {
		t.Fatalf("after cancel: %s", out)
	}
	var tools []string
	for _, m := range fm2.messages(1) {
		if m[0] == "tool" {
			tools = append(tools, m[1])
		}
	}
	if len(tools) != 2 || !strings.Contains(tools[1], "cancelled") {
		t.Errorf("cancelled calls answered as %q", tools)
	}
	_ = r.Close()
	_ = r2.Close()
}
