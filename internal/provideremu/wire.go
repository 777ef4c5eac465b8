package provideremu

import (
	"encoding/json"

	"github.com/lumodash/lumodash/internal/chatwire"
)

// chatRequest is a parsed chat completion request.
type chatRequest struct {
	chatwire.Request
	wantUsage bool
}

func parseRequest(body []byte) (chatRequest, error) {
	var req chatRequest
	if err := json.Unmarshal(body, &req.Request); err != nil {
		return req, err
	}
	req.wantUsage = req.IncludeUsage()
	return req, nil
}

// turn says which kind of turn the request asks for: tool results after the last user
// message mean the model answers from them.
func (r chatRequest) turn() turnKind {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		switch r.Messages[i].Role {
		case "user":
			return turnPlan
		case "tool":
			return turnAnswer
		}
	}
	return turnPlan
}

// badHistoryArgs is the first history tool call whose arguments are not JSON ("" if none).
func (r chatRequest) badHistoryArgs() string {
	for _, m := range r.Messages {
		for _, c := range m.ToolCalls {
			if !json.Valid([]byte(c.Function.Arguments)) {
				return c.Function.Arguments
			}
		}
	}
	return ""
}
