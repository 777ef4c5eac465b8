package provideremu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// respond decides the answer to one parsed chat request — the profile's request checks, its
// context window, the injected fault, then the emulated model's turn — and fills in rec. The
// returned function writes it: the request is recorded before its answer is sent, so a
// client that has read the answer finds it in Requests.
func (s *Server) respond(req *chatRequest, rec *Request) func(http.ResponseWriter) {
	p := s.opts.Profile
	t := req.turn()
	if status, body := s.reject(req, rec); status != 0 {
		rec.Status = status
		return func(w http.ResponseWriter) { writeJSON(w, status, body) }
	}
	if rec.PromptTokens > s.opts.Window {
		if p.Overflow != OverflowTruncate {
			rec.Status = http.StatusBadRequest
			return func(w http.ResponseWriter) { overflowError(w, p, rec.PromptTokens, s.opts.Window) }
		}
		rec.Truncated = truncate(req, s.opts.Window)
	}
	f := s.fault(t)
	rec.Fault = f
	if f == FaultContext { // the window as the error states it: smaller than this request
		rec.Status = http.StatusBadRequest
		tokens := rec.PromptTokens
		return func(w http.ResponseWriter) { overflowError(w, p, tokens, tokens*4/5) }
	}
	if status := statusOf(f); status != 0 {
		rec.Status = status
		return func(w http.ResponseWriter) { httpFault(w, f, p.Model) }
	}
	s.mu.Lock()
	s.loaded = true
	s.mu.Unlock()

	rep := think(*req)
	for _, c := range rep.calls {
		rec.Calls = append(rec.Calls, c.name)
	}
	if f == FaultInvalidArgs && len(rep.calls) > 0 {
		bad := len(rep.calls) - 1
		for i, c := range rep.calls {
			if isMetricTool(c.name) {
				bad = i
			}
		}
		rep.calls[bad].args = strings.TrimSuffix(rep.calls[bad].args, "}") // {"metric":"EBITDA","period":"Q3"
	}
	sendUsage := !s.take(FaultNoUsage) && (p.Usage == UsageAlways || p.Usage == UsageWhenAsked && req.wantUsage)
	prompt := promptTokens(*req)
	rec.Status = http.StatusOK
	if !req.Stream {
		return func(w http.ResponseWriter) { s.whole(w, rep, prompt, sendUsage) }
	}
	return func(w http.ResponseWriter) { s.stream(w, rep, f, prompt, sendUsage) }
}

// stream writes the turn as a stream, with the fault's cut, filter, refusal or error.
func (s *Server) stream(w http.ResponseWriter, rep reply, f FaultKind, prompt int, sendUsage bool) {
	p := s.opts.Profile
	st := newStreamer(w, p, sendUsage)
	st.start()
	switch {
	case f == FaultRefusal:
		st.refusal("I'm sorry, but I can't help with that request.")
		st.finish("stop", prompt)
	case len(rep.calls) > 0:
		if text, ok := textCalls(f, rep.calls); ok {
			st.content(text)
			st.finish("stop", prompt)
			break
		}
		if p.Preamble != "" {
			st.content(p.Preamble)
		}
		st.toolCalls(rep.calls, f == FaultLengthInArgs)
		reason := "tool_calls"
		if f == FaultLengthInArgs {
			reason = "length"
		}
		st.finish(reason, prompt)
	case f == FaultLength:
		st.content(part(rep.content, 2))
		st.finish("length", prompt)
	case f == FaultContentFilter:
		st.content(part(rep.content, 3))
		st.finish("content_filter", prompt)
	case f == FaultMidStream:
		st.content(part(rep.content, 2))
		st.streamError("The server had an error while processing your request. Sorry about that!")
	default:
		st.content(rep.content)
		st.finish("stop", prompt)
	}
}

// reject applies the profile's request checks; status 0 = accepted.
func (s *Server) reject(req *chatRequest, rec *Request) (int, string) {
	p := s.opts.Profile
	switch {
	case req.Model != p.Model:
		return http.StatusNotFound, openAIError(fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", req.Model), "invalid_request_error", "model_not_found")
	case p.Strict && req.MaxTokens != nil:
		return http.StatusBadRequest, openAIError("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "invalid_request_error", "unsupported_parameter")
	case p.Strict && req.Temperature != nil && *req.Temperature != 1:
		return http.StatusBadRequest, openAIError(fmt.Sprintf("Unsupported value: 'temperature' does not support %v with this model. Only the default (1) value is supported.", *req.Temperature), "invalid_request_error", "unsupported_value")
	case p.StrictArgs && req.badHistoryArgs() != "":
		return http.StatusBadRequest, openAIError("invalid tool call arguments", "invalid_request_error", "")
	case rec.StreamOptions && s.take(FaultStreamOptions):
		// Azure OpenAI before api-version 2024-09-01-preview, and other older gateways.
		rec.Fault = FaultStreamOptions
		return http.StatusBadRequest, openAIError("Unrecognized request argument supplied: stream_options", "invalid_request_error", "")
	}
	return 0, ""
}

// statusOf is the HTTP status of a fault answered with an HTTP error (0 for the others).
func statusOf(f FaultKind) int {
	switch f {
	case FaultRateLimit, FaultQuota:
		return http.StatusTooManyRequests
	case Fault500:
		return http.StatusInternalServerError
	case Fault503:
		return http.StatusServiceUnavailable
	}
	return 0
}

// part is the first 1/n of text's words.
func part(text string, n int) string {
	words := strings.SplitAfter(text, " ")
	return strings.Join(words[:max(1, len(words)/n)], "")
}

// whole answers a request without "stream": true.
func (s *Server) whole(w http.ResponseWriter, rep reply, prompt int, sendUsage bool) {
	p := s.opts.Profile
	msg := map[string]any{"role": "assistant", "content": rep.content}
	reason := "stop"
	if len(rep.calls) > 0 {
		var calls []any
		for i, c := range rep.calls {
			calls = append(calls, map[string]any{"id": p.CallID(i), "type": "function", "function": map[string]any{"name": c.name, "arguments": c.args}})
		}
		msg["content"], msg["tool_calls"], reason = nil, calls, "tool_calls"
	}
	out := map[string]any{"id": p.ChunkID(), "object": "chat.completion", "created": time.Now().Unix(), "model": p.Model,
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": reason}}}
	if sendUsage || p.Usage != UsageNever {
		c := completionTokens(rep.content) + p.Reasoning
		out["usage"] = map[string]any{"prompt_tokens": prompt, "completion_tokens": c, "total_tokens": prompt + c}
	}
	b, _ := json.Marshal(out)
	writeJSON(w, http.StatusOK, string(b))
}
