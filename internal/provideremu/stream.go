package provideremu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// streamer writes one streamed completion the way its profile's server does.
type streamer struct {
	w         http.ResponseWriter
	p         Profile
	id        string
	created   int64
	usageKey  bool // OpenAI: "usage":null on every chunk once include_usage is set
	sendUsage bool
	first     bool
	out       strings.Builder // everything generated, for completion_tokens
}

func newStreamer(w http.ResponseWriter, p Profile, sendUsage bool) *streamer {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	openAI := p.Name == "openai" || p.Name == "o-series"
	return &streamer{w: w, p: p, id: p.ChunkID(), created: time.Now().Unix(), usageKey: openAI && sendUsage, sendUsage: sendUsage, first: true}
}

func (s *streamer) event(v any) {
	b, _ := json.Marshal(v)
	fmt.Fprintf(s.w, "data: %s\n\n", b)
	s.w.(http.Flusher).Flush()
}

// chunk sends one chunk with choice 0 carrying delta (nil = no choices) and finish reason.
func (s *streamer) chunk(delta map[string]any, finish string, usage map[string]any) {
	if s.p.ChunkIDNew && !s.first {
		s.id = s.p.ChunkID()
	}
	c := map[string]any{"id": s.id, "object": "chat.completion.chunk", "created": s.created, "model": s.p.Model,
		"system_fingerprint": "fp_" + s.p.Name}
	choices := []any{}
	if delta != nil {
		if s.first {
			delta["role"] = "assistant"
		}
		s.first = false
		var fr any
		if finish != "" {
			fr = finish
		}
		choices = append(choices, map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": fr})
	}
	c["choices"] = choices
	if usage != nil || s.usageKey {
		c["usage"] = usage
	}
	s.event(c)
}

func (s *streamer) textDelta() map[string]any {
	d := map[string]any{}
	switch {
	case s.p.EmptyText:
		d["content"] = ""
	case s.p.NullText:
		d["content"] = nil
	}
	return d
}

// content streams text a word or two at a time.
func (s *streamer) content(text string) {
	s.out.WriteString(text)
	for _, piece := range strings.SplitAfter(text, " ") {
		if piece != "" {
			s.chunk(map[string]any{"content": piece}, "", nil)
		}
	}
}

// refusal streams a refusal in delta.refusal, content null, as OpenAI does.
func (s *streamer) refusal(text string) {
	s.out.WriteString(text)
	for _, piece := range strings.SplitAfter(text, " ") {
		s.chunk(map[string]any{"content": nil, "refusal": piece}, "", nil)
	}
}

// toolCalls streams calls with the profile's indices, ids, names and fragments. cut ends the
// stream halfway through the last call's arguments (an output-length cut).
func (s *streamer) toolCalls(calls []call, cut bool) {
	for i, c := range calls {
		id, argsText := s.p.CallID(i), c.args
		if cut && i == len(calls)-1 {
			argsText = argsText[:len(argsText)/2]
		}
		s.out.WriteString(c.name + argsText)
		frags := fragments(argsText, s.p.Fragment)
		header := s.p.Fragment > 0 && !s.p.CallIDEvery && !s.p.NameEvery
		if header { // a first delta with id, type and name only
			frags = append([]string{""}, frags...)
		}
		for j, f := range frags {
			tc := map[string]any{}
			switch s.p.Index {
			case IndexCorrect:
				tc["index"] = i
			case IndexAllZero:
				tc["index"] = 0
			}
			fn := map[string]any{}
			if j == 0 || s.p.CallIDEvery {
				if j > 0 {
					id = s.p.CallID(i)
				}
				tc["id"], tc["type"] = id, "function"
			}
			if j == 0 || s.p.NameEvery {
				fn["name"] = c.name
			}
			if !(header && j == 0 && s.p.NoArgsKey) {
				fn["arguments"] = f
			}
			tc["function"] = fn
			d := s.textDelta()
			d["tool_calls"] = []any{tc}
			s.chunk(d, "", nil)
		}
	}
}

// fragments splits s into pieces of n bytes (n = 0: one piece).
func fragments(s string, n int) []string {
	if n <= 0 || len(s) <= n {
		return []string{s}
	}
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

// start sends the opening chunk: the role and empty content (OpenAI adds "refusal":null).
func (s *streamer) start() {
	d := map[string]any{"content": ""}
	if s.usageKey || s.p.Name == "openai" || s.p.Name == "o-series" {
		d["refusal"] = nil
	}
	s.chunk(d, "", nil)
}

// finish sends the finish chunk, usage as the profile does, and [DONE].
func (s *streamer) finish(reason string, prompt int) {
	var usage map[string]any
	if s.sendUsage {
		completion := completionTokens(s.out.String()) + s.p.Reasoning
		usage = map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
			"prompt_tokens_details": map[string]any{"cached_tokens": 0}}
		if s.p.Reasoning > 0 {
			usage["completion_tokens_details"] = map[string]any{"reasoning_tokens": s.p.Reasoning}
		}
	}
	switch {
	case s.p.Usage == UsageAlways: // llama-server: usage and its timings on the final chunk
		c := map[string]any{"id": s.id, "object": "chat.completion.chunk", "created": s.created, "model": s.p.Model,
			"choices": []any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": reason}}}
		if usage != nil {
			c["usage"] = usage
			c["timings"] = map[string]any{"prompt_n": prompt, "predicted_n": usage["completion_tokens"]}
		}
		s.event(c)
	case s.p.UsageOnLast: // Ollama's FinishChunk
		s.chunk(map[string]any{}, reason, usage)
	default:
		s.chunk(map[string]any{}, reason, nil)
		if usage != nil {
			s.chunk(nil, "", usage)
		}
	}
	fmt.Fprint(s.w, "data: [DONE]\n\n")
	s.w.(http.Flusher).Flush()
}

// streamError ends the stream with an error event, as vLLM does when generation fails
// mid-stream (an SSE data line holding {"error": …}, then the connection closes).
func (s *streamer) streamError(message string) {
	s.event(map[string]any{"error": map[string]any{"message": message, "type": "server_error", "param": nil, "code": nil}})
}
