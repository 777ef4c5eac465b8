package session

import (
	"context"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

const seedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."

// realTools starts the financial MCP server next to w's devserver and returns the two seed
// tools wired to w's agent.
func realTools(t testing.TB, w *world) *tools.Registry {
	t.Helper()
	fin, err := financialmcp.Start(financialmcp.Options{Issuer: w.dev.Issuer(), JWKSURL: w.dev.JWKSURL()}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fin.Close() })
	docs, _, err := tools.NewDocumentSearch("")
	if err != nil {
		t.Fatal(err)
	}
	reg := tools.NewRegistry(docs, tools.NewFinancialMCP(w.agent, fin.URL()))
	t.Cleanup(reg.Close)
	return reg
}

func TestSeedSessionEndToEnd(t *testing.T) {
	want, err := financialmcp.Lookup("ebitda", "Q3")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		agent       string
		outcome     Outcome
		figure      bool
		exchanges   int
		exhaustedBy string
	}{
		{"research-analyst", OutcomeOK, true, 1, ""},
		{"junior-analyst", OutcomeDenied, false, 0, ""},
		{"capped-analyst", OutcomeBudgetExhausted, false, -1, "tokens/day"},
	}
	for _, c := range cases {
		t.Run(c.agent, func(t *testing.T) {
			w := newWorld(t, c.agent)
			r := w.runner(t, startDemo(t), realTools(t, w), nil)
			out := r.Ask(context.Background(), seedPrompt)
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
			checkTranscript(t, w, r)
			if out != c.outcome {
				t.Fatalf("outcome %s, want %s: %s", out, c.outcome, kinds(w.rec.all()))
			}
			answer := w.rec.last(KindRequestFinish).Text
			if got := strings.Contains(answer, want.Display); got != c.figure {
				t.Errorf("answer contains %s = %v, want %v:\n%s", want.Display, got, c.figure, answer)
			}
			if c.exchanges >= 0 && len(w.rec.kind(KindTokenExchange)) != c.exchanges {
				t.Errorf("%d exchanges, want %d: %s", len(w.rec.kind(KindTokenExchange)), c.exchanges, kinds(w.rec.all()))
			}
			switch c.agent {
			case "research-analyst":
				calls := w.rec.kind(KindToolCall)
				if len(calls) != 2 || calls[0].Tool != "search_company_documents" || !strings.Contains(calls[0].Args, "Q3 performance") || calls[1].Tool != "query_financial_mcp" {
					t.Errorf("tool calls: %+v", calls)
				}
				if mcp := w.rec.kind(KindMCPCall); len(mcp) != 1 || mcp[0].Status != "ok" {
					t.Errorf("mcp events: %+v", mcp)
				}
				x := w.rec.kind(KindTokenExchange)[0]
				if x.Audience != "urn:mcp:financial-data" || x.Status != "new" || x.Token == nil || x.Tool != "query_financial_mcp" || x.CallID == "" {
					t.Errorf("exchange event %+v", x)
				}
				if !strings.Contains(answer, "Q3") || !strings.Contains(answer, "document") {
					t.Errorf("answer does not quote the documents:\n%s", answer)
				}
			case "junior-analyst":
				var denied bool
				for _, e := range w.rec.kind(KindCapabilityCheck) {
					denied = denied || (e.Capability == "mcp:financial" && !*e.Allowed)
				}
				if !denied || !strings.Contains(answer, "denied") || !strings.Contains(answer, "mcp:financial") {
					t.Errorf("denial not reported (denied check %v):\n%s", denied, answer)
				}
			case "capped-analyst":
				ex := w.rec.last(KindBudgetExhausted)
				if ex.Limit != c.exhaustedBy || !strings.Contains(ex.Text, "resets at") || ex.ResetsAt.IsZero() {
					t.Errorf("exhausted event %+v", ex)
				}
				if len(w.rec.kind(KindBudgetWarning)) == 0 {
					t.Error("no budget warning before exhaustion")
				}
			}
		})
	}
}

// TestBudgetUpdatesOnlyWhenChanged: the guard runs before the run and before every model call,
// but a budget.update is emitted only when what it shows changed, so the log is not padded
// with identical rows; the first update and every change still arrive.
func TestBudgetUpdatesOnlyWhenChanged(t *testing.T) {
	w := newWorld(t, "research-analyst")
	r := w.runner(t, startDemo(t), realTools(t, w), nil)
	if out := r.Ask(context.Background(), seedPrompt); out != OutcomeOK {
		t.Fatalf("outcome %s", out)
	}
	ups := w.rec.kind(KindBudgetUpdate)
	if len(ups) < 2 {
		t.Fatalf("%d budget.update events, want the initial one and at least one change", len(ups))
	}
	for i := 1; i < len(ups); i++ {
		a, b := ups[i-1], ups[i]
		if newBudgetShown(*a.Budget, *a.SessionUse, *a.SessionCost) == newBudgetShown(*b.Budget, *b.SessionUse, *b.SessionCost) {
			t.Errorf("budget.update %d repeats the previous one: %+v", i, b.Budget)
		}
	}
}

// TestSessionCostKnownBeforeFirstCall: the first budget.update already carries the model's
// pricing, so the dashboard shows "local (free)" for the demo model before any model call.
func TestSessionCostKnownBeforeFirstCall(t *testing.T) {
	w := newWorld(t, "research-analyst")
	r := w.runner(t, startDemo(t), realTools(t, w), nil)
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ups := w.rec.kind(KindBudgetUpdate)
	if len(ups) == 0 {
		t.Fatal("no budget.update after Start")
	}
	if c := ups[0].SessionCost; c == nil || c.String() != NoteLocal {
		t.Errorf("session cost before any call = %v, want %q", c, NoteLocal)
	}
}
