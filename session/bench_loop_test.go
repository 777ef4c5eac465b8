package session

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/provideremu"
	"github.com/lumodash/lumodash/tools"
)

// BenchmarkLongSessionTokens: 60 analyst prompts in one session against the vLLM profile,
// with a 16k-token window and with a window too large to matter. Reported: the prompt tokens
// of all 60 prompts, those of the 60th, and the slope of tokens per prompt over the last 20
// prompts. Without trimming every request resends all before it: tokens per prompt keep
// growing (the slope stays well above 0) and the session's total grows quadratically; within
// the window they level off (slope about 0) and the total grows linearly.
func BenchmarkLongSessionTokens(b *testing.B) {
	for _, bc := range []struct {
		name   string
		window int
	}{{"window=16k", 16384}, {"window=1M", 1 << 20}} {
		b.Run(bc.name, func(b *testing.B) {
			srv, model := startEmu(b, "vllm", bc.window)
			w := newWorldWith(b, "research-analyst", unlimited(devserver.DefaultConfig()))
			var perPrompt []float64
			for b.Loop() {
				before := len(srv.Requests())
				longSession(b, w, model, 60)
				perPrompt = promptTokensPerPrompt(srv.Requests()[before:])
			}
			total := 0.0
			for _, n := range perPrompt {
				total += n
			}
			b.ReportMetric(total, "tokens/60-prompts")
			b.ReportMetric(perPrompt[len(perPrompt)-1], "tokens/60th-prompt")
			b.ReportMetric(slope(perPrompt[len(perPrompt)-20:]), "slope-last20")
		})
	}
}

// promptTokensPerPrompt sums the requests of each prompt (a planning and an answering turn).
func promptTokensPerPrompt(reqs []provideremu.Request) []float64 {
	var out []float64
	for i := 0; i+1 < len(reqs); i += 2 {
		out = append(out, float64(reqs[i].PromptTokens+reqs[i+1].PromptTokens))
	}
	return out
}

// slope is the least-squares growth of ys per step.
func slope(ys []float64) float64 {
	n := float64(len(ys))
	var sx, sy, sxy, sxx float64
	for i, y := range ys {
		x := float64(i)
		sx, sy, sxy, sxx = sx+x, sy+y, sxy+x*y, sxx+x*x
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}

// delayTool answers after its delay, with no capability needed beyond read:documents.
type delayTool struct {
	name  string
	delay time.Duration
}

func (d delayTool) Name() string        { return d.name }
func (d delayTool) Description() string { return "Wait, then answer." }
func (d delayTool) Parameters() map[string]any {
	return map[string]any{"type": "object", "properties": map[string]any{}}
}
func (d delayTool) Capability() string { return "read:documents" }
func (d delayTool) Audience() string   { return "" }
func (d delayTool) Call(ctx context.Context, _ json.RawMessage, _ *auth.Credential) (tools.Result, error) {
	select {
	case <-time.After(d.delay):
		return tools.Result{Text: d.name + " done", Count: 1}, nil
	case <-ctx.Done():
		return tools.Result{}, ctx.Err()
	}
}

// callsThenAnswer asks for calls on a new prompt and answers once the results are in.
func callsThenAnswer(calls ...[2]string) http.HandlerFunc {
	ask, done := toolCalls(calls...), answer("Both are done.")
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct{ Messages []struct{ Role string } }
		_ = json.NewDecoder(r.Body).Decode(&body)
		if n := len(body.Messages); n > 0 && body.Messages[n-1].Role == "tool" {
			done(w, r)
			return
		}
		ask(w, r)
	}
}

// BenchmarkParallelToolCalls: one model turn asks for two independent tools taking 40 ms and
// 80 ms. Reported: the tool phase (first tool.call to last tool.result) over the slower
// tool's delay — about 1 when they run at once, about 1.5 when one waits for the other.
func BenchmarkParallelToolCalls(b *testing.B) {
	const fast, slow = 40 * time.Millisecond, 80 * time.Millisecond
	fm := newFakeModel(b, callsThenAnswer([2]string{"fast_tool", `{}`}, [2]string{"slow_tool", `{}`}))
	w := newWorldWith(b, "research-analyst", unlimited(devserver.DefaultConfig()))
	reg := tools.NewRegistry(delayTool{"fast_tool", fast}, delayTool{"slow_tool", slow})
	r := w.runner(b, fm.config("gpt-4o-mini"), reg, nil)
	defer func() { _ = r.Close() }()
	var phase time.Duration
	runs := 0
	for b.Loop() {
		before := len(w.rec.all())
		if out := r.Ask(context.Background(), "Run both."); out != OutcomeOK {
			b.Fatal(out)
		}
		var start, end time.Time
		for _, e := range w.rec.all()[before:] {
			switch {
			case e.Kind == KindToolCall && start.IsZero():
				start = e.Time
			case e.Kind == KindToolResult:
				end = e.Time
			}
		}
		phase += end.Sub(start)
		runs++
	}
	b.ReportMetric(float64(phase)/float64(runs)/float64(slow), "phase/slower")
	b.ReportMetric(float64(fast+slow)/float64(slow), "serial/slower")
}
