package present

import "github.com/lumodash/lumodash/session"

// The finish reasons of a model.response (its Status) that leave the answer unfinished.
const (
	finishLength        = "length"         // cut at the output token limit
	finishContentFilter = "content_filter" // withheld by the provider's content filter
)

// CutMark is what the conversation and the plain printer put right after an answer the
// model did not finish, from its model.response: cut at the output limit or stopped by a
// content filter ("" for an answer that ended normally). The error event that follows says
// the rest; the mark keeps a partial answer from reading as a whole one.
func CutMark(e session.Event) string {
	if e.Kind != session.KindModelResponse {
		return ""
	}
	switch e.Status {
	case finishLength:
		return "[answer cut off here: the model's output limit]"
	case finishContentFilter:
		return "[answer stopped here by the provider's content filter]"
	}
	return ""
}

// stoppedAnswer reports whether o is a request whose answer the model did not give in
// full: cut, filtered or refused. Its error is a plain sentence about the answer, not a
// failure of lumodash.
func stoppedAnswer(o session.Outcome) bool {
	return o == session.OutcomeTruncated || o == session.OutcomeFiltered || o == session.OutcomeRefused
}
