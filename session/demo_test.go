package session

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
)

func startDemo(t testing.TB) ModelConfig {
	t.Helper()
	s, err := demomodel.Start(demomodel.Options{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return ModelConfig{BaseURL: s.URL(), Name: demomodel.ModelID, Embedded: true}
}

// TestDemoModelSession: the offline demo model plans a gated call, answers from its result,
// counts its usage by an estimate and costs nothing. (How these events read is
// internal/present's test.)
func TestDemoModelSession(t *testing.T) {
	w := newWorld(t, "research-analyst")
	r := w.runner(t, startDemo(t), tools.NewRegistry(metricTool{name: "query_financial_mcp"}), nil)
	if o := r.Ask(context.Background(), "What was EBITDA and revenue?\x1b[2J\x1b]52;c;ZXZpbA==\x07"); o != OutcomeOK {
		t.Fatalf("outcome %s", o)
	}
	_ = r.Close()
	check := w.rec.last(KindCapabilityCheck)
	if check.Tool != "query_financial_mcp" || check.Capability != "read:documents" || check.Allowed == nil || !*check.Allowed {
		t.Errorf("capability check %+v", check)
	}
	fin := w.rec.last(KindRequestFinish)
	for _, want := range []string{"ebitda = 42.7M", "revenue = 42.7M"} {
		if !strings.Contains(fin.Text, want) {
			t.Errorf("answer lacks %q: %q", want, fin.Text)
		}
	}
	if fin.Outcome != OutcomeOK || fin.Cost == nil || fin.Cost.String() != NoteLocal {
		t.Errorf("request finish %+v (cost %+v)", fin, fin.Cost)
	}
	u := fin.SessionUse
	if !u.Estimated || u.Total() == 0 {
		t.Errorf("demo usage %+v", u)
	}
}

func TestLocalTokenCapStopsTheSession(t *testing.T) {
	w := newWorld(t, "research-analyst")
	r := w.runner(t, startDemo(t), tools.NewRegistry(metricTool{name: "query_financial_mcp"}), func(c *Config) { c.MaxTokens = 300 })
	if o := r.Ask(context.Background(), "What was EBITDA?"); o != OutcomeBudgetExhausted {
		t.Fatalf("outcome %s: %s", o, kinds(w.rec.all()))
	}
	ex := w.rec.last(KindBudgetExhausted)
	if ex.Limit != "session tokens" || !strings.Contains(ex.Text, "--max-tokens") || !strings.Contains(ex.Text, "the next model call needs about") {
		t.Errorf("exhausted %+v", ex)
	}
	if n := len(w.rec.kind(KindModelResponse)); n != 0 {
		t.Errorf("%d model turns ran; a call that cannot fit the cap must not start", n)
	}
	_ = r.Close()
}

// BenchmarkDemoSession is the whole headless demo session: devserver, financial MCP,
// document search and the embedded model (no pacing), seed prompt to final answer.
func BenchmarkDemoSession(b *testing.B) {
	w := newWorldWith(b, "research-analyst", unlimited(devserver.DefaultConfig()))
	model := startDemo(b)
	reg := realTools(b, w)
	b.ReportAllocs()
	for b.Loop() {
		r := w.runner(b, model, reg, func(c *Config) { c.TranscriptPath = filepath.Join(b.TempDir(), "t.jsonl") })
		if o := r.Ask(context.Background(), seedPrompt); o != OutcomeOK {
			b.Fatal(o)
		}
		_ = r.Close()
	}
}
