package reliability_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/provideremu"
	"github.com/lumodash/lumodash/session"
)

// windowSources are what the context gauge names as the source of each server's window.
var windowSources = map[string]string{
	"openai": "from built-in table", "o-series": "from built-in table", "litellm": "from built-in table",
	"ollama": "from Ollama /api/ps context_length", "ollama-index0": "from Ollama /api/ps context_length",
	"ollama-noindex": "from Ollama /api/ps context_length", "vllm": "from vLLM /v1/models max_model_len",
	"llamacpp": "from llama.cpp /props n_ctx", "lmstudio": "from LM Studio /api/v0/models", "nim": "(window unknown)",
}

// earlierPrompts are asked before the seed prompt where a fault needs earlier requests.
var earlierPrompts = []string{
	"Search documents for Q2 churn, then query the financial MCP for revenue in Q2.",
	"Search documents for the hiring plan, then query the financial MCP for headcount.",
}

// TestReliabilityModelServersOnTheDashboard: the live dashboard on the real world, against
// every emulated server once, and against the faults that have a screen of their own: an
// answer cut off, filtered or refused, and a request trimmed to fit the window.
func TestReliabilityModelServersOnTheDashboard(t *testing.T) {
	t.Parallel()
	figure := seedFigure(t)
	type uiCase struct {
		name, profile string
		faults        []provideremu.Fault
		earlier       int      // earlier prompts to ask first
		want          []string // on the screen once the seed request is over
		outcome       session.Outcome
	}
	var cases []uiCase
	for _, p := range provideremu.Profiles() {
		cases = append(cases, uiCase{name: p.Name, profile: p.Name, outcome: session.OutcomeOK,
			want: []string{figure, "search_company_documents", "query_financial_mcp", "✓ allowed · 3", "✓ allowed · 1", "context", windowSources[p.Name]}})
	}
	cases = append(cases,
		uiCase{name: "truncated", profile: "openai", faults: fault(provideremu.FaultLength, 0), outcome: session.OutcomeTruncated,
			want: []string{"[answer cut off here: the model's output limit]", "— the answer was cut off at the model's output token limit", "ERROR  length: the answer was cut off"}},
		uiCase{name: "filtered", profile: "openai", faults: fault(provideremu.FaultContentFilter, 0), outcome: session.OutcomeFiltered,
			want: []string{"[answer stopped here by the provider's content filter]", "— the provider's content filter stopped the answer", "ERROR  content_filter"}},
		uiCase{name: "refused", profile: "openai", faults: fault(provideremu.FaultRefusal, 0), outcome: session.OutcomeRefused,
			want: []string{"I'm sorry, but I can't help with that request.", `— the model refused the request: "I'm sorry`, "ERROR  refusal"}},
		uiCase{name: "context trimmed", profile: "litellm", faults: []provideremu.Fault{{Kind: provideremu.FaultContext, Times: 1, After: 2}}, earlier: 2,
			outcome: session.OutcomeOK,
			want:    []string{figure, "MODEL  left out: the tool calls and results of 2 earlier requests", "left out: 7 messages", "from the server's context_length", "did not fit"}},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			fw.useEmulator(t, c.profile, 0, c.faults...)
			d, tr, stop := fw.liveTUI(t, 160, 48)
			defer stop()
			for i := range c.earlier {
				ask(d, earlierPrompts[i], i+1)
			}
			screen := ask(d, seedPrompt, c.earlier+1)
			fits(t, d.Frame(), 160, 48)
			for _, w := range c.want {
				if !strings.Contains(screen, w) {
					t.Errorf("the screen lacks %q:\n%s", w, screen)
				}
			}
			stop()
			events, err := session.ReadTranscript(tr)
			if err != nil {
				t.Fatal(err)
			}
			if fin := lastOf(events, session.KindRequestFinish); fin.Outcome != c.outcome {
				t.Errorf("request %s, want %s", fin.Outcome, c.outcome)
			}
			for i, f := range d.Frames() {
				fw.noSecrets(t, "frame "+strconv.Itoa(i), f)
			}
		})
	}
}

// contextAmount reads the context gauge's "used/window" off the screen.
var contextAmount = regexp.MustCompile(`context\s+([0-9.]+k?)/16\.4k`)

// TestReliabilityContextGaugeMoves: against a server reporting a 16k window (vLLM's
// max_model_len) the dashboard's context gauge grows with every request of a session, as
// each resends the ones before it, and names where the window comes from.
func TestReliabilityContextGaugeMoves(t *testing.T) {
	t.Parallel()
	fw := newFaultWorld(t, "research-analyst")
	fw.useEmulator(t, "vllm", 16_384)
	d, _, stop := fw.liveTUI(t, 120, 40)
	defer stop()
	var seen []float64
	for i, p := range append([]string{seedPrompt}, earlierPrompts...) {
		screen := ask(d, p, i+1)
		m := contextAmount.FindStringSubmatch(screen)
		if m == nil || !strings.Contains(screen, "from vLLM /v1/models") {
			t.Fatalf("request %d: no context gauge of a 16k window:\n%s", i+1, screen)
		}
		seen = append(seen, compactValue(t, m[1]))
		if i > 0 && seen[i] <= seen[i-1] {
			t.Errorf("request %d: the gauge read %v after %v; resending history must grow it", i+1, seen[i], seen[i-1])
		}
		if i > 0 && !strings.Contains(screen, "resent") {
			t.Errorf("request %d: the cost of resending history is not shown:\n%s", i+1, screen)
		}
	}
	t.Logf("observed: context gauge %v tokens of 16,384 over three requests", seen)
}

func compactValue(t *testing.T, s string) float64 {
	mult := 1.0
	if strings.HasSuffix(s, "k") {
		s, mult = strings.TrimSuffix(s, "k"), 1000
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("gauge amount %q: %v", s, err)
	}
	return v * mult
}
