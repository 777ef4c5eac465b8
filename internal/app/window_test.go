package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/session"
)

func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The flag beats the file's entry for the model, which beats the file's context_window;
// each says where the window came from.
func TestContextWindowPrecedence(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "context_window: 16384\ncontext_windows:\n  Qwen2.5:7B: 32768\n")
	cfg, err := LoadConfig(Settings{ConfigPath: path})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model  string
		flag   int64
		cfg    *Config
		window int64
		source string
	}{
		{"qwen2.5:7b", 8192, cfg, 8192, "--context-window"},
		{"qwen2.5:7b", 0, cfg, 32768, "configuration file, context_windows"},
		{"llama3.1:8b", 0, cfg, 16384, "configuration file, context_window"},
		{"llama3.1:8b", 0, &Config{}, 0, ""},
		{"llama3.1:8b", 0, nil, 0, ""},
	} {
		m := session.ModelConfig{Name: c.model}
		setContextWindow(&m, c.flag, c.cfg)
		if m.ContextWindow != c.window || m.ContextWindowSource != c.source {
			t.Errorf("%s, flag %d: window %d from %q, want %d from %q", c.model, c.flag, m.ContextWindow, m.ContextWindowSource, c.window, c.source)
		}
	}
}

func TestContextWindowRefusesNonsense(t *testing.T) {
	t.Parallel()
	for yaml, want := range map[string]string{
		"context_window: -1\n":                    "context_window must be 0",
		"context_window: 100\n":                   "context_window 100 is too small",
		"context_windows: {llama3: 512}\n":        `context_windows["llama3"] 512 is too small`,
		"context_window: lots\n":                  "cannot unmarshal",
		"context_windows: [16384]\n":              "cannot unmarshal",
		"context_windows: {llama3: 8192}\nctx: 1": `unknown key "ctx"`,
	} {
		_, err := LoadConfig(Settings{ConfigPath: writeConfig(t, yaml)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", yaml, err, want)
		}
	}
	for n, want := range map[int64]string{-5: "--context-window must be 0", 1000: "--context-window 1,000 is too small"} {
		ss := DefaultSessionSettings()
		ss.ContextWindow = n
		if err := ss.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%d: %v, want %q", n, err, want)
		}
	}
}

// The configured window reaches the session: its first model.request is measured against it.
func TestConfiguredContextWindowReachesTheSession(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := DefaultSettings(func(k string) string { return map[string]string{"XDG_STATE_HOME": dir}[k] })
	s.EnvFile, s.ConfigPath = filepath.Join(dir, "none.env"), writeConfig(t, "context_window: 4096\n")
	s.Session.DemoPace = 0
	w, err := Open(context.Background(), s, ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var ctxUse []*session.ContextUse
	defer w.Bus.Subscribe(session.SinkFunc(func(e session.Event) {
		if e.Kind == session.KindModelRequest {
			ctxUse = append(ctxUse, e.Context)
		}
	}))()
	r, err := w.NewRunner("")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if o := r.Ask(context.Background(), "What was EBITDA in Q3 2026?"); o != session.OutcomeOK {
		t.Fatalf("outcome %s", o)
	}
	if len(ctxUse) == 0 || ctxUse[0] == nil || ctxUse[0].Window != 4096 || ctxUse[0].Source != "configuration file, context_window" || ctxUse[0].Tokens <= 0 {
		t.Fatalf("model.request context %+v", ctxUse)
	}
}
