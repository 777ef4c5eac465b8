package session

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/openai/openai-go/v3"
)

// msgKind is a history message's part in its request.
type msgKind int

const (
	msgPrompt msgKind = iota // the user's prompt
	msgStep                  // an assistant message with tool calls, or a tool result
	msgAnswer                // the assistant's answer
)

// histMsg is one message of the conversation, with what trimming needs to know.
type histMsg struct {
	param  openai.ChatCompletionMessageParamUnion
	req    int // the request (Ask) it belongs to, from 1
	kind   msgKind
	bytes  int    // size of its JSON
	text   string // a prompt's text; a tool result's text (with callID), to shorten it
	callID string
}

func newHistMsg(p openai.ChatCompletionMessageParamUnion, req int, kind msgKind) histMsg {
	b, _ := p.MarshalJSON()
	return histMsg{param: p, req: req, kind: kind, bytes: len(b)}
}

func toolHistMsg(text, callID string, req int) histMsg {
	m := newHistMsg(openai.ToolMessage(text, callID), req, msgStep)
	m.text, m.callID = text, callID
	return m
}

// trim says what a request leaves out of the conversation to fit the context window.
type trim struct {
	compacted int      // earlier requests sent as prompt and answer only (their tool calls left out)
	dropped   int      // earlier requests left out entirely
	prompts   []string // the prompts of those, oldest first
	shortened int      // tool results of the current request shortened
	left      int      // messages left out
}

func (t trim) empty() bool { return t.compacted+t.dropped+t.shortened == 0 }

// requestPlan is the next model request: its messages and their estimated size.
type requestPlan struct {
	msgs    []openai.ChatCompletionMessageParamUnion
	bytes   int // request JSON: messages and tool definitions
	history int // of bytes, those of earlier requests
	tokens  int64
	trim    trim
}

// shortToolText is what a tool result of the current request is cut to when the request
// does not fit otherwise.
const shortToolText = 1024

// planRequest fits the conversation into limit tokens (0 = no limit): first the oldest
// earlier requests lose their tool calls and results (their answers stay), then the oldest
// are left out whole, then the current request's longest tool results are shortened. A tool
// call always goes with its result; the system message says what was left out.
func (r *Runner) planRequest(limit int64) requestPlan {
	keep := make([]bool, len(r.history))
	short := map[int]bool{}
	byReq := map[int][]int{}
	var t trim
	total := r.toolsJSONLen
	for i, m := range r.history {
		keep[i] = true
		total += m.bytes
		byReq[m.req] = append(byReq[m.req], i)
	}
	system := func() openai.ChatCompletionMessageParamUnion {
		return openai.SystemMessage(r.cfg.Instructions + t.note())
	}
	size := func() int { b, _ := system().MarshalJSON(); return total + len(b) }
	fits := func() bool { return limit <= 0 || r.tokensOf(size()) <= limit }
	leave := func(i int) { keep[i], total, t.left = false, total-r.history[i].bytes, t.left+1 }
	cur := r.reqSeq
	for req := 1; req < cur && !fits(); req++ { // earlier requests: tool steps out, answer kept
		answered := slices.ContainsFunc(byReq[req], func(i int) bool { return r.history[i].kind == msgAnswer })
		for _, i := range byReq[req] {
			if r.history[i].kind == msgStep || !answered {
				leave(i)
			}
		}
		if answered {
			t.compacted++
		} else if len(byReq[req]) > 0 {
			t.dropped++
			t.prompts = append(t.prompts, r.promptOf(byReq[req]))
		}
	}
	for req := 1; req < cur && !fits(); req++ { // then whole earlier requests
		gone := false
		for _, i := range byReq[req] {
			if keep[i] {
				leave(i)
				gone = true
			}
		}
		if gone {
			t.compacted--
			t.dropped++
			t.prompts = append(t.prompts, r.promptOf(byReq[req]))
		}
	}
	for !fits() { // the current request's longest tool result, shortened
		longest := -1
		for _, i := range byReq[cur] {
			m := r.history[i]
			if m.callID != "" && !short[i] && len(m.text) > shortToolText && (longest < 0 || m.bytes > r.history[longest].bytes) {
				longest = i
			}
		}
		if longest < 0 {
			break
		}
		short[longest] = true
		t.shortened++
		total -= r.history[longest].bytes - shortened(r.history[longest]).bytes
	}
	p := requestPlan{msgs: []openai.ChatCompletionMessageParamUnion{system()}, trim: t}
	for i, m := range r.history {
		switch {
		case !keep[i]:
			continue
		case short[i]:
			m = shortened(m)
		}
		p.msgs = append(p.msgs, m.param)
		if m.req < cur {
			p.history += m.bytes
		}
	}
	p.bytes = size()
	p.tokens = r.tokensOf(p.bytes)
	return p
}

// shortened is m, a tool result, cut to shortToolText bytes with a note saying so.
func shortened(m histMsg) histMsg {
	text := clipText(m.text, shortToolText) + fmt.Sprintf("\n[lumodash: shortened from %d bytes to fit the model's context window]", len(m.text))
	return toolHistMsg(text, m.callID, m.req)
}

// promptOf is the prompt among the messages at idx.
func (r *Runner) promptOf(idx []int) string {
	for _, i := range idx {
		if r.history[i].kind == msgPrompt {
			return r.history[i].text
		}
	}
	return ""
}

// note is what the system message adds about what was left out ("" = nothing).
func (t trim) note() string {
	if t.compacted+t.dropped == 0 {
		return ""
	}
	var parts []string
	if t.compacted > 0 {
		parts = append(parts, fmt.Sprintf("the tool calls and results of %d earlier %s (their answers are kept)", t.compacted, plural(t.compacted, "request", "requests")))
	}
	if t.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d earlier %s entirely%s", t.dropped, plural(t.dropped, "request", "requests"), t.promptList()))
	}
	return "\n\n[lumodash] To fit your context window, this conversation leaves out " + strings.Join(parts, " and ") + "."
}

// promptList quotes the latest few prompts left out.
func (t trim) promptList() string {
	ps := t.prompts[max(0, len(t.prompts)-3):]
	if len(ps) == 0 {
		return ""
	}
	var q []string
	for _, p := range ps {
		b, _ := json.Marshal(clipText(p, 60))
		q = append(q, string(b))
	}
	more := ""
	if len(t.prompts) > len(ps) {
		more = ", …"
	}
	return " (the latest: " + strings.Join(q, ", ") + more + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// tokensOf estimates the tokens of n bytes of request JSON: about 4 bytes a token, scaled by
// what the server counted for earlier requests.
func (r *Runner) tokensOf(n int) int64 { return int64(float64(n)*r.calibration/4) + 1 }
