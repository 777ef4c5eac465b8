package session

import (
	"context"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/provideremu"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// startEmu starts the named provider profile with faults; window > 0 overrides its window.
func startEmu(t testing.TB, profile string, window int, faults ...provideremu.Fault) (*provideremu.Server, ModelConfig) {
	t.Helper()
	p, ok := provideremu.Lookup(profile)
	if !ok {
		t.Fatalf("no profile %q", profile)
	}
	srv, err := provideremu.Start(provideremu.Options{Profile: p, Faults: faults, Window: window})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, ModelConfig{BaseURL: srv.URL(), APIKey: "sk-emu", Name: srv.Model(), MaxRetries: 2}
}

// seedRun asks the research analyst (real devserver, financial MCP server and document
// search) the prelude prompts and then the seed prompt against model, and closes the session.
func seedRun(t *testing.T, model ModelConfig, prelude ...string) (*world, Outcome) {
	t.Helper()
	w := newWorld(t, "research-analyst")
	r := w.runner(t, model, realTools(t, w), nil)
	for _, p := range prelude {
		if out := r.Ask(context.Background(), p); out != OutcomeOK {
			t.Fatalf("prelude %q: %s", p, out)
		}
	}
	out := r.Ask(context.Background(), seedPrompt)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	checkTranscript(t, w, r)
	return w, out
}

func ebitdaQ3(t testing.TB) string {
	v, err := financialmcp.Lookup("ebitda", "Q3")
	if err != nil {
		t.Fatal(err)
	}
	return v.Display
}

// checkSeedAnswered asserts the seed request ran both tools through the gate, each event
// carrying its call id, and answered with the MCP server's figure.
func checkSeedAnswered(t *testing.T, w *world, out Outcome, figure string) {
	t.Helper()
	if out != OutcomeOK {
		t.Fatalf("outcome %s: %s\n%+v", out, kinds(w.rec.all()), w.rec.last(KindError).Err)
	}
	ids := map[string]string{}
	for _, e := range w.rec.kind(KindToolCall) {
		ids[e.Tool] = e.CallID
	}
	for _, tool := range []string{"search_company_documents", "query_financial_mcp"} {
		id := ids[tool]
		var checked, ok bool
		for _, e := range w.rec.all() {
			checked = checked || (e.Kind == KindCapabilityCheck && e.CallID == id && e.Tool == tool && *e.Allowed)
			ok = ok || (e.Kind == KindToolResult && e.CallID == id && e.Status == "ok")
		}
		if id == "" || !checked || !ok {
			t.Errorf("%s: call id %q, gate check %v, ok result %v: %s", tool, id, checked, ok, kinds(w.rec.all()))
		}
	}
	if x := w.rec.last(KindTokenExchange); x.CallID != ids["query_financial_mcp"] || x.Audience != "urn:mcp:financial-data" {
		t.Errorf("exchange event %+v, want call %s", x, ids["query_financial_mcp"])
	}
	if m := w.rec.last(KindMCPCall); m.CallID != ids["query_financial_mcp"] || m.Status != "ok" {
		t.Errorf("mcp event %+v", m)
	}
	fin := w.rec.last(KindRequestFinish)
	if !strings.Contains(fin.Text, figure) || !strings.Contains(fin.Text, "Q3 performance") {
		t.Errorf("the answer lacks %s or the documents:\n%s", figure, fin.Text)
	}
}

func TestSeedPromptAgainstEveryProvider(t *testing.T) {
	figure := ebitdaQ3(t)
	for _, p := range provideremu.Profiles() {
		t.Run(p.Name, func(t *testing.T) {
			srv, model := startEmu(t, p.Name, 0)
			w, out := seedRun(t, model)
			checkSeedAnswered(t, w, out, figure)
			reqs := srv.Requests()
			if len(reqs) != 2 || reqs[0].Turn != "plan" || len(reqs[0].Calls) != 2 || reqs[1].Turn != "answer" {
				t.Errorf("server saw %+v", reqs)
			}
			for _, q := range reqs {
				if q.Status != 200 || q.Truncated {
					t.Errorf("request answered %d (truncated %v)", q.Status, q.Truncated)
				}
			}
			u := w.rec.last(KindRequestFinish).Usage
			if u.Estimated || u.PromptTokens != int64(reqs[0].PromptTokens+reqs[1].PromptTokens) {
				t.Errorf("usage %+v, the server counted %d + %d prompt tokens", u, reqs[0].PromptTokens, reqs[1].PromptTokens)
			}
			if p.Reasoning > 0 && u.ReasoningTokens != int64(2*p.Reasoning) {
				t.Errorf("reasoning tokens %d, want %d", u.ReasoningTokens, 2*p.Reasoning)
			}
		})
	}
}

// TestSeedPromptWithToolCallsWrittenAsText: a model behind a server without a parser for its
// format writes the calls in its content; each common form is read and run through the gate.
func TestSeedPromptWithToolCallsWrittenAsText(t *testing.T) {
	figure := ebitdaQ3(t)
	for _, k := range []provideremu.FaultKind{provideremu.FaultTextHermes, provideremu.FaultTextQwenXML, provideremu.FaultTextMistral,
		provideremu.FaultTextLlama, provideremu.FaultTextFunctionary, provideremu.FaultTextJSON} {
		t.Run(string(k), func(t *testing.T) {
			_, model := startEmu(t, "vllm", 0, provideremu.Fault{Kind: k})
			w, out := seedRun(t, model)
			checkSeedAnswered(t, w, out, figure)
			n := w.rec.last(KindModelNotice)
			if n.Status != "text_tool_calls" || n.Count != 2 || !strings.Contains(n.Text, "as text") {
				t.Errorf("notice %+v", n)
			}
			if fin := w.rec.last(KindRequestFinish).Text; strings.Contains(fin, "<tool_call>") || strings.Contains(fin, "TOOL_CALLS") {
				t.Errorf("markup in the answer: %q", fin)
			}
		})
	}
}
