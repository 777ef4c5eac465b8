package session

import (
	"context"
	"testing"
)

// seedSession is the research analyst's seed prompt answered on the demo model and the real
// tools, with every event recorded.
func seedSession(t *testing.T) *world {
	w := newWorld(t, "research-analyst")
	r := w.runner(t, startDemo(t), realTools(t, w), nil)
	if out := r.Ask(context.Background(), seedPrompt); out != OutcomeOK {
		t.Fatalf("outcome %s", out)
	}
	return w
}

// TestBudgetFollowsEveryTurn: each model turn's usage report is followed, before anything
// else of the request, by a budget.update that counts that turn: the gauges move after every
// turn, also after the last one of a request.
func TestBudgetFollowsEveryTurn(t *testing.T) {
	ev := seedSession(t).rec.all()
	var base int64 = -1
	var used int64
	for i, e := range ev {
		if e.Kind == KindBudgetUpdate && base < 0 {
			base = e.Budget.TokensUsedToday
		}
		if e.Kind != KindModelResponse {
			continue
		}
		used += e.Usage.Total()
		var next *Event
		for j := i + 1; j < len(ev); j++ {
			if k := ev[j].Kind; k == KindBudgetUpdate || k == KindModelRequest || k == KindToolCall || k == KindRequestFinish {
				next = &ev[j]
				break
			}
		}
		if next == nil || next.Kind != KindBudgetUpdate {
			t.Fatalf("turn %d: no budget.update before the request went on: %s", e.Turn, kinds(ev))
		}
		if got := next.Budget.TokensUsedToday; got != base+used {
			t.Errorf("turn %d: budget says %d tokens used today, want %d + %d", e.Turn, got, base, used)
		}
	}
	if used == 0 {
		t.Fatal("no model turn ran")
	}
}

// TestProjectionIsCloseToTheCall: before every model call the guard projects its size from
// the instructions, the history, the tool definitions and room for an answer; the prompt
// part is within 10% of what the model then reports, and once the session has seen an
// answer the whole projection is within a few hundred tokens of the call.
func TestProjectionIsCloseToTheCall(t *testing.T) {
	w := newWorld(t, "research-analyst")
	r := w.runner(t, startDemo(t), realTools(t, w), nil)
	var projected []projection
	w.bus.Subscribe(SinkFunc(func(e Event) {
		if e.Kind == KindModelRequest { // emitted by the runner's goroutine right after the guard
			projected = append(projected, r.projected)
		}
	}))
	for _, p := range []string{seedPrompt, "And what was revenue in FY2025?"} {
		if out := r.Ask(context.Background(), p); out != OutcomeOK {
			t.Fatalf("%q: outcome %s", p, out)
		}
	}
	responses := w.rec.kind(KindModelResponse)
	if len(responses) < 3 || len(projected) != len(responses) {
		t.Fatalf("%d projections for %d model turns", len(projected), len(responses))
	}
	for i, e := range responses {
		p, u := projected[i], e.Usage
		if d := float64(p.prompt-u.PromptTokens) / float64(u.PromptTokens); d < -0.10 || d > 0.10 {
			t.Errorf("call %d: projected prompt %d, the model counted %d (%.0f%% off)", i+1, p.prompt, u.PromptTokens, 100*d)
		}
		if p.completion < u.CompletionTokens {
			t.Errorf("call %d: room for an answer of %d, the answer took %d", i+1, p.completion, u.CompletionTokens)
		}
		if i > 0 && p.total()-u.Total() > completionReserve+200 {
			t.Errorf("call %d: projected %d tokens, the call used %d", i+1, p.total(), u.Total())
		}
		t.Logf("call %d: projected %d (prompt %d + answer %d), used %d (%d + %d)", i+1, p.total(), p.prompt, p.completion, u.Total(), u.PromptTokens, u.CompletionTokens)
	}
}

// TestCappedAnalystTripsOnAnyPrompt: with 99,000 of 100,000 tokens used, no prompt fits a
// call with room for an answer, however short: the guard stops before the first model call.
func TestCappedAnalystTripsOnAnyPrompt(t *testing.T) {
	model := startDemo(t)
	for _, prompt := range []string{"hi", "?", seedPrompt} {
		w := newWorld(t, "capped-analyst")
		r := w.runner(t, model, realTools(t, w), nil)
		if out := r.Ask(context.Background(), prompt); out != OutcomeBudgetExhausted {
			t.Errorf("%q: outcome %s, want budget_exhausted", prompt, out)
		}
		if n := len(w.rec.kind(KindModelResponse)); n != 0 {
			t.Errorf("%q: %d model turns ran before the guard stopped", prompt, n)
		}
		if ex := w.rec.last(KindBudgetExhausted); ex.Limit != "tokens/day" {
			t.Errorf("%q: exhausted %+v", prompt, ex)
		}
		_ = r.Close()
	}
}
