package session

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/tools"
)

// recorder is a Sink keeping every event, for assertions.
type recorder struct{ record.Log[Event] }

func (r *recorder) all() []Event { return r.All() }

func (r *recorder) kind(k Kind) []Event {
	return r.Where(func(e Event) bool { return e.Kind == k })
}

func (r *recorder) last(k Kind) Event {
	es := r.kind(k)
	if len(es) == 0 {
		return Event{}
	}
	return es[len(es)-1]
}

// metricTool is a small in-test tool: it needs read:documents and returns a figure.
type metricTool struct {
	name  string
	block bool // wait for cancellation instead of answering
}

func (t metricTool) Name() string        { return t.name }
func (t metricTool) Description() string { return "Look up a metric in the test ledger." }
func (t metricTool) Parameters() map[string]any {
	return map[string]any{"type": "object", "properties": map[string]any{"metric": map[string]any{"type": "string"}},
		"required": []any{"metric"}, "additionalProperties": false}
}
func (t metricTool) Capability() string { return "read:documents" }
func (t metricTool) Audience() string   { return "" }
func (t metricTool) Call(ctx context.Context, args json.RawMessage, _ *auth.Credential) (tools.Result, error) {
	if t.block {
		<-ctx.Done()
		return tools.Result{}, ctx.Err()
	}
	var a struct{ Metric string }
	_ = json.Unmarshal(args, &a)
	return tools.Result{Text: fmt.Sprintf("%s = 42.7M", a.Metric), Count: 1}, nil
}

// world is a devserver, an agent on it, and a bus with a recorder.
type world struct {
	dev   *devserver.Server
	bus   *Bus
	rec   *recorder
	agent *auth.Agent
	dir   string
}

func newWorld(t testing.TB, agentName string) *world {
	return newWorldWith(t, agentName, devserver.DefaultConfig())
}

// unlimited lifts every agent's budget, for benchmarks that run many sessions.
func unlimited(cfg devserver.Config) devserver.Config {
	for i := range cfg.Agents {
		cfg.Agents[i].Budget.MaxTokensPerDay, cfg.Agents[i].Budget.MaxAPICallsPerHour = 0, 0
	}
	return cfg
}

func newWorldWith(t testing.TB, agentName string, cfg devserver.Config) *world {
	t.Helper()
	dev, err := devserver.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	id, secret, ok := dev.Credentials(agentName)
	if !ok {
		t.Fatalf("no seeded agent %q", agentName)
	}
	w := &world{dev: dev, bus: NewBus(), rec: &recorder{}, dir: t.TempDir()}
	w.bus.Subscribe(w.rec)
	w.agent, err = auth.New(auth.Config{BaseURL: dev.URL(), OrgID: "acme-corp", ClientID: id, ClientSecret: secret}, auth.WithHook(w.bus.AuthHook()))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) runner(t testing.TB, model ModelConfig, reg *tools.Registry, mod func(*Config)) *Runner {
	t.Helper()
	if model.RetryBaseDelay == 0 {
		model.RetryBaseDelay = time.Millisecond
	}
	cfg := Config{Agent: w.agent, Tools: reg, Bus: w.bus, Model: model, TranscriptPath: filepath.Join(w.dir, "t.jsonl")}
	if mod != nil {
		mod(&cfg)
	}
	r, err := NewRunner(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fakeModel is a fault-injecting OpenAI-compatible server: request n is answered by
// script[n] (the last entry repeats). It records every request body.
type fakeModel struct {
	srv    *httptest.Server
	mu     sync.Mutex
	script []http.HandlerFunc
	bodies []map[string]any
}

func newFakeModel(t testing.TB, script ...http.HandlerFunc) *fakeModel {
	f := &fakeModel{script: script}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/chat/completions") { // the context-window discovery of a real server
			http.NotFound(w, r)
			return
		}
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		var body map[string]any
		_ = json.Unmarshal(b, &body)
		f.mu.Lock()
		n := len(f.bodies)
		f.bodies = append(f.bodies, body)
		h := f.script[min(n, len(f.script)-1)]
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeModel) config(name string) ModelConfig {
	return ModelConfig{BaseURL: f.srv.URL + "/v1", APIKey: "sk-test", Name: name}
}

func (f *fakeModel) requests() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.bodies...)
}

// messages returns request n's messages as (role, content, tool_call_id) triples.
func (f *fakeModel) messages(n int) [][3]string {
	var out [][3]string
	msgs, _ := f.requests()[n]["messages"].([]any)
	for _, m := range msgs {
		mm := m.(map[string]any)
		c, _ := mm["content"].(string)
		id, _ := mm["tool_call_id"].(string)
		out = append(out, [3]string{mm["role"].(string), c, id})
	}
	return out
}

type sse struct {
	w     http.ResponseWriter
	id    string
	model string
}

func startSSE(w http.ResponseWriter, model string) *sse {
	w.Header().Set("Content-Type", "text/event-stream")
	s := &sse{w: w, id: "chatcmpl-fake", model: model}
	s.send(`{"index":0,"delta":{"role":"assistant"},"finish_reason":null}`, "")
	return s
}

func (s *sse) send(choice, usage string) {
	choices := "[]"
	if choice != "" {
		choices = "[" + choice + "]"
	}
	if usage == "" {
		usage = "null"
	}
	fmt.Fprintf(s.w, `data: {"id":%q,"object":"chat.completion.chunk","created":1,"model":%q,"choices":%s,"usage":%s}`+"\n\n", s.id, s.model, choices, usage)
	s.w.(http.Flusher).Flush()
}

func (s *sse) content(text string) {
	b, _ := json.Marshal(text)
	s.send(fmt.Sprintf(`{"index":0,"delta":{"content":%s},"finish_reason":null}`, b), "")
}

func (s *sse) finish(reason string, prompt, completion int) {
	s.send(fmt.Sprintf(`{"index":0,"delta":{},"finish_reason":%q}`, reason), "")
	s.send("", fmt.Sprintf(`{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d}}`, prompt, completion, prompt+completion, prompt/2))
	fmt.Fprint(s.w, "data: [DONE]\n\n")
}

// answer streams text word by word and finishes with usage.
func answer(text string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := startSSE(w, "gpt-4o-mini")
		for _, word := range strings.SplitAfter(text, " ") {
			s.content(word)
		}
		s.finish("stop", 1000, 200)
	}
}

// toolCalls streams tool calls (name, arguments pairs), each in two fragments.
func toolCalls(calls ...[2]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := startSSE(w, "gpt-4o-mini")
		for i, c := range calls {
			args, _ := json.Marshal(c[1][:len(c[1])/2])
			rest, _ := json.Marshal(c[1][len(c[1])/2:])
			s.send(fmt.Sprintf(`{"index":0,"delta":{"tool_calls":[{"index":%d,"id":"call_%d","type":"function","function":{"name":%q,"arguments":%s}}]},"finish_reason":null}`, i, i+1, c[0], args), "")
			s.send(fmt.Sprintf(`{"index":0,"delta":{"tool_calls":[{"index":%d,"function":{"arguments":%s}}]},"finish_reason":null}`, i, rest), "")
		}
		s.finish("tool_calls", 500, 30)
	}
}

func status(code int, header map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

// cutStream sends two words and then drops the connection.
func cutStream(w http.ResponseWriter, r *http.Request) {
	s := startSSE(w, "gpt-4o-mini")
	s.content("The partial ")
	s.content("answer ")
	panic(http.ErrAbortHandler)
}

// kinds lists event kinds, for failure messages.
func kinds(es []Event) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString(string(e.Kind))
		if e.Status != "" {
			b.WriteString("(" + string(e.Status) + ")")
		}
		b.WriteString(" ")
	}
	return b.String()
}
