package session

import (
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/provideremu"
)

// TestSeedPromptUnderProviderFaults: every documented fault either still ends with both
// tools run through the gate and the figure in the answer, or with its own outcome and a
// message that says what happened.
func TestSeedPromptUnderProviderFaults(t *testing.T) {
	figure := ebitdaQ3(t)
	type check func(t *testing.T, w *world, srv *provideremu.Server)
	stoppedWith := func(code, text string) check {
		return func(t *testing.T, w *world, _ *provideremu.Server) {
			e := w.rec.last(KindError)
			fin := w.rec.last(KindRequestFinish)
			if e.Err == nil || e.Err.Code != code || !strings.Contains(e.Err.Message, text) || fin.Err == nil || fin.Err.Message != e.Err.Message {
				t.Errorf("error %+v, finish error %+v, want %s %q", e.Err, fin.Err, code, text)
			}
		}
	}
	retried := func(code string, delay time.Duration) check {
		return func(t *testing.T, w *world, _ *provideremu.Server) {
			r := w.rec.kind(KindModelRetry)
			if len(r) != 1 || r[0].Err == nil || r[0].Err.Code != code || (delay > 0 && r[0].Delay != delay) {
				t.Errorf("retries %+v, want one %s", r, code)
			}
		}
	}
	noTools := func(t *testing.T, w *world, _ *provideremu.Server) {
		if n := len(w.rec.kind(KindCapabilityCheck)); n != 0 {
			t.Errorf("%d gate checks; a cut or refused turn runs no tool", n)
		}
	}
	prelude := []string{ // each: a planning and an answering turn
		"Search documents for Q2 churn, then query the financial MCP for revenue in Q2.",
		"Search documents for the hiring plan, then query the financial MCP for headcount."}
	cases := []struct {
		name    string
		profile string
		fault   provideremu.Fault
		outcome Outcome
		checks  []check
	}{
		{"length", "openai", provideremu.Fault{Kind: provideremu.FaultLength}, OutcomeTruncated,
			[]check{stoppedWith(codeLength, "the answer was cut off"), func(t *testing.T, w *world, _ *provideremu.Server) {
				if fin := w.rec.last(KindRequestFinish).Text; fin == "" || strings.Contains(fin, figure) {
					t.Errorf("cut answer %q", fin) // the emulator cuts it before the figure
				}
			}}},
		{"length in tool arguments", "openai", provideremu.Fault{Kind: provideremu.FaultLengthInArgs}, OutcomeTruncated,
			[]check{stoppedWith(codeLength, "while it was writing the arguments of search_company_documents, query_financial_mcp; no tool was run"), noTools}},
		{"content_filter", "openai", provideremu.Fault{Kind: provideremu.FaultContentFilter}, OutcomeFiltered,
			[]check{stoppedWith(codeContentFilter, "content filter stopped the answer")}},
		{"refusal", "openai", provideremu.Fault{Kind: provideremu.FaultRefusal}, OutcomeRefused,
			[]check{stoppedWith(codeRefusal, `refused the request: "I'm sorry`), noTools, func(t *testing.T, w *world, _ *provideremu.Server) {
				if fin := w.rec.last(KindRequestFinish).Text; !strings.HasPrefix(fin, "I'm sorry, but I can't help") {
					t.Errorf("the refusal is not the answer shown: %q", fin)
				}
			}}},
		{"429 with Retry-After", "openai", provideremu.Fault{Kind: provideremu.FaultRateLimit, Times: 1}, OutcomeOK,
			[]check{retried("http_429", time.Second)}},
		{"insufficient_quota", "openai", provideremu.Fault{Kind: provideremu.FaultQuota}, OutcomeModelError,
			[]check{stoppedWith("insufficient_quota", "no quota left"), func(t *testing.T, w *world, srv *provideremu.Server) {
				if n := len(srv.Requests()); n != 1 {
					t.Errorf("%d requests: no quota is not retried", n)
				}
			}}},
		{"500 once", "vllm", provideremu.Fault{Kind: provideremu.Fault500, Times: 1}, OutcomeOK, []check{retried("http_500", 0)}},
		{"503 always", "vllm", provideremu.Fault{Kind: provideremu.Fault503}, OutcomeModelError,
			[]check{stoppedWith("http_503", "gave up after 3 attempts")}},
		{"error mid-stream", "openai", provideremu.Fault{Kind: provideremu.FaultMidStream, Times: 1}, OutcomeOK, []check{retried("stream_error", 0)}},
		{"context_length_exceeded (after two requests)", "openai", provideremu.Fault{Kind: provideremu.FaultContext, Times: 1, After: 2}, OutcomeOK,
			[]check{func(t *testing.T, w *world, srv *provideremu.Server) {
				r := w.rec.last(KindModelRetry)
				trim := w.rec.last(KindContextTrim)
				if r.Err == nil || r.Err.Code != codeContextExceeded || !strings.Contains(r.Text, "did not fit") || r.Context == nil {
					t.Errorf("retry %+v", r)
				}
				if trim.Count == 0 || !strings.Contains(trim.Text, "earlier request") || !strings.Contains(trim.Text, "server's context_length_exceeded answer") {
					t.Errorf("trim %+v", trim)
				}
				reqs := srv.Requests()
				if len(reqs) != 7 || reqs[5].Status != 400 || reqs[6].PromptTokens > reqs[5].PromptTokens*4/5 {
					t.Errorf("requests %+v: the retry must fit the window the error gave", reqs)
				}
			}}},
		{"invalid JSON arguments (Ollama rejects them in history)", "ollama", provideremu.Fault{Kind: provideremu.FaultInvalidArgs, Times: 1}, OutcomeOK,
			[]check{func(t *testing.T, w *world, srv *provideremu.Server) {
				var bad int
				for _, e := range w.rec.kind(KindToolResult) {
					if e.Tool == "query_financial_mcp" && strings.Contains(e.Text, "not valid JSON") {
						bad++
					}
				}
				for _, q := range srv.Requests() {
					if q.Status != 200 {
						t.Errorf("the server answered %d: invalid arguments went back in the history", q.Status)
					}
				}
				if bad != 1 || len(srv.Requests()) != 3 {
					t.Errorf("%d invalid-argument results, %d requests", bad, len(srv.Requests()))
				}
			}}},
		{"no usage in the stream", "openai", provideremu.Fault{Kind: provideremu.FaultNoUsage}, OutcomeOK,
			[]check{func(t *testing.T, w *world, srv *provideremu.Server) {
				est := w.rec.kind(KindModelResponse)[0].Usage
				counted := srv.Requests()[0].PromptTokens
				if ratio := float64(est.PromptTokens) / float64(counted); !est.Estimated || ratio < 0.85 || ratio > 1.3 {
					t.Errorf("estimate %d prompt tokens, the server counted %d (ratio %.2f)", est.PromptTokens, counted, ratio)
				}
			}}},
		{"stream_options rejected with 400", "vllm", provideremu.Fault{Kind: provideremu.FaultStreamOptions}, OutcomeOK,
			[]check{func(t *testing.T, w *world, srv *provideremu.Server) {
				reqs := srv.Requests()
				if len(reqs) != 3 || reqs[0].Status != 400 || !reqs[0].StreamOptions || reqs[1].StreamOptions || reqs[2].StreamOptions {
					t.Errorf("requests %+v: retried once without stream_options and remembered", reqs)
				}
				if n := w.rec.kind(KindModelNotice); len(n) != 2 || n[0].Status != "stream_options" || !strings.Contains(n[0].Text, "without it") {
					t.Errorf("notices %+v", n)
				}
				if u := w.rec.last(KindRequestFinish).Usage; !u.Estimated {
					t.Errorf("usage %+v should be an estimate", u)
				}
			}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, model := startEmu(t, c.profile, 0, c.fault)
			var pre []string
			if c.fault.After > 0 { // a fault after earlier requests: ask as many first
				pre = prelude[:c.fault.After]
			}
			w, out := seedRun(t, model, pre...)
			if c.outcome == OutcomeOK {
				checkSeedAnswered(t, w, out, figure)
			} else if out != c.outcome || w.rec.last(KindRequestFinish).Outcome != c.outcome {
				t.Fatalf("outcome %s, want %s: %s", out, c.outcome, kinds(w.rec.all()))
			}
			for _, check := range c.checks {
				check(t, w, srv)
			}
		})
	}
}
