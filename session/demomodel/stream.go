package demomodel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// fingerprint is the system_fingerprint the endpoint reports: the planner's version.
const fingerprint = "fp_lumodash_planner_2"

// rendered is one choice of a reply as it goes on the wire: its content or tool calls, cut
// at the request's token limit (finish_reason "length") as a real model's would be.
type rendered struct {
	content string
	calls   []toolCall
	finish  string
	tokens  int64 // completion tokens, estimated as for the prompt
}

// tokensOf estimates tokens as bytes/4, the measure lumodash's session uses when a
// server reports no usage, so the two never disagree about the same text.
func tokensOf(n int) int64 { return int64(n/4 + 1) }

func render(rep reply, id string, choice, maxTokens int) rendered {
	out := rendered{content: rep.Content, calls: rep.toolCalls(id, choice), finish: "stop"}
	if len(out.calls) > 0 {
		out.finish, out.content = "tool_calls", ""
	}
	size := len(out.content)
	for _, c := range out.calls {
		size += len(c.Function.Name) + len(c.Function.Arguments)
	}
	out.tokens = tokensOf(size)
	if maxTokens <= 0 || out.tokens <= int64(maxTokens) {
		return out
	}
	budget := maxTokens * 4
	out.finish, out.tokens = "length", int64(maxTokens)
	out.content = cutRunes(out.content, budget)
	for i := range out.calls {
		budget -= len(out.calls[i].Function.Name)
		out.calls[i].Function.Arguments = cutRunes(out.calls[i].Function.Arguments, max(budget, 0))
		budget -= len(out.calls[i].Function.Arguments)
		if budget <= 0 {
			out.calls = out.calls[:i+1]
			break
		}
	}
	return out
}

func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// estimateUsage counts the prompt as the bytes of the messages and tool definitions sent,
// and the completion as the bytes of every choice, both /4 (Usage.Estimated on screen).
func estimateUsage(req chatRequest, choices []rendered) usage {
	var u usage
	u.PromptTokens = tokensOf(req.MessagesJSON + req.ToolsJSON)
	for _, c := range choices {
		u.CompletionTokens += c.tokens
	}
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	return u
}

// stream writes the choices as server-sent events the way the OpenAI API does: per choice
// the role, then word chunks or, per tool call, a delta with its index, id and name and
// then its arguments in fragments; the finish reason; a usage chunk with no choices when
// asked for; then [DONE].
func (h *handler) stream(w http.ResponseWriter, r *http.Request, req chatRequest, id string, choices []rendered, u usage) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, &apiError{status: http.StatusInternalServerError, kind: "server_error", message: "this connection cannot stream"})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	hd := head(id, "chat.completion.chunk", h.opts.Now())
	send := func(choices []chunkChoice, us *usage) bool {
		if choices == nil {
			choices = []chunkChoice{}
		}
		b, _ := json.Marshal(chunk{responseHead: hd, Choices: choices, Usage: us})
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return false
		}
		flusher.Flush()
		return true
	}
	for k, c := range choices {
		for _, piece := range c.pieces() {
			if h.opts.Pace > 0 {
				select {
				case <-r.Context().Done():
					return
				case <-time.After(h.opts.Pace):
				}
			}
			if r.Context().Err() != nil || !send([]chunkChoice{{Index: k, Delta: piece}}, nil) {
				return
			}
		}
		if !send([]chunkChoice{{Index: k, Delta: delta{}, FinishReason: &choices[k].finish}}, nil) {
			return
		}
	}
	if req.IncludeUsage && !send(nil, &u) {
		return
	}
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	flusher.Flush()
}

// argFragment is the most bytes of arguments one delta carries, about what a real model
// streams per token or two.
const argFragment = 7

// pieces are a choice's deltas: the role with empty content, then the content in word
// chunks; or for each tool call one delta with its index, id, type and name and empty
// arguments, then the arguments in fragments clients must reassemble.
func (c rendered) pieces() []delta {
	empty := ""
	if len(c.calls) == 0 {
		out := []delta{{Role: "assistant", Content: &empty}}
		for _, w := range wordChunks(c.content) {
			out = append(out, delta{Content: &w})
		}
		return out
	}
	out := []delta{{Role: "assistant"}}
	for i, tc := range c.calls {
		idx := i
		out = append(out, delta{ToolCalls: []toolCall{{Index: &idx, ID: tc.ID, Type: "function", Function: functionCall{Name: tc.Function.Name}}}})
		args := tc.Function.Arguments
		for len(args) > 0 {
			n := len(cutRunes(args, argFragment))
			if n == 0 {
				n = len(args)
			}
			out = append(out, delta{ToolCalls: []toolCall{{Index: &idx, Function: functionCall{Arguments: args[:n]}}}})
			args = args[n:]
		}
	}
	return out
}

// wordChunks splits s after each run of spaces, keeping every byte.
func wordChunks(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s, " \n")
		if i < 0 {
			out = append(out, s)
			break
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
			j++
		}
		out = append(out, s[:j])
		s = s[j:]
	}
	return out
}
