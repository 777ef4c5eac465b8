package session

import (
	"context"
	"errors"
	"fmt"
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
	raw        string // the server's error body, where figures are read from (context window)
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
	refusal  string // delta.refusal: the model declined
	finish   string // finish_reason
	calls    []modelCall
	usage    Usage
	duration time.Duration
	model    string
}

type modelCall struct {
	id, name, args string
	invalid        bool // args are not JSON (cut, or malformed by the model)
}

// Codes of model failures the loop treats specially.
const (
	codeContextExceeded = "context_length_exceeded"
	codeStreamOptions   = "stream_options_rejected"
)

// params is one model request for plan.
func (r *Runner) params(plan requestPlan) openai.ChatCompletionNewParams {
	p := openai.ChatCompletionNewParams{Model: r.cfg.Model.Name, Messages: plan.msgs, Tools: r.toolParams}
	if !r.noStreamOptions {
		p.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	}
	return p
}

// complete runs one model turn, retrying retryable failures with backoff (model.retry). A
// server that rejects stream_options is asked again at once without it, for the rest of
// the session.
func (r *Runner) complete(ctx context.Context, turn int, plan requestPlan) (modelReply, error) {
	for attempt := 1; ; attempt++ {
		r.emit(Event{Kind: KindModelRequest, Model: r.cfg.Model.Name, Turn: turn, Attempt: attempt, Context: r.contextUse(plan)})
		reply, deltas, err := r.streamOnce(ctx, r.params(plan), plan, turn)
		if err == nil {
			return reply, nil
		}
		if ctx.Err() != nil {
			return reply, ctx.Err()
		}
		me := r.classify(err)
		if me.Code == codeStreamOptions && !r.noStreamOptions {
			r.noStreamOptions = true
			r.emit(Event{Kind: KindModelNotice, Turn: turn, Status: NoticeStreamOptions, Err: errorInfo(me),
				Text: "the server rejects stream_options (HTTP 400): asking again without it; for the rest of the session usage is an estimate"})
			attempt--
			continue
		}
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
