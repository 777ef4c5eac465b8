package telemetry

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

const seedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."

// world is the embedded world of one seed session: the devserver, the financial MCP server
// behind a recording proxy, the demo model, and a bus with a recorder. It knows every secret
// the session handled: the client secret and each token the devserver issued.
type world struct {
	dev      *devserver.Server
	bus      *session.Bus
	events   *record.Log[session.Event]
	cfg      session.Config
	runner   *session.Runner     // the last one run
	secrets  *record.Log[string] // what must never be exported
	mcpProxy *telemetrytest.MCPProxy
}

// tokenRecorder reads the access_token of every token endpoint answer the agent receives.
type tokenRecorder struct {
	base    http.RoundTripper
	secrets *record.Log[string]
}

func (t tokenRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/token") {
		return resp, err
	}
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &tok) == nil && tok.AccessToken != "" {
		t.secrets.Emit(tok.AccessToken)
	}
	return resp, nil
}

// newWorld starts the seed world for agent; the financial MCP server sits behind a proxy
// that records what each request carried.
func newWorld(t testing.TB, agent string) *world {
	return newWorldWith(t, agent, devserver.DefaultConfig())
}

func newWorldWith(t testing.TB, agent string, cfg devserver.Config) *world {
	t.Helper()
	dev, err := devserver.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	id, secret, ok := dev.Credentials(agent)
	if !ok {
		t.Fatalf("no seeded agent %q", agent)
	}
	w := &world{dev: dev, bus: session.NewBus(), events: &record.Log[session.Event]{}, secrets: &record.Log[string]{}}
	w.secrets.Emit(secret)
	w.bus.Subscribe(w.events)
	agentClient, err := auth.New(auth.Config{BaseURL: dev.URL(), OrgID: "acme-corp", ClientID: id, ClientSecret: secret},
		auth.WithHook(w.bus.AuthHook()), auth.WithHTTPClient(&http.Client{Transport: tokenRecorder{http.DefaultTransport, w.secrets}}))
	if err != nil {
		t.Fatal(err)
	}
	fin, err := financialmcp.Start(financialmcp.Options{Issuer: dev.Issuer(), JWKSURL: dev.JWKSURL()}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fin.Close() })
	w.mcpProxy = telemetrytest.StartMCPProxy(t, fin.URL())
	mcpURL := w.mcpProxy.URL
	docs, _, err := tools.NewDocumentSearch("")
	if err != nil {
		t.Fatal(err)
	}
	reg := tools.NewRegistry(docs, tools.NewFinancialMCP(agentClient, mcpURL))
	t.Cleanup(reg.Close)
	model, err := demomodel.Start(demomodel.Options{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = model.Close() })
	u, _ := url.Parse(mcpURL)
	m, _ := url.Parse(model.URL())
	w.cfg = session.Config{Agent: agentClient, Tools: reg, Bus: w.bus,
		Model: session.ModelConfig{BaseURL: model.URL(), Name: demomodel.ModelID, Embedded: true},
		Parts: []session.Part{{Role: "mcp", Name: "financial-data", Host: u.Host}, {Role: "model", Name: demomodel.ModelID, Host: m.Host, Embedded: true}}}
	return w
}

// run is one seed session with tel on the bus (nil = no telemetry), to its close.
func (w *world) run(t testing.TB, tel *Telemetry) session.Outcome {
	t.Helper()
	unsubscribe := w.bus.Subscribe(tel)
	defer unsubscribe()
	cfg := w.cfg
	cfg.TranscriptPath = filepath.Join(t.TempDir(), "t.jsonl")
	var err error
	if w.runner, err = session.NewRunner(cfg); err != nil {
		t.Fatal(err)
	}
	out := w.runner.Ask(tel.Context(context.Background()), seedPrompt)
	if err := w.runner.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// export runs one seed session exported as s says, expects its outcome and a clean shutdown,
// and returns the export's stats.
func (w *world) export(t testing.TB, s Settings, want session.Outcome) Stats {
	t.Helper()
	tel, err := New(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out := w.run(t, tel); out != want {
		t.Fatalf("outcome %s, want %s", out, want)
	}
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	return tel.Stats()
}
