package session

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/openai/openai-go/v3"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/tools"
)

// request is the state of one Ask.
type request struct {
	answer string
	denied bool // a tool call was denied
	failed bool // a tool call failed for a reason other than the model's own mistake
	usage  Usage
	cost   Cost
	err    error
}

// keepsNoHistory says a request that ended so leaves no messages behind: it failed before
// the model answered, and a half-done exchange would only confuse (or break) later requests.
func keepsNoHistory(o Outcome) bool {
	switch o {
	case OutcomeModelError, OutcomeBudgetExhausted, OutcomeMaxTurns, OutcomeAuthError, OutcomeError:
		return true
	}
	return false
}

func (r *Runner) loop(ctx context.Context, req *request) Outcome {
	shrunk := false // a context_length_exceeded answer is met by trimming and one retry
	for turn := 1; ; {
		if ctx.Err() != nil {
			req.err = ctx.Err()
			return OutcomeCancelled
		}
		plan := r.fitRequest(turn)
		r.projected = projection{prompt: plan.tokens, completion: r.answerReserve()}
		if o, stop := r.guard(ctx, r.projected); stop {
			req.err = errors.New(r.stopReason)
			return o
		}
		reply, err := r.complete(ctx, turn, plan)
		if err != nil {
			var me *ModelError
			if errors.As(err, &me) && me.Code == codeContextExceeded && !shrunk && ctx.Err() == nil && r.shrink(turn, me, plan) {
				shrunk = true
				continue
			}
			req.err = err
			if ctx.Err() != nil {
				return OutcomeCancelled
			}
			r.emit(Event{Kind: KindError, Turn: turn, Err: errorInfo(err)})
			return OutcomeModelError
		}
		shrunk = false
		r.account(ctx, turn, req, reply, plan)
		r.resolveWindow(ctx)
		if o, done := r.settle(ctx, turn, req, reply); done {
			return o
		}
		turn++
	}
}

// fitRequest plans the next request within the context window and reports what it leaves
// out when that changed.
func (r *Runner) fitRequest(turn int) requestPlan {
	plan := r.planRequest(r.promptLimit())
	if t := plan.trim; !sameTrim(t, r.lastTrim) {
		r.lastTrim = t
		if !t.empty() {
			r.emit(Event{Kind: KindContextTrim, Turn: turn, Count: t.left, Text: t.describe(r.window), Context: r.contextUse(plan)})
		}
	}
	return plan
}

func sameTrim(a, b trim) bool {
	return a.compacted == b.compacted && a.dropped == b.dropped && a.shortened == b.shortened && a.left == b.left
}

// describe says for people what the request leaves out, what first (a log row is short).
func (t trim) describe(w contextWindow) string {
	var parts []string
	if t.compacted > 0 {
		parts = append(parts, fmt.Sprintf("the tool calls and results of %d earlier %s (their answers kept)", t.compacted, plural(t.compacted, "request", "requests")))
	}
	if t.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d earlier %s entirely%s", t.dropped, plural(t.dropped, "request", "requests"), t.promptList()))
	}
	if t.shortened > 0 {
		parts = append(parts, fmt.Sprintf("all but %s bytes of %d long tool %s of this request", numfmt.Group(shortToolText), t.shortened, plural(t.shortened, "result", "results")))
	}
	n := t.left + t.shortened
	return fmt.Sprintf("left out: %s — %d %s, to fit the %s-token context window (%s)",
		strings.Join(parts, "; "), n, plural(n, "message", "messages"), numfmt.Group(w.tokens), w.source)
}

// promptLimit is the most tokens a request may have (0 = no limit): the window less the
// answer's room, and 5 % for the estimate's error.
func (r *Runner) promptLimit() int64 {
	w := r.window.tokens
	if w <= 0 {
		return 0
	}
	return max((w-r.answerReserve())*95/100, w/4)
}

// answerReserve is the room kept for the answer: a typical answer (firstAnswerReserve)
// until the session has seen one, then the largest so far, at least completionReserve; at
// most a quarter of the window.
func (r *Runner) answerReserve() int64 {
	n := max(completionReserve, r.maxCompletion)
	if r.maxCompletion == 0 {
		n = firstAnswerReserve
	}
	if w := r.window.tokens; w > 0 {
		n = min(n, w/4)
	}
	return n
}

func (r *Runner) contextUse(p requestPlan) *ContextUse {
	hist := int64(0)
	if p.bytes > 0 {
		hist = p.tokens * int64(p.history) / int64(p.bytes)
	}
	return &ContextUse{Tokens: p.tokens, Window: r.window.tokens, Source: r.window.source, Reserve: r.answerReserve(), History: hist}
}

// shrink meets a context_length_exceeded answer: it learns the window from it and reports
// whether a smaller request can be tried.
func (r *Runner) shrink(turn int, me *ModelError, sent requestPlan) bool {
	r.learnWindow(me, sent.tokens)
	next := r.planRequest(r.promptLimit())
	if next.tokens >= sent.tokens {
		me.Message += fmt.Sprintf("; the request (about %s tokens) cannot be made smaller: nothing earlier is left to leave out", numfmt.Group(sent.tokens))
		return false
	}
	r.emit(Event{Kind: KindModelRetry, Model: r.cfg.Model.Name, Turn: turn, Attempt: 2, HTTPStatus: me.Status, Err: errorInfo(me), Context: r.contextUse(next),
		Text: fmt.Sprintf("the request (about %s tokens) did not fit the model's context window; retrying once with about %s tokens",
			numfmt.Group(sent.tokens), numfmt.Group(next.tokens))})
	return true
}

// settle takes a model turn into the history: an answer (cut, filtered or refused ones
// said to be so), or tool calls, which it runs. done says the request is over.
func (r *Runner) settle(ctx context.Context, turn int, req *request, reply modelReply) (Outcome, bool) {
	calls := reply.calls
	if len(calls) == 0 && reply.refusal == "" {
		calls, reply.content = r.textToolCalls(turn, reply.content)
	}
	if o, stopped := r.stopped(turn, req, reply, calls); stopped {
		return o, true
	}
	r.history = append(r.history, r.assistantMsg(reply.content, calls))
	if len(calls) == 0 {
		req.answer = reply.content
		return OutcomeOK, true
	}
	if turn >= r.cfg.MaxTurns {
		for _, c := range calls {
			r.history = append(r.history, r.toolMsg(c.id, "Error: not run: the request reached its limit of model turns."))
		}
		req.err = fmt.Errorf("the model was still calling tools after %d model turns; stopped (raise --max-turns if the task needs more)", r.cfg.MaxTurns)
		r.emit(Event{Kind: KindError, Turn: turn, Outcome: OutcomeMaxTurns, Err: &ErrorInfo{Code: "max_turns", Message: req.err.Error()}})
		return OutcomeMaxTurns, true
	}
	outs := r.runTools(ctx, turn, calls)
	for i, c := range calls {
		switch out := outs[i]; {
		case out.Status == tools.StatusDenied:
			req.denied = true
		case toolFailed(out):
			req.failed = true
		}
		r.history = append(r.history, r.toolMsg(c.id, resultText(c, outs[i].Text)))
	}
	if ctx.Err() != nil {
		req.err = ctx.Err()
		return OutcomeCancelled, true
	}
	return "", false
}

// assistantMsg is the model's turn as a history message. Arguments that are not JSON are
// never sent back (Ollama rejects such a history with 400): {} stands in, and the tool's
// result tells the model what was wrong.
func (r *Runner) assistantMsg(content string, calls []modelCall) histMsg {
	var a openai.ChatCompletionAssistantMessageParam
	if content != "" {
		a.Content.OfString = openai.String(content)
	}
	for _, c := range calls {
		args := c.args
		if c.invalid {
			args = "{}"
		}
		a.ToolCalls = append(a.ToolCalls, openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
			ID: c.id, Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: c.name, Arguments: args}}})
	}
	kind := msgAnswer
	if len(calls) > 0 {
		kind = msgStep
	}
	return newHistMsg(openai.ChatCompletionMessageParamUnion{OfAssistant: &a}, r.reqSeq, kind)
}

func (r *Runner) toolMsg(callID, text string) histMsg {
	if text == "" {
		text = "(the tool returned no content)"
	}
	return toolHistMsg(text, callID, r.reqSeq)
}

// resultText is what the model is told of call's result.
func resultText(c modelCall, text string) string {
	if !c.invalid {
		return text
	}
	return text + fmt.Sprintf(" (The arguments you sent were not valid JSON: %s. The conversation shows {} in their place; call %s again with a complete JSON object.)",
		clipText(c.args, 200), c.name)
}
