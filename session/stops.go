package session

import (
	"fmt"
	"strings"
)

// Error codes of a turn the model did not finish normally.
const (
	codeLength        = "length"
	codeContentFilter = "content_filter"
	codeRefusal       = "refusal"
)

// stopped ends the request when the model refused, its answer was filtered, or the output
// limit cut it (or cut a tool call's arguments: then no tool runs). Each is said plainly in
// an error event and in request.finish, with its own outcome; what the model did write is
// the answer shown, and stays in the history when it is a well-formed message.
func (r *Runner) stopped(turn int, req *request, reply modelReply, calls []modelCall) (Outcome, bool) {
	var o Outcome
	var code, msg string
	answer := reply.content
	switch {
	case reply.refusal != "":
		o, code, answer = OutcomeRefused, codeRefusal, reply.refusal
		msg = fmt.Sprintf("the model refused the request: %q", clipText(strings.TrimSpace(reply.refusal), 300))
	case reply.finish == "content_filter":
		o, code = OutcomeFiltered, codeContentFilter
		msg = "the provider's content filter stopped the answer (finish_reason content_filter): no answer was given"
		if answer != "" {
			msg = "the provider's content filter stopped the answer (finish_reason content_filter): what is shown is incomplete"
		}
	case reply.finish == "length" && (len(calls) == 0 || anyInvalid(calls)):
		o, code = OutcomeTruncated, codeLength
		if len(calls) > 0 {
			msg = fmt.Sprintf("the model's reply was cut off at its output token limit (finish_reason length) while it was writing the arguments of %s; no tool was run — ask again, or raise the server's output limit", callNames(calls))
		} else {
			msg = "the answer was cut off at the model's output token limit (finish_reason length): what is shown is incomplete — ask for a shorter answer, or raise the server's output limit"
		}
	default:
		return "", false
	}
	if answer != "" {
		r.history = append(r.history, r.assistantMsg(answer, nil))
	}
	req.answer = answer
	req.err = &ModelError{Code: code, Message: msg}
	r.emit(Event{Kind: KindError, Turn: turn, Outcome: o, Err: errorInfo(req.err)})
	return o, true
}

func anyInvalid(calls []modelCall) bool {
	for _, c := range calls {
		if c.invalid {
			return true
		}
	}
	return false
}

func callNames(calls []modelCall) string {
	var names []string
	for _, c := range calls {
		names = append(names, c.name)
	}
	return strings.Join(names, ", ")
}

// textToolCalls reads tool calls the model wrote as text (small local models behind a
// server without a parser for their format) and takes them as real calls, said so in a
// model.notice; content is what remains of the text.
func (r *Runner) textToolCalls(turn int, content string) ([]modelCall, string) {
	known := func(name string) bool {
		if r.cfg.Tools == nil {
			return false
		}
		_, ok := r.cfg.Tools.Lookup(name)
		return ok
	}
	calls, rest, form, problem := parseTextCalls(content, known)
	if problem != "" {
		r.emit(Event{Kind: KindModelNotice, Turn: turn, Status: NoticeTextToolCalls, Text: "the model wrote " + problem + "; its text is shown as the answer"})
		return nil, content
	}
	if len(calls) == 0 {
		return nil, content
	}
	for i := range calls {
		calls[i].id = fmt.Sprintf("call_t%d_text%d", turn, i+1)
	}
	r.emit(Event{Kind: KindModelNotice, Turn: turn, Status: NoticeTextToolCalls, Count: len(calls),
		Text: fmt.Sprintf("the model wrote %d tool %s as text (%s form) instead of calling %s through the API; lumodash runs %s through the gate",
			len(calls), plural(len(calls), "call", "calls"), form, plural(len(calls), "it", "them"), plural(len(calls), "it", "them"))})
	return calls, rest
}
