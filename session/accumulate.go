package session

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/openai/openai-go/v3"
)

// turnStream accumulates one streamed model turn from its raw chunks. It is written for the
// servers as they are, not as the OpenAI reference says they should be:
//   - a chunk id that changes on every chunk is accepted (LiteLLM, litellm PR #37792);
//   - tool calls are kept apart by index, and also without one: a delta with a new id, or a
//     new name, at an index whose call already has complete JSON arguments starts a new call
//     (Ollama puts parallel calls all at index 0, ollama#15457/#15497, or omits the index,
//     ollama#7881);
//   - a tool-call id that changes on every delta of one call keeps the first (LM Studio);
//   - a function name resent on every delta is not appended to itself (NVIDIA NIM, MiniMax),
//     while a name streamed in pieces is joined;
//   - arguments may come whole or in fragments, the id only on the first delta, fields
//     empty or missing, content before or alongside the calls.
type turnStream struct {
	content, refusal strings.Builder
	calls            []*callBuilder
	atIndex          map[int64]*callBuilder // the latest call at each index
	last             *callBuilder           // the latest call, for deltas without an index
	finish           string
	usage            openai.CompletionUsage
	hasUsage         bool
	model            string
}

type callBuilder struct {
	id, name string
	args     strings.Builder
}

// complete says the arguments so far are one whole JSON value.
func (c *callBuilder) complete() bool {
	s := strings.TrimSpace(c.args.String())
	return s != "" && json.Valid([]byte(s))
}

// add takes one chunk and returns the text it adds to the answer and to a refusal.
func (s *turnStream) add(chunk openai.ChatCompletionChunk) (text, refusal string) {
	s.model = cmp.Or(s.model, chunk.Model)
	if chunk.JSON.Usage.Valid() && chunk.Usage.TotalTokens+chunk.Usage.PromptTokens > 0 {
		s.usage, s.hasUsage = chunk.Usage, true
	}
	for _, c := range chunk.Choices {
		if c.Index != 0 { // only the first choice is asked for (n = 1)
			continue
		}
		s.content.WriteString(c.Delta.Content)
		s.refusal.WriteString(c.Delta.Refusal)
		text, refusal = text+c.Delta.Content, refusal+c.Delta.Refusal
		for _, tc := range c.Delta.ToolCalls {
			s.addCall(tc)
		}
		if c.FinishReason != "" {
			s.finish = c.FinishReason
		}
	}
	return text, refusal
}

func (s *turnStream) addCall(tc openai.ChatCompletionChunkChoiceDeltaToolCall) {
	hasIndex := tc.JSON.Index.Valid()
	cur := s.last
	if hasIndex {
		cur = s.atIndex[tc.Index]
	}
	if cur == nil || startsNewCall(cur, tc) {
		cur = &callBuilder{}
		s.calls = append(s.calls, cur)
	}
	if hasIndex {
		if s.atIndex == nil {
			s.atIndex = map[int64]*callBuilder{}
		}
		s.atIndex[tc.Index] = cur
	}
	s.last = cur
	if cur.id == "" {
		cur.id = tc.ID
	}
	switch name := tc.Function.Name; {
	case name == "" || name == cur.name: // not sent, or resent
	case cur.args.Len() == 0:
		cur.name += name // the first name, or the next piece of one
	}
	cur.args.WriteString(tc.Function.Arguments)
}

// startsNewCall says whether delta tc begins a call after cur at the same index.
func startsNewCall(cur *callBuilder, tc openai.ChatCompletionChunkChoiceDeltaToolCall) bool {
	newID := tc.ID != "" && cur.id != "" && tc.ID != cur.id
	newName := tc.Function.Name != "" && cur.name != "" && tc.Function.Name != cur.name
	if newID && newName {
		return true
	}
	more := strings.TrimSpace(tc.Function.Arguments) != ""
	return cur.complete() && (newID || newName || more)
}

// reply is the accumulated turn. Calls get an id when the server sent none (and a unique
// one when it sent the same twice); arguments that are not JSON are marked, never fixed up.
func (s *turnStream) reply(turn int, fallbackModel string) modelReply {
	m := modelReply{content: s.content.String(), refusal: s.refusal.String(), finish: s.finish, model: cmp.Or(s.model, fallbackModel)}
	seen := map[string]bool{}
	for i, c := range s.calls {
		id := c.id
		if id == "" || seen[id] {
			id = fmt.Sprintf("call_t%d_%d", turn, i+1)
		}
		seen[id] = true
		mc := modelCall{id: id, name: c.name, args: strings.TrimSpace(c.args.String())}
		if mc.args == "" {
			mc.args = "{}" // a call without arguments
		}
		if !json.Valid([]byte(mc.args)) {
			mc.invalid = true
		}
		m.calls = append(m.calls, mc)
	}
	if s.hasUsage {
		u := s.usage
		m.usage = Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens,
			CachedTokens: u.PromptTokensDetails.CachedTokens, ReasoningTokens: u.CompletionTokensDetails.ReasoningTokens}
	}
	return m
}
