package session

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/packages/ssestream"
)

// classify turns a model API failure into a ModelError with a clear message.
func (r *Runner) classify(err error) *ModelError {
	var me *ModelError
	if errors.As(err, &me) {
		return me
	}
	where := r.endpoint()
	var apiErr *openai.Error
	var streamErr *ssestream.StreamError
	switch {
	case errors.As(err, &apiErr):
		return apiError(apiErr, r.cfg.Model.Name, where)
	case errors.As(err, &streamErr):
		return streamError(streamErr, where)
	case errors.Is(err, errIdleTimeout), errors.Is(err, context.DeadlineExceeded):
		return &ModelError{Code: "timeout", Retryable: true, Err: err,
			Message: fmt.Sprintf("the model at %s sent nothing for %s (timeout)", where, r.cfg.Model.Timeout)}
	case errors.Is(err, errStreamCut), errors.Is(err, io.ErrUnexpectedEOF): // the connection died mid-stream
		return &ModelError{Code: "stream_cut", Retryable: true, Err: err,
			Message: fmt.Sprintf("the response stream from %s was cut before the model finished", where)}
	case errors.As(err, new(*json.SyntaxError)):
		return &ModelError{Code: "malformed_stream", Retryable: true, Err: err,
			Message: fmt.Sprintf("the model at %s sent a stream that is not valid JSON (%v)", where, err)}
	}
	return &ModelError{Code: "connection", Retryable: true, Err: err,
		Message: fmt.Sprintf("talking to the model at %s failed: %v", where, err)}
}

// errorBody is what an error answer says: the OpenAI shape {"error":{…}} that openai-go
// reads, else the top-level message older vLLM builds send ({"object":"error","message":…}).
func errorBody(e *openai.Error) (message, raw string) {
	raw = e.RawJSON()
	message = e.Message
	if e.Response != nil && e.Response.Body != nil && (message == "" || raw == "") {
		b, _ := io.ReadAll(io.LimitReader(e.Response.Body, 64<<10))
		var top struct {
			Message string `json:"message"`
			Error   any    `json:"error"`
		}
		if json.Unmarshal(b, &top) == nil {
			if s, ok := top.Error.(string); ok && message == "" { // Ollama's native {"error": "…"}
				message = s
			}
			message = strings.TrimSpace(cmp.Or(message, top.Message))
		}
		raw = cmp.Or(raw, string(b))
	}
	return message, raw
}

// contextExceeded says an error answer means the request is longer than the context
// window: OpenAI's code context_length_exceeded, llama-server's exceed_context_size_error,
// vLLM's and others' "maximum context length" message.
func contextExceeded(e *openai.Error, message string) bool {
	m := strings.ToLower(message)
	return e.Code == codeContextExceeded || e.Type == "exceed_context_size_error" ||
		strings.Contains(m, "maximum context length") || strings.Contains(m, "context length exceeded") ||
		strings.Contains(m, "exceeds the available context size") || strings.Contains(m, "context window")
}

func apiError(e *openai.Error, model, where string) *ModelError {
	message, raw := errorBody(e)
	me := &ModelError{Code: fmt.Sprintf("http_%d", e.StatusCode), Status: e.StatusCode, Err: e, raw: raw}
	detail := ""
	if message != "" {
		detail = ": " + message
	}
	switch s := e.StatusCode; {
	case s == http.StatusUnauthorized:
		me.Message = fmt.Sprintf("the model API at %s rejected the API key (HTTP 401)%s — check OPENAI_API_KEY", where, detail)
	case s == http.StatusForbidden:
		me.Message = fmt.Sprintf("the model API at %s refused access (HTTP 403)%s", where, detail)
	case s == http.StatusNotFound:
		me.Message = fmt.Sprintf("model %q was not found at %s (HTTP 404)%s — check --model / OPENAI_MODEL", model, where, detail)
	case s == http.StatusTooManyRequests && e.Code == "insufficient_quota":
		me.Code = "insufficient_quota"
		me.Message = fmt.Sprintf("the model API account has no quota left (HTTP 429)%s — add credit or use another key; retrying would not help", detail)
	case s == http.StatusTooManyRequests:
		me.Message, me.Retryable = fmt.Sprintf("rate limited by the model API (HTTP 429)%s", detail), true
	case s == http.StatusRequestTimeout || s == http.StatusConflict || s >= 500:
		me.Message, me.Retryable = fmt.Sprintf("the model API at %s failed (HTTP %d)%s", where, s, detail), true
	case contextExceeded(e, message):
		me.Code = codeContextExceeded
		me.Message = fmt.Sprintf("the request is longer than the context window of model %q (HTTP %d)%s", model, s, detail)
	case s == http.StatusBadRequest && strings.Contains(message, "stream_options"):
		me.Code = codeStreamOptions
		me.Message = fmt.Sprintf("the model API at %s does not accept stream_options (HTTP 400)%s", where, detail)
	default:
		me.Message = fmt.Sprintf("the model API at %s rejected the request (HTTP %d)%s", where, s, detail)
	}
	if e.Response != nil {
		me.RetryAfter = retryAfter(e.Response.Header)
	}
	return me
}

// streamError is an error event inside the stream ({"error": …} on a data line, as vLLM and
// OpenAI send when generation fails midway): worth a retry.
func streamError(e *ssestream.StreamError, where string) *ModelError {
	var body struct {
		Error struct {
			Message string `json:"message"`
			Code    any    `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(e.Event.Data, &body)
	msg := cmp.Or(body.Error.Message, string(e.Event.Data))
	return &ModelError{Code: "stream_error", Retryable: true, Err: e, raw: string(e.Event.Data),
		Message: fmt.Sprintf("the model at %s reported an error in the middle of its answer: %s", where, msg)}
}
