package session

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/openai/openai-go/v3"
)

// streamOnce makes one streamed request, emitting model.delta for each fragment of the
// answer (or of a refusal). The attempt fails when the model stays silent longer than the
// configured timeout, or the stream ends without a finish reason.
func (r *Runner) streamOnce(ctx context.Context, params openai.ChatCompletionNewParams, plan requestPlan, turn int) (modelReply, int, error) {
	start := time.Now()
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := time.AfterFunc(r.cfg.Model.Timeout, func() { cancel(errIdleTimeout) })
	defer idle.Stop()

	stream := r.client.Chat.Completions.NewStreaming(actx, params)
	defer stream.Close()
	var acc turnStream
	deltas := 0
	for stream.Next() {
		idle.Reset(r.cfg.Model.Timeout)
		text, refusal := acc.add(stream.Current())
		if text += refusal; text != "" {
			deltas++
			r.emit(Event{Kind: KindModelDelta, Turn: turn, Text: text})
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
	if acc.finish == "" {
		return modelReply{}, deltas, errStreamCut
	}
	reply := acc.reply(turn, r.cfg.Model.Name)
	reply.duration = time.Since(start)
	reply.usage.Estimated = r.cfg.Model.Embedded
	if reply.usage.Total() == 0 { // the server sent no usage: estimate, and say so
		reply.usage = r.estimate(plan, reply)
	}
	return reply, deltas, nil
}

// estimate counts the request as sent (messages and tool definitions) and the reply, for
// servers that report no usage.
func (r *Runner) estimate(plan requestPlan, reply modelReply) Usage {
	out := len(reply.content) + len(reply.refusal)
	for _, c := range reply.calls {
		out += len(c.name) + len(c.args)
	}
	return Usage{PromptTokens: plan.tokens, CompletionTokens: r.tokensOf(out), Estimated: true}
}

func (r *Runner) modelHTTP() *http.Client {
	if r.cfg.Model.HTTPClient != nil {
		return r.cfg.Model.HTTPClient
	}
	return modelHTTPClient
}
