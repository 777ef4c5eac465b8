package demomodel

import (
	"fmt"
	"strings"

	"github.com/lumodash/lumodash/internal/safetext"
)

// reply is what the planner decided: either tool calls or a final answer.
type reply struct {
	Content string
	Calls   []call
}

func (rep reply) toolCalls(id string, choice int) []toolCall {
	var out []toolCall
	base := strings.TrimPrefix(id, "chatcmpl-")
	if choice > 0 {
		base += fmt.Sprintf("_c%d", choice)
	}
	for i, c := range rep.Calls {
		out = append(out, toolCall{ID: fmt.Sprintf("call_%s_%d", base, i+1), Type: "function",
			Function: functionCall{Name: c.Name, Arguments: c.argsJSON()}})
	}
	return out
}

// maxRounds is how many turns of tool calls one request may take before the planner
// answers with what it has (a guard; the rules need at most three).
const maxRounds = 4

// planOptions are the request's settings that shape a plan.
type planOptions struct {
	toolChoice string // "auto", "none", "required", or the one function the request forces
	parallel   bool   // several tool calls may go out in one turn
}

// plan reads the conversation: the last user message is the request, the messages after it
// are this request's tool calls and results, and the request before it is the context a
// follow-up refers to. It returns the next tool calls, or the answer when no rule wants more.
func plan(msgs []message, tools []toolDef, opts planOptions) reply {
	if opts.toolChoice != "auto" && opts.toolChoice != "none" && opts.toolChoice != "required" {
		tools = onlyTool(tools, opts.toolChoice)
	}
	ts := findTools(tools)
	last, prevUser := -1, -1
	for i, m := range msgs {
		if m.Role == "user" {
			last, prevUser = i, last
		}
	}
	if last < 0 {
		return reply{Content: capabilities(ts)}
	}
	prompt := safetext.Line(msgs[last].text()) // plan on what a person would see
	var prev previous
	if prevUser >= 0 {
		prev = previousRequest(msgs[prevUser:last], ts)
	}
	st := &state{in: readIntent(prompt, ts, prev), ts: ts}
	rounds := 0
	st.done, rounds = outcomes(msgs[last+1:], ts)
	limit := maxRounds
	if !opts.parallel {
		limit = 4 * maxRounds
	}
	if opts.toolChoice != "none" && rounds < limit {
		var next []call
		if !st.in.chat {
			next = st.next()
		}
		if len(next) == 0 && rounds == 0 && opts.toolChoice != "auto" && ts.docs != "" {
			next = []call{st.searchCall(contentWords(prompt, nil))}
		}
		if !opts.parallel && len(next) > 1 {
			next = next[:1]
		}
		if len(next) > 0 {
			return reply{Calls: next}
		}
	}
	return reply{Content: answer(st, prompt, opts)}
}

// next is the calls the rules want that have not been made in this request.
func (st *state) next() []call {
	made := map[string]bool{}
	for _, o := range st.done {
		made[o.call.key()] = true
	}
	var out []call
	for _, r := range rules {
		for _, c := range r.want(st) {
			if c.Name != "" && !made[c.key()] {
				made[c.key()] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// outcomes pairs this request's tool calls with their results, and counts the turns.
func outcomes(msgs []message, ts toolset) (out []outcome, rounds int) {
	results := map[string]string{}
	for _, m := range msgs {
		if m.Role == "tool" {
			results[m.ToolCallID] = m.text()
		}
	}
	for _, m := range msgs {
		if m.Role != "assistant" || len(m.ToolCalls) == 0 {
			continue
		}
		rounds++
		for _, tc := range m.ToolCalls {
			res, ok := results[tc.ID]
			out = append(out, readOutcome(call{Name: tc.Function.Name, Args: argsOf(tc.Function.Arguments)}, res, ok, ts))
		}
	}
	return out, rounds
}

// previousRequest is what the request in msgs (its user message first) fetched.
func previousRequest(msgs []message, ts toolset) previous {
	var p previous
	p.kind, _ = askedKind(msgs[0].text())
	done, _ := outcomes(msgs[1:], ts)
	seenM, seenP := map[string]bool{}, map[period]bool{}
	for _, o := range done {
		if o.fig == nil {
			continue
		}
		if !seenM[o.fig.metric] {
			seenM[o.fig.metric] = true
			p.metrics = append(p.metrics, o.fig.metric)
		}
		if !seenP[o.fig.period] {
			seenP[o.fig.period] = true
			p.periods = append(p.periods, o.fig.period)
		}
	}
	return p
}

func onlyTool(tools []toolDef, name string) []toolDef {
	for _, t := range tools {
		if t.Function.Name == name {
			return []toolDef{t}
		}
	}
	return nil
}
