package demomodel_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// The planner's tests run it as lumodash does: the real session loop (openai-go over HTTP)
// against the demo endpoint, the real document search over the embedded corpus, and the
// real financial MCP server behind the embedded authorization server and token exchange.

// events keeps what a session reported.
type events struct {
	mu  sync.Mutex
	all []session.Event
}

func (e *events) Emit(ev session.Event) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
}

func (e *events) since(n int) []session.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]session.Event(nil), e.all[n:]...)
}

func (e *events) len() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.all)
}

// world is the embedded world for one agent: the authorization server, the financial MCP
// server, the demo model, and the agent's two real tools.
type world struct {
	agent    *auth.Agent
	bus      *session.Bus
	rec      *events
	tools    *tools.Registry
	modelURL string
}

// analyst is one session of an agent with the two real tools and the demo model.
type analyst struct {
	t      testing.TB
	runner *session.Runner
	rec    *events
}

// turn is what one question did: the tool calls by model turn, the answer and the outcome.
type turn struct {
	calls   [][]toolCall // per model turn
	answer  string
	outcome session.Outcome
}

type toolCall struct{ tool, args string }

// running fails t when a server did not start, and closes it when t ends.
func running[S interface{ Close() error }](t testing.TB, s S, err error) S {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func newWorld(t testing.TB, agent string) *world {
	t.Helper()
	dev, err := devserver.Start(devserver.DefaultConfig(), "127.0.0.1:0")
	dev = running(t, dev, err)
	fin, err := financialmcp.Start(financialmcp.Options{Issuer: dev.Issuer(), JWKSURL: dev.JWKSURL()}, "127.0.0.1:0")
	fin = running(t, fin, err)
	model, err := demomodel.Start(demomodel.Options{}, "127.0.0.1:0")
	model = running(t, model, err)
	id, secret, ok := dev.Credentials(agent)
	if !ok {
		t.Fatalf("no seeded agent %q", agent)
	}
	bus, rec := session.NewBus(), &events{}
	bus.Subscribe(rec)
	ag, err := auth.New(auth.Config{BaseURL: dev.URL(), OrgID: "acme-corp", ClientID: id, ClientSecret: secret}, auth.WithHook(bus.AuthHook()))
	if err != nil {
		t.Fatal(err)
	}
	docs, _, err := tools.NewDocumentSearch("")
	if err != nil {
		t.Fatal(err)
	}
	reg := tools.NewRegistry(docs, tools.NewFinancialMCP(ag, fin.URL()))
	t.Cleanup(reg.Close)
	return &world{agent: ag, bus: bus, rec: rec, tools: reg, modelURL: model.URL()}
}

func newAnalyst(t testing.TB, agent string) *analyst {
	t.Helper()
	w := newWorld(t, agent)
	r, err := session.NewRunner(session.Config{Agent: w.agent, Tools: w.tools, Bus: w.bus, TranscriptPath: filepath.Join(t.TempDir(), "t.jsonl"),
		Model: session.ModelConfig{BaseURL: w.modelURL, Name: demomodel.ModelID, Embedded: true}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return &analyst{t: t, runner: r, rec: w.rec}
}

// ask asks one question in the session and reports what it did.
func (a *analyst) ask(question string) turn {
	a.t.Helper()
	from := a.rec.len()
	out := turn{outcome: a.runner.Ask(context.Background(), question)}
	for _, e := range a.rec.since(from) {
		switch e.Kind {
		case session.KindToolCall:
			for len(out.calls) < e.Turn {
				out.calls = append(out.calls, nil)
			}
			out.calls[e.Turn-1] = append(out.calls[e.Turn-1], toolCall{e.Tool, e.Args})
		case session.KindRequestFinish:
			out.answer = e.Text
		}
	}
	return out
}
