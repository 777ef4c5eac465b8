package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/internal/testpeers"
)

// everythingAudience is the resource the devserver of these tests knows server-everything as.
const everythingAudience = "urn:mcp:everything"

// everythingWorld is the demo world plus server-everything as a resource: the research
// analyst holds mcp:everything, the junior analyst may request it just in time (low risk).
func everythingWorld(t *testing.T) (*testWorld, MCPServerConfig) {
	t.Helper()
	url := testpeers.Everything(t)
	cfg := devserver.DefaultConfig()
	cfg.Resources = append(cfg.Resources, devserver.ResourceConfig{Audience: everythingAudience, Capability: "mcp:everything", Scope: "everything:read"})
	cfg.JITRules = append(cfg.JITRules, devserver.JITRule{Capability: "mcp:everything", Risk: "low"})
	for i := range cfg.Agents {
		if cfg.Agents[i].ClientID == "research-analyst" {
			cfg.Agents[i].Capabilities = append(cfg.Agents[i].Capabilities, "mcp:everything")
		}
	}
	dev, err := devserver.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close() })
	return &testWorld{dev: dev, auth: &tokenCounter{base: http.DefaultTransport}},
		MCPServerConfig{Name: "everything", URL: url, Audience: everythingAudience, Capability: "mcp:everything"}
}

func TestEverythingServerThroughTheGate(t *testing.T) {
	w, cfg := everythingWorld(t)
	ctx := context.Background()
	cache, root := t.TempDir(), t.TempDir()
	var events record.Log[ServerEvent]
	progressed, logged := make(chan ServerEvent, 16), make(chan ServerEvent, 64)
	hooks := ClientHooks{Roots: []string{root}, Events: func(e ServerEvent) {
		events.Emit(e)
		switch e.Kind {
		case ServerProgress:
			progressed <- e
		case ServerLog:
			select {
			case logged <- e:
			default:
			}
		}
	}}

	agent := w.agent(t, "research-analyst")
	ts, st, err := Discover(ctx, agent, cfg, Discovery{CacheDir: cache, Hooks: hooks})
	if err != nil {
		t.Fatal(err)
	}
	defer CloseTools(ts)
	if st.State != ServerReachable || st.Source != SourceDiscovered || st.Reason != "" {
		t.Errorf("status %+v", st)
	}
	reg := NewRegistry(ts...)
	for _, name := range []string{"everything__echo", "everything__get-roots-list", "everything__trigger-long-running-operation"} {
		if _, ok := reg.Lookup(name); !ok {
			t.Fatalf("%s not discovered; tools: %v", name, reg.Names())
		}
	}
	if fi, err := os.Stat(filepath.Join(cache, "mcp-tools", "everything.json")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file: %v %v", fi, err)
	}

	gate := NewGate(agent, nil)
	call := func(tool, args string) Outcome {
		t.Helper()
		tl, _ := reg.Lookup(tool)
		return gate.Call(ctx, tl, tool+"-1", json.RawMessage(args))
	}
	if out := call("everything__echo", `{"message":"hello gate"}`); out.Status != StatusOK || !strings.Contains(out.Text, "hello gate") {
		t.Errorf("echo: %+v", out)
	}
	// roots/list arrives on the standalone stream and is answered: the tool answers at once
	// (before, it waited 30 s for an answer that never came).
	start := time.Now()
	out := call("everything__get-roots-list", `{}`)
	if out.Status != StatusOK || !strings.Contains(out.Text, "file://"+filepath.ToSlash(root)) {
		t.Errorf("get-roots-list: %+v", out)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("get-roots-list took %s", took)
	}
	if out := call("everything__trigger-long-running-operation", `{"duration":0.3,"steps":3}`); out.Status != StatusOK {
		t.Errorf("long-running: %+v", out)
	}
	// Elicitation is declined (no one to ask here), sampling refused, each with its reason.
	if out := call("everything__trigger-elicitation-request", `{}`); !strings.Contains(out.Text, "declined") {
		t.Errorf("elicitation: %+v", out)
	}
	if out := call("everything__trigger-sampling-request", `{"prompt":"hi"}`); out.Status == StatusOK && !strings.Contains(out.Text, "declines sampling") {
		t.Errorf("sampling: %+v", out)
	}
	var progress []ServerEvent
	for len(progress) < 3 {
		select {
		case e := <-progressed:
			progress = append(progress, e)
		case <-time.After(30 * time.Second):
			t.Fatalf("progress: %d notifications of 3 within 30s: %+v", len(progress), progress)
		}
	}
	// Log messages (the server sends one at once when simulated logging is switched on).
	if out := call("everything__toggle-simulated-logging", `{}`); out.Status != StatusOK {
		t.Errorf("toggle logging: %+v", out)
	}
	for got := false; !got; {
		select {
		case e := <-logged:
			got = strings.Contains(e.Text, "message") && e.Level != "" && e.Server == "everything"
		case <-time.After(30 * time.Second):
			t.Fatalf("no log message within 30s: %+v", events.All())
		}
	}
	roots, declined := false, map[string]string{}
	for _, e := range events.All() {
		roots = roots || e.Kind == ServerRequest && e.Method == "roots/list" && e.Level == "answered"
		if e.Kind == ServerRequest && e.Level == "declined" {
			declined[e.Method] = e.Text
		}
	}
	if !strings.Contains(declined["elicitation/create"], "no one to ask") || !strings.Contains(declined["sampling/createMessage"], "may not use the session's model") {
		t.Errorf("declined requests: %v", declined)
	}
	if len(progress) != 3 || progress[2].Progress != 3 || progress[2].Total != 3 || progress[0].CallID != "everything__trigger-long-running-operation-1" || progress[0].Server != "everything" {
		t.Errorf("progress: %+v", progress)
	}
	if !roots {
		t.Errorf("no roots/list answered among %+v", events.All())
	}

	// The junior analyst may not get a token: the server stays, with the cached tools,
	// denied at the gate; JIT is offered and (low risk) granted in auto mode.
	junior := w.agent(t, "junior-analyst")
	jts, jst, err := Discover(ctx, junior, cfg, Discovery{CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer CloseTools(jts)
	if jst.State != ServerDenied || jst.Source != SourceCache || !strings.Contains(jst.Reason, "delegation_not_allowed") || len(jts) != len(ts) {
		t.Fatalf("junior: %+v, %d tools", jst, len(jts))
	}
	jreg := NewRegistry(jts...)
	echo, _ := jreg.Lookup("everything__echo")
	if l := List(jreg, []ServerStatus{jst}); l[0].State != ServerDenied || l[0].Capability != "mcp:everything" || l[0].Server != "everything" {
		t.Errorf("listing: %+v", l[0])
	}
	ask, err := NewJIT(junior, JITConfig{Mode: JITModeAsk})
	if err != nil {
		t.Fatal(err)
	}
	jg := NewGate(junior, nil)
	jg.JIT = ask
	if out := jg.Call(ctx, echo, "j1", json.RawMessage(`{"message":"hi"}`)); out.Status != StatusDenied || !strings.Contains(out.Text, "just in time") {
		t.Errorf("junior, nobody to ask: %+v", out)
	}
	auto, err := NewJIT(junior, JITConfig{Mode: JITModeAuto})
	if err != nil {
		t.Fatal(err)
	}
	jg.JIT = auto
	if out := jg.Call(ctx, echo, "j2", json.RawMessage(`{"message":"granted"}`)); out.Status != StatusOK || !strings.Contains(out.Text, "granted") {
		t.Errorf("junior with a JIT grant: %+v", out)
	}
}

func TestDeniedServerToolsFromConfigOrNone(t *testing.T) {
	w, cfg := everythingWorld(t)
	junior := w.agent(t, "junior-analyst")
	if _, st, err := Discover(context.Background(), junior, cfg, Discovery{CacheDir: t.TempDir()}); err == nil || st.State != ServerDenied ||
		!strings.Contains(err.Error(), "declare them under tools:") {
		t.Errorf("nothing known: %+v %v", st, err)
	}
	cfg.Tools = []ToolInfo{{Name: "echo", Description: "Echoes", InputSchema: map[string]any{"type": "object", "properties": map[string]any{"message": map[string]any{"type": "string"}}}}}
	ts, st, err := Discover(context.Background(), junior, cfg, Discovery{})
	if err != nil || st.Source != SourceConfig || len(ts) != 1 || ts[0].Name() != "everything__echo" {
		t.Fatalf("declared: %+v %v", st, err)
	}
	defer CloseTools(ts)
	out := NewGate(junior, nil).Call(context.Background(), ts[0], "c", json.RawMessage(`{"message":"x"}`))
	if out.Status != StatusDenied || !strings.Contains(out.Text, "mcp:everything") {
		t.Errorf("declared tool call: %+v", out)
	}
}
