package reliability_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/provideremu"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// useEmulator starts an emulated model server (internal/provideremu) of profile with
// faults and points the world's model variables at it, as a user points lumodash at
// their Ollama or vLLM; window overrides the profile's (0 = the profile's).
func (fw *faultWorld) useEmulator(t *testing.T, profile string, window int, faults ...provideremu.Fault) *provideremu.Server {
	t.Helper()
	p, ok := provideremu.Lookup(profile)
	if !ok {
		t.Fatalf("no emulator profile %q", profile)
	}
	srv, err := provideremu.Start(provideremu.Options{Profile: p, Faults: faults, Window: window})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	fw.env.Set(app.EnvOpenAIBaseURL, srv.URL())
	fw.env.Set(app.EnvOpenAIModel, srv.Model())
	return srv
}

// seedFigure is what the financial MCP server says Q3 EBITDA was ($4.21M).
func seedFigure(t testing.TB) string {
	v, err := financialmcp.Lookup("ebitda", "Q3")
	if err != nil {
		t.Fatal(err)
	}
	return v.Display
}

// seedAnswered asserts the seed request ran both tools through the gate — the check, the
// exchange and the MCP call each carrying the call's id — and answered with the figure.
func seedAnswered(t *testing.T, es []session.Event, figure string) {
	t.Helper()
	ids := map[string]string{}
	for _, e := range ofKind(es, session.KindToolCall) {
		ids[e.Tool] = e.CallID
	}
	for _, tool := range []string{"search_company_documents", "query_financial_mcp"} {
		id := ids[tool]
		var checked, ok bool
		for _, e := range es {
			checked = checked || e.Kind == session.KindCapabilityCheck && e.CallID == id && e.Allowed != nil && *e.Allowed
			ok = ok || e.Kind == session.KindToolResult && e.CallID == id && e.Status == "ok"
		}
		if id == "" || !checked || !ok {
			t.Errorf("%s: call id %q, allowed by the gate %v, ok result %v", tool, id, checked, ok)
		}
	}
	if x := lastOf(es, session.KindTokenExchange); x.CallID != ids["query_financial_mcp"] || x.Audience != "urn:mcp:financial-data" {
		t.Errorf("gate.exchange %+v, want call %s", x, ids["query_financial_mcp"])
	}
	if m := lastOf(es, session.KindMCPCall); m.CallID != ids["query_financial_mcp"] || m.Status != "ok" {
		t.Errorf("gate.mcp %+v, want call %s", m, ids["query_financial_mcp"])
	}
	if fin := lastOf(es, session.KindRequestFinish); fin.Outcome != session.OutcomeOK || !strings.Contains(fin.Text, figure) {
		t.Errorf("request %s; the answer lacks %s:\n%s", fin.Outcome, figure, fin.Text)
	}
}

// printedPlain is what `run --plain` prints for the events: the same printer, fed the
// transcript (streamed answer and cut marks included).
func printedPlain(es []session.Event) string {
	var b bytes.Buffer
	p := present.NewPlainPrinter(&b)
	for _, e := range es {
		p.Emit(e)
	}
	return b.String()
}

// providerCase is one emulated server, perhaps with a fault, and how `lumodash run` ends.
type providerCase struct {
	name    string
	profile string
	faults  []provideremu.Fault
	code    int      // exit code; ExitOK: the seed prompt is answered through the gate
	want    []string // phrases of the --plain output (the events' errors and notices, the cut marks)
	stderr  string   // a phrase of the closing "lumodash: …" line
	check   func(t *testing.T, h headless, srv *provideremu.Server)
}

func fault(k provideremu.FaultKind, times int) []provideremu.Fault {
	return []provideremu.Fault{{Kind: k, Times: times}}
}

// providerCases are every profile without a fault, then every fault (README "Model servers",
// RELIABILITY.md "Model servers").
func providerCases() []providerCase {
	var cases []providerCase
	for _, p := range provideremu.Profiles() {
		c := providerCase{name: p.Name, profile: p.Name, code: cli.ExitOK}
		if p.Reasoning > 0 {
			c.check = func(t *testing.T, h headless, _ *provideremu.Server) {
				if u := lastOf(h.events, session.KindRequestFinish).Usage; u == nil || u.ReasoningTokens == 0 {
					t.Errorf("usage %+v: the reasoning tokens are not counted", u)
				}
			}
		}
		cases = append(cases, c)
	}
	noTool := func(t *testing.T, h headless, _ *provideremu.Server) {
		if n := len(ofKind(h.events, session.KindCapabilityCheck)); n != 0 {
			t.Errorf("%d gate checks: a cut or refused turn runs no tool", n)
		}
	}
	retried := func(code string, delay time.Duration) func(*testing.T, headless, *provideremu.Server) {
		return func(t *testing.T, h headless, _ *provideremu.Server) {
			r := ofKind(h.events, session.KindModelRetry)
			if len(r) != 1 || r[0].Err == nil || r[0].Err.Code != code || delay > 0 && (r[0].Delay != delay || h.took < delay) {
				t.Errorf("retries %+v after %s, want one %s", r, h.took, code)
			}
		}
	}
	requests := func(n int) func(*testing.T, headless, *provideremu.Server) {
		return func(t *testing.T, _ headless, srv *provideremu.Server) {
			if got := len(srv.Requests()); got != n {
				t.Errorf("%d requests reached the server, want %d", got, n)
			}
		}
	}
	text := func(k provideremu.FaultKind, profile string) providerCase {
		return providerCase{name: string(k), profile: profile, faults: fault(k, 0), code: cli.ExitOK, want: []string{"as text", "through the gate"},
			check: func(t *testing.T, h headless, _ *provideremu.Server) {
				if n := lastOf(h.events, session.KindModelNotice); n.Status != session.NoticeTextToolCalls || n.Count != 2 {
					t.Errorf("notice %+v", n)
				}
			}}
	}
	return append(cases,
		providerCase{name: "length", profile: "openai", faults: fault(provideremu.FaultLength, 0), code: cli.ExitTruncated,
			want: []string{"the answer was cut off at the model's output token limit", "[answer cut off here"}, stderr: "cut off",
			check: func(t *testing.T, h headless, _ *provideremu.Server) {
				if fin := lastOf(h.events, session.KindRequestFinish); fin.Outcome != session.OutcomeTruncated || fin.Text == "" {
					t.Errorf("request %s, answer %q: the partial answer is the one shown", fin.Outcome, fin.Text)
				}
			}},
		providerCase{name: "length in tool arguments", profile: "ollama-index0", faults: fault(provideremu.FaultLengthInArgs, 0), code: cli.ExitTruncated,
			want: []string{"while it was writing the arguments of", "no tool was run"}, stderr: "cut off", check: noTool},
		providerCase{name: "content_filter", profile: "openai", faults: fault(provideremu.FaultContentFilter, 0), code: cli.ExitFiltered,
			want: []string{"content filter stopped the answer", "[answer stopped here by the provider's content filter]"}, stderr: "content filter"},
		providerCase{name: "refusal", profile: "openai", faults: fault(provideremu.FaultRefusal, 0), code: cli.ExitRefused,
			want: []string{"the model refused the request", "analyst › I'm sorry, but I can't help"}, stderr: "refused",
			check: func(t *testing.T, h headless, srv *provideremu.Server) {
				noTool(t, h, srv)
				if fin := lastOf(h.events, session.KindRequestFinish); !strings.HasPrefix(fin.Text, "I'm sorry") {
					t.Errorf("the refusal is not the answer: %q", fin.Text)
				}
			}},
		providerCase{name: "429 with Retry-After", profile: "openai", faults: fault(provideremu.FaultRateLimit, 1), code: cli.ExitOK,
			want: []string{"rate limited", "HTTP 429"}, check: retried("http_429", time.Second)},
		providerCase{name: "insufficient_quota", profile: "openai", faults: fault(provideremu.FaultQuota, 0), code: cli.ExitModel,
			want: []string{"no quota left", "add credit"}, stderr: "model API failed", check: requests(1)},
		providerCase{name: "500 once", profile: "vllm", faults: fault(provideremu.Fault500, 1), code: cli.ExitOK,
			want: []string{"HTTP 500"}, check: retried("http_500", 0)},
		providerCase{name: "503 always", profile: "vllm", faults: fault(provideremu.Fault503, 0), code: cli.ExitModel,
			want: []string{"HTTP 503", "overloaded", "gave up after 2 attempts"}, stderr: "model API failed", check: requests(2)},
		providerCase{name: "error mid-stream", profile: "llamacpp", faults: fault(provideremu.FaultMidStream, 1), code: cli.ExitOK,
			want: []string{"in the middle of its answer", "partial answer of this turn is discarded"}, check: retried("stream_error", 0)},
		// One request has no earlier turn to leave out, but its tool results can be shortened:
		// it is retried once smaller; a server that refuses that too ends the request.
		// (The dashboard case asks twice first, so earlier turns are left out.)
		providerCase{name: "context_length_exceeded", profile: "litellm", faults: fault(provideremu.FaultContext, 1), code: cli.ExitOK,
			want: []string{"did not fit the model's context window; retrying once"}, check: retried("context_length_exceeded", 0)},
		providerCase{name: "context_length_exceeded twice", profile: "litellm", faults: fault(provideremu.FaultContext, 0), code: cli.ExitModel,
			want: []string{"context_length_exceeded", "retrying once"}, stderr: "model API failed", check: requests(3)},
		providerCase{name: "invalid JSON arguments", profile: "ollama", faults: fault(provideremu.FaultInvalidArgs, 1), code: cli.ExitOK,
			want: []string{"not valid JSON"}, check: func(t *testing.T, h headless, srv *provideremu.Server) {
				for _, q := range srv.Requests() {
					if q.Status != 200 {
						t.Errorf("Ollama answered %d: invalid arguments went back in the history", q.Status)
					}
				}
			}},
		providerCase{name: "no usage", profile: "lmstudio", faults: fault(provideremu.FaultNoUsage, 0), code: cli.ExitOK,
			check: func(t *testing.T, h headless, _ *provideremu.Server) {
				if u := lastOf(h.events, session.KindRequestFinish).Usage; u == nil || !u.Estimated || u.PromptTokens == 0 {
					t.Errorf("usage %+v: an estimate, said to be one", u)
				}
			}},
		providerCase{name: "stream_options rejected", profile: "vllm", faults: fault(provideremu.FaultStreamOptions, 0), code: cli.ExitOK,
			want: []string{"does not accept stream_options"}, check: requests(3)},
		text(provideremu.FaultTextHermes, "vllm"), text(provideremu.FaultTextQwenXML, "vllm"), text(provideremu.FaultTextMistral, "vllm"),
		text(provideremu.FaultTextLlama, "vllm"), text(provideremu.FaultTextFunctionary, "llamacpp"), text(provideremu.FaultTextJSON, "ollama"),
	)
}

// TestReliabilityModelServers drives `lumodash run --json` with the seed prompt through
// every emulated server and every fault, with the real devserver and financial MCP server:
// both tools through the gate and the figure in the answer, or the documented exit code
// and a message that says what happened (in the events, --plain and on stderr).
func TestReliabilityModelServers(t *testing.T) {
	t.Parallel()
	figure := seedFigure(t)
	for _, c := range providerCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fw := newFaultWorld(t, "research-analyst")
			srv := fw.useEmulator(t, c.profile, 0, c.faults...)
			h := fw.run(t, context.Background(), true, seedPrompt)
			if h.code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s\nerrors:\n%s", h.code, c.code, h.stderr, errorsOf(h.events))
			}
			fw.complete(t, h, 15*time.Second)
			if c.code == cli.ExitOK {
				seedAnswered(t, h.events, figure)
			} else if !strings.Contains(h.stderr, "lumodash: ") || !strings.Contains(h.stderr, c.stderr) {
				t.Errorf("stderr %q lacks %q", h.stderr, c.stderr)
			}
			plain := printedPlain(h.events) // the events' errors and notices, as printed
			for _, w := range c.want {
				if !strings.Contains(plain, w) {
					t.Errorf("--plain does not say %q:\n%s", w, plain)
				}
			}
			if c.check != nil {
				c.check(t, h, srv)
			}
			t.Logf("observed: %s · exit %d in %s; %d requests; %s", c.profile, h.code, h.took.Round(time.Millisecond), len(srv.Requests()),
				strings.SplitN(errorsOf(h.events)+noticesOf(h.events), "\n", 2)[0])
		})
	}
}

// noticesOf joins the texts of the model notices, for assertions.
func noticesOf(es []session.Event) string {
	var b strings.Builder
	for _, e := range ofKind(es, session.KindModelNotice) {
		b.WriteString(string(e.Kind) + " " + string(e.Status) + " " + e.Text + "\n")
	}
	return b.String()
}
