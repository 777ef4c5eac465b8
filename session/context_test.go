package session

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/provideremu"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

var (
	analystTopics  = []string{"Q1 performance", "the hiring plan", "customer churn", "the pricing change", "the board memo", "product launches", "the sales pipeline", "cash and runway"}
	analystMetrics = []string{"EBITDA", "revenue", "net income", "cash", "gross margin", "ARR", "customers", "headcount", "operating expenses"}
)

// analystPrompt is the i-th prompt of a long session: a search and a metric each time.
func analystPrompt(i int) (prompt, metric, period string) {
	metric, period = analystMetrics[i%len(analystMetrics)], fmt.Sprintf("Q%d 2026", i%3+1)
	return fmt.Sprintf("Search documents for %s, then query the financial MCP for %s in %s.", analystTopics[i%len(analystTopics)], metric, period), metric, period
}

// longSession runs n analyst prompts in one session against model, checking each answer.
func longSession(t testing.TB, w *world, model ModelConfig, n int) {
	t.Helper()
	r := w.runner(t, model, realTools(t, w), func(c *Config) { c.TranscriptPath = filepath.Join(t.TempDir(), "t.jsonl") })
	defer func() { _ = r.Close() }()
	for i := range n {
		prompt, metric, period := analystPrompt(i)
		if out := r.Ask(context.Background(), prompt); out != OutcomeOK {
			t.Fatalf("prompt %d %q: %s: %+v", i+1, prompt, out, w.rec.last(KindError).Err)
		}
		v, err := financialmcp.Lookup(metric, period)
		if err != nil {
			t.Fatal(err)
		}
		if answer := w.rec.last(KindRequestFinish).Text; !strings.Contains(answer, v.Display) {
			t.Fatalf("prompt %d: the answer lacks %s (%s %s):\n%s", i+1, v.Display, metric, period, answer)
		}
	}
}

// TestSixtyPromptsWithinASixteenKWindow: a long analyst session against a server with a
// 16k-token window (reported as vLLM's max_model_len) completes every prompt, never sends
// a request over the window, and says what it left out.
func TestSixtyPromptsWithinASixteenKWindow(t *testing.T) {
	srv, model := startEmu(t, "vllm", 16384)
	w := newWorldWith(t, "research-analyst", unlimited(devserver.DefaultConfig()))
	longSession(t, w, model, 60)
	maxTokens := 0
	for i, q := range srv.Requests() {
		if q.Status != 200 || q.PromptTokens > srv.Window() {
			t.Fatalf("request %d: %d tokens of %d, answered %d", i+1, q.PromptTokens, srv.Window(), q.Status)
		}
		maxTokens = max(maxTokens, q.PromptTokens)
	}
	if maxTokens < srv.Window()/2 {
		t.Errorf("the largest request was %d tokens: the session never came near the window, so nothing was tested", maxTokens)
	}
	trims := w.rec.kind(KindContextTrim)
	if len(trims) == 0 || !strings.Contains(trims[len(trims)-1].Text, "16,384-token context window (vLLM /v1/models max_model_len)") ||
		!strings.Contains(trims[len(trims)-1].Text, "earlier requests") {
		t.Fatalf("trim events: %d, last %q", len(trims), w.rec.last(KindContextTrim).Text)
	}
	for _, e := range w.rec.kind(KindModelRequest) {
		if c := e.Context; c == nil || c.Window > 0 && c.Tokens > c.Window {
			t.Fatalf("model.request context %+v", c)
		}
	}
	last := w.rec.last(KindModelRequest).Context
	if last.History == 0 || last.Tokens < 8000 {
		t.Errorf("last request's context %+v: the gauge has nothing to show", last)
	}
	body := string(srv.Requests()[len(srv.Requests())-1].Body)
	if !strings.Contains(body, "[lumodash] To fit your context window, this conversation leaves out") {
		t.Error("the model was not told that earlier requests were left out")
	}
}

// TestOllamaSmallWindowIsNeverOverrun: Ollama silently drops the start of a prompt longer
// than its num_ctx (losing the system prompt's instructions). Against a 4k window reported
// by /api/show and /api/ps, earlier requests are left out whole, and Ollama never truncates.
func TestOllamaSmallWindowIsNeverOverrun(t *testing.T) {
	srv, model := startEmu(t, "ollama", 4096)
	w := newWorldWith(t, "research-analyst", unlimited(devserver.DefaultConfig()))
	longSession(t, w, model, 20)
	for i, q := range srv.Requests() {
		if q.Truncated || q.PromptTokens > 4096 {
			t.Fatalf("request %d: %d tokens, truncated by the server %v", i+1, q.PromptTokens, q.Truncated)
		}
	}
	trim := w.rec.last(KindContextTrim)
	if !strings.Contains(trim.Text, "entirely (the latest: ") || !strings.Contains(trim.Text, "Ollama /api/") {
		t.Errorf("trim %q", trim.Text)
	}
}

// TestFailedRequestLeavesNoHistory: a request the model API fails leaves nothing behind, so
// the next request is sent as if it had not been asked.
func TestFailedRequestLeavesNoHistory(t *testing.T) {
	srv, model := startEmu(t, "ollama", 0, provideremu.Fault{Kind: provideremu.Fault503, Times: 3, After: 1})
	w := newWorld(t, "research-analyst")
	r := w.runner(t, model, realTools(t, w), nil)
	defer func() { _ = r.Close() }()
	if out := r.Ask(context.Background(), seedPrompt); out != OutcomeModelError { // plan ok, answer 503 ×3
		t.Fatalf("outcome %s", out)
	}
	if out := r.Ask(context.Background(), "Search documents for the hiring plan, then query the financial MCP for headcount."); out != OutcomeOK {
		t.Fatalf("after the failure: %s", out)
	}
	reqs := srv.Requests()
	last := string(reqs[len(reqs)-2].Body) // the second request's planning turn
	if strings.Contains(last, seedPrompt) || strings.Count(last, `"role":"user"`) != 1 {
		t.Errorf("the failed request's messages were sent again:\n%s", last)
	}
}

// TestWindowDiscovery: each server's own report of the window is found and announced.
func TestWindowDiscovery(t *testing.T) {
	for profile, want := range map[string]string{"vllm": "vLLM /v1/models max_model_len", "ollama": "Ollama /api/ps context_length",
		"lmstudio": "LM Studio /api/v0/models", "llamacpp": "llama.cpp /props n_ctx", "openai": "built-in table", "nim": "not known"} {
		t.Run(profile, func(t *testing.T) {
			srv, model := startEmu(t, profile, 12345)
			w, out := seedRun(t, model)
			checkSeedAnswered(t, w, out, ebitdaQ3(t))
			n := w.rec.last(KindModelNotice)
			if n.Status != "context_window" || !strings.Contains(n.Text, want) {
				t.Fatalf("notice %q, want %q", n.Text, want)
			}
			if want != "built-in table" && want != "not known" && n.Context.Window != int64(srv.Window()) {
				t.Errorf("window %d, the server runs %d", n.Context.Window, srv.Window())
			}
		})
	}
}
