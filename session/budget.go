package session

import (
	"context"
	"fmt"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/numfmt"
)

// The room kept for the coming call's answer: before the session has seen an answer of its
// own, a typical analyst answer (a page of prose with a few figures is 500–1,000 tokens);
// afterwards the largest answer so far, at least completionReserve (see answerReserve).
const (
	firstAnswerReserve = 1024
	completionReserve  = 256
)

// projection is the budget guard's estimate of the coming model call.
type projection struct {
	prompt, completion int64
}

func (p projection) total() int64 { return p.prompt + p.completion }

// budgetShown is what a budget.update tells a reader: the meters, the limits and the
// session's usage and cost.
type budgetShown struct {
	tokens, maxTokens, calls, maxCalls int64
	usage                              Usage
	cost                               Cost
}

func newBudgetShown(p auth.BudgetPolicy, u Usage, c Cost) budgetShown {
	return budgetShown{p.TokensUsedToday, p.MaxTokensPerDay, p.APICallsThisHour, p.MaxAPICallsPerHour, u, c}
}

// budget reads the agent's budget (auth caches it and asks the server again after a usage
// report), counts the usage the server could not be told about, and emits budget.update when
// what it shows changed.
func (r *Runner) budget(ctx context.Context) (auth.BudgetStatus, error) {
	st, err := r.cfg.Agent.BudgetExhausted(ctx)
	if err != nil {
		return st, err
	}
	st.Policy.TokensUsedToday += r.unreported
	p := st.Policy
	if shown := newBudgetShown(p, r.usage, r.cost); shown != r.lastBudget {
		r.lastBudget = shown
		r.emit(Event{Kind: KindBudgetUpdate, Budget: &p, SessionUse: ptr(r.usage), SessionCost: ptr(r.cost)})
	}
	return st, nil
}

// guard is the budget check made before the run and before every model call: it refreshes
// the agent's budget (budget), warns once per limit at WarnPercent, and stops when a limit is
// spent — the server's (tokens/day, calls/hour) or the local caps (--max-tokens, --max-cost).
// next is the projection of the coming model call (zero before the run): a token limit that
// cannot fit it counts as spent, so a call is not started only to overrun the budget.
func (r *Runner) guard(ctx context.Context, next projection) (Outcome, bool) {
	st, err := r.budget(ctx)
	if err != nil {
		if ctx.Err() != nil {
			r.stopReason = "cancelled"
			return OutcomeCancelled, true
		}
		r.stopReason = "could not check the agent's budget: " + err.Error()
		r.emit(Event{Kind: KindError, Outcome: OutcomeAuthError, Err: errorInfo(fmt.Errorf("could not check the agent's budget: %w", err))})
		return OutcomeAuthError, true
	}
	p := st.Policy

	type limit struct {
		name       string
		used, max  float64
		resetsAt   time.Time
		unit, hint string
		next       float64 // what the coming call needs of this limit
	}
	limits := []limit{
		{"tokens/day", float64(p.TokensUsedToday), float64(p.MaxTokensPerDay), p.TokensResetAt, "tokens", "the agent's daily token budget", float64(next.total())},
		{"calls/hour", float64(p.APICallsThisHour), float64(p.MaxAPICallsPerHour), p.CallsResetAt, "API calls", "the agent's hourly API-call budget", 0},
		{"session tokens", float64(r.usage.Total()), float64(r.cfg.MaxTokens), time.Time{}, "tokens", "--max-tokens", float64(next.total())},
	}
	if r.cfg.MaxCost > 0 {
		if r.cost.Priced && r.cost.Note != NoteLocal {
			limits = append(limits, limit{"session cost", r.cost.USD, r.cfg.MaxCost, time.Time{}, "USD", "--max-cost", 0})
		} else if !r.warned["session cost"] && r.usage.Total() > 0 {
			r.warned["session cost"] = true
			r.emit(Event{Kind: KindBudgetWarning, Limit: "session cost", Text: fmt.Sprintf("--max-cost cannot be enforced: the cost of model %s is %s", r.cfg.Model.Name, r.cost)})
		}
	}
	for _, l := range limits {
		if l.max <= 0 {
			continue
		}
		pct := 100 * l.used / l.max
		spent := l.used >= l.max || (st.Exhausted && st.Limit == l.name)
		if spent || (l.next > 0 && l.used+l.next > l.max) {
			msg := fmt.Sprintf("budget exhausted: %s — %s of %s %s used (%s)", l.name, num(l.used, l.unit), num(l.max, l.unit), l.unit, l.hint)
			if !spent {
				msg = fmt.Sprintf("budget exhausted: %s — the next model call needs about %s tokens (a prompt of ~%s and room for an answer of ~%s) but only %s of %s remain (%s)",
					l.name, num(l.next, l.unit), numfmt.Group(next.prompt), numfmt.Group(next.completion), num(max(l.max-l.used, 0), l.unit), num(l.max, l.unit), l.hint)
			}
			if !l.resetsAt.IsZero() {
				msg += fmt.Sprintf("; resets at %s (in %s)", numfmt.Stamp(l.resetsAt), numfmt.Duration(time.Until(l.resetsAt)))
			} else if l.name == "session tokens" || l.name == "session cost" {
				msg += "; a new session starts from zero, or raise " + l.hint
			}
			r.stopReason = msg
			r.emit(Event{Kind: KindBudgetExhausted, Budget: &p, Limit: l.name, Percent: pct, ResetsAt: l.resetsAt, Text: msg, Outcome: OutcomeBudgetExhausted})
			return OutcomeBudgetExhausted, true
		}
		if pct >= r.cfg.WarnPercent && !r.warned[l.name] {
			r.warned[l.name] = true
			r.emit(Event{Kind: KindBudgetWarning, Budget: &p, Limit: l.name, Percent: pct, ResetsAt: l.resetsAt,
				Text: fmt.Sprintf("%s at %s: %s of %s %s used", l.name, numfmt.Percent(pct), num(l.used, l.unit), num(l.max, l.unit), l.unit)})
		}
	}
	return "", false
}

// account adds a turn's usage to the request and the session, emits model.response, reports
// the usage to the authorization server and reads the budget again, so the gauges move after
// every turn rather than before the next one. A server's own count calibrates the estimates
// of the requests that follow.
func (r *Runner) account(ctx context.Context, turn int, req *request, m modelReply, plan requestPlan) {
	u := m.usage
	if plan.bytes > 0 {
		u.HistoryTokens = u.PromptTokens * int64(plan.history) / int64(plan.bytes)
		if !u.Estimated && u.PromptTokens > 0 {
			r.calibration = min(max(r.calibration*float64(u.PromptTokens)/float64(plan.tokens), 0.25), 4)
		}
	}
	cost := r.prices.Cost(r.cfg.Model.Name, u, r.cfg.Model.Embedded)
	req.usage, req.cost = req.usage.Add(u), req.cost.Add(cost)
	r.usage, r.cost = r.usage.Add(u), r.cost.Add(cost)
	r.maxCompletion = max(r.maxCompletion, u.CompletionTokens)
	text := m.content
	if m.refusal != "" {
		text = m.refusal
	}
	r.emit(Event{Kind: KindModelResponse, Model: m.model, Turn: turn, Usage: &u, Cost: &cost, Status: Status(m.finish),
		SessionUse: ptr(r.usage), SessionCost: ptr(r.cost), Duration: m.duration, Text: text, Count: len(m.calls)})
	if err := r.cfg.Agent.ReportUsage(ctx, r.cfg.Model.Name, u.PromptTokens, u.CompletionTokens); err != nil {
		r.unreported += u.Total() // still counted against the budget, locally
	}
	_, _ = r.budget(ctx) // a failure here is the next guard's to report
}

func num(v float64, unit string) string {
	if unit == "USD" {
		return numfmt.USD(v)
	}
	return numfmt.Group(int64(v))
}
