package session

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
)

// ModelError is a failure of the model API, classified for people and for retrying.
type ModelError struct {
	Code       string // http_401, http_429, timeout, stream_cut, connection…
	Status     int    // HTTP status when the server answered
	Message    string // what happened and what to do
	Retryable  bool
	RetryAfter time.Duration // from Retry-After / Retry-After-Ms (0 = none sent)
	Err        error
}

func (e *ModelError) Error() string { return e.Message }
func (e *ModelError) Unwrap() error { return e.Err }

var (
	errIdleTimeout = errors.New("model idle timeout")
	errStreamCut   = errors.New("the stream ended before the model finished")
)

// modelReply is one model turn's assistant message.
type modelReply struct {
	content  string
	calls    []modelCall
	usage    Usage
	duration time.Duration
	model    string
}

type modelCall struct{ id, name, args string }

// param is the reply as an assistant message for the history.
func (m modelReply) param() openai.ChatCompletionMessageParamUnion {
	var a openai.ChatCompletionAssistantMessageParam
	if m.content != "" {
		a.Content.OfString = openai.String(m.content)
	}
	for _, c := range m.calls {
		a.ToolCalls = append(a.ToolCalls, openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
			ID: c.id, Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: c.name, Arguments: c.args}}})
	}
	return openai.ChatCompletionMessageParamUnion{OfAssistant: &a}
}

// params is the next model call: instructions, the history and the tools.
func (r *Runner) params() openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:         r.cfg.Model.Name,
		Messages:      append([]openai.ChatCompletionMessageParamUnion{openai.SystemMessage(r.cfg.Instructions)}, r.history...),
		Tools:         r.toolParams,
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	}
}

// complete runs one model turn, retrying retryable failures with backoff (model.retry).
func (r *Runner) complete(ctx context.Context, turn int, params openai.ChatCompletionNewParams) (modelReply, error) {
	for attempt := 1; ; attempt++ {
		r.emit(Event{Kind: KindModelRequest, Model: r.cfg.Model.Name, Turn: turn, Attempt: attempt})
		reply, deltas, err := r.streamOnce(ctx, params, turn)
		if err == nil {
			return reply, nil
		}
		if ctx.Err() != nil {
			return reply, ctx.Err()
		}
		me := r.classify(err)
		if !me.Retryable || r.cfg.Model.MaxRetries < 0 || attempt > r.cfg.Model.MaxRetries {
			if me.Retryable && attempt > 1 {
				me.Message += fmt.Sprintf(" (gave up after %d attempts)", attempt)
			}
			return reply, me
		}
		delay := r.backoff(attempt, me.RetryAfter)
		if delay > maxRetryWait {
			me.Message += fmt.Sprintf(" (the server asks to wait %s; not waiting that long)", delay.Round(time.Second))
			return reply, me
		}
		text := fmt.Sprintf("retrying in %s", delay.Round(time.Millisecond))
		if deltas > 0 {
			text += "; the partial answer of this turn is discarded"
		}
		r.emit(Event{Kind: KindModelRetry, Model: r.cfg.Model.Name, Turn: turn, Attempt: attempt + 1, Delay: delay, Text: text, HTTPStatus: me.Status, Err: errorInfo(me)})
		select {
		case <-ctx.Done():
			return reply, ctx.Err()
		case <-time.After(delay):
		}
	}
}

// streamOnce makes one streamed request, emitting model.delta for each content fragment.
// The attempt fails when the model stays silent longer than the configured timeout.
func (r *Runner) streamOnce(ctx context.Context, params openai.ChatCompletionNewParams, turn int) (modelReply, int, error) {
	start := time.Now()
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := time.AfterFunc(r.cfg.Model.Timeout, func() { cancel(errIdleTimeout) })
	defer idle.Stop()

	stream := r.client.Chat.Completions.NewStreaming(actx, params)
	defer stream.Close()
	var acc openai.ChatCompletionAccumulator
	deltas, finished := 0, false
	for stream.Next() {
		idle.Reset(r.cfg.Model.Timeout)
		chunk := stream.Current()
		if !acc.AddChunk(chunk) {
			return modelReply{}, deltas, errors.New("the model stream sent a chunk that does not continue the response")
		}
		for _, c := range chunk.Choices {
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != "" {
				deltas++
				r.emit(Event{Kind: KindModelDelta, Turn: turn, Text: c.Delta.Content})
			}
			if c.FinishReason != "" {
				finished = true
			}
		}
	}
	if err := stream.Err(); err != nil {
		if errors.Is(context.Cause(actx), errIdleTimeout) && ctx.Err() == nil {
			return modelReply{}, deltas, errIdleTimeout
		}
		return modelReply{}, deltas, err
	}
	if errors.Is(context.Cause(actx), errIdleTimeout) {
		return modelReply{}, deltas, errIdleTimeout
	}
	if !finished || len(acc.Choices) == 0 {
		return modelReply{}, deltas, errStreamCut
	}
	msg := acc.Choices[0].Message
	reply := modelReply{content: msg.Content, duration: time.Since(start), model: cmp.Or(acc.Model, r.cfg.Model.Name)}
	for i, tc := range msg.ToolCalls {
		id := tc.ID
		if id == "" {
			id = fmt.Sprintf("call_t%d_%d", turn, i+1)
		}
		reply.calls = append(reply.calls, modelCall{id: id, name: tc.Function.Name, args: tc.Function.Arguments})
	}
	reply.usage = Usage{PromptTokens: acc.Usage.PromptTokens, CompletionTokens: acc.Usage.CompletionTokens,
		CachedTokens: acc.Usage.PromptTokensDetails.CachedTokens, Estimated: r.cfg.Model.Embedded}
	if reply.usage.Total() == 0 { // the server sent no usage: estimate, and say so
		reply.usage = estimate(params, reply)
	}
	return reply, deltas, nil
}

// estimate counts ~4 characters per token, for servers that report no usage.
func estimate(params openai.ChatCompletionNewParams, reply modelReply) Usage {
	in := 0
	for _, m := range params.Messages {
		b, _ := m.MarshalJSON()
		in += len(b)
	}
	out := len(reply.content)
	for _, c := range reply.calls {
		out += len(c.name) + len(c.args)
	}
	return Usage{PromptTokens: int64(in/4 + 1), CompletionTokens: int64(out/4 + 1), Estimated: true}
}

// classify turns a model API failure into a ModelError with a clear message.
func (r *Runner) classify(err error) *ModelError {
	var me *ModelError
	if errors.As(err, &me) {
		return me
	}
	where := r.endpoint()
	var apiErr *openai.Error
	switch {
	case errors.As(err, &apiErr):
		return apiError(apiErr, r.cfg.Model.Name, where)
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

func apiError(e *openai.Error, model, where string) *ModelError {
	me := &ModelError{Code: fmt.Sprintf("http_%d", e.StatusCode), Status: e.StatusCode, Err: e}
	detail := ""
	if e.Message != "" {
		detail = ": " + e.Message
	}
	switch s := e.StatusCode; {
	case s == http.StatusUnauthorized:
		me.Message = fmt.Sprintf("the model API at %s rejected the API key (HTTP 401)%s — check OPENAI_API_KEY", where, detail)
	case s == http.StatusForbidden:
		me.Message = fmt.Sprintf("the model API at %s refused access (HTTP 403)%s", where, detail)
	case s == http.StatusNotFound:
		me.Message = fmt.Sprintf("model %q was not found at %s (HTTP 404)%s — check --model / OPENAI_MODEL", model, where, detail)
	case s == http.StatusTooManyRequests && e.Code == "insufficient_quota":
		me.Message = fmt.Sprintf("the model API account has no quota left (HTTP 429)%s", detail)
	case s == http.StatusTooManyRequests:
		me.Message, me.Retryable = fmt.Sprintf("rate limited by the model API (HTTP 429)%s", detail), true
	case s == http.StatusRequestTimeout || s == http.StatusConflict || s >= 500:
		me.Message, me.Retryable = fmt.Sprintf("the model API at %s failed (HTTP %d)%s", where, s, detail), true
	default:
		me.Message = fmt.Sprintf("the model API at %s rejected the request (HTTP %d)%s", where, s, detail)
	}
	if e.Response != nil {
		me.RetryAfter = retryAfter(e.Response.Header)
	}
	return me
}

// retryAfter reads Retry-After-Ms, then Retry-After (seconds or an HTTP date); 0 = none.
func retryAfter(h http.Header) time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms >= 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// backoff is the server's Retry-After when it sent one, else exponential with jitter.
func (r *Runner) backoff(attempt int, after time.Duration) time.Duration {
	if after > 0 {
		return after
	}
	d := r.cfg.Model.RetryBaseDelay << (attempt - 1)
	d = min(d, 20*time.Second)
	return d + time.Duration(rand.Int64N(int64(d)/4+1))
}

func (r *Runner) endpoint() string {
	if r.cfg.Model.BaseURL == "" {
		return "api.openai.com"
	}
	if u, err := url.Parse(r.cfg.Model.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return strings.TrimSpace(r.cfg.Model.BaseURL)
}
