package provideremu

import (
	"encoding/json"
	"strings"
)

// chatRequest is the part of a Chat Completions request the emulator reads.
type chatRequest struct {
	Model         string          `json:"model"`
	Messages      []message       `json:"messages"`
	Tools         []toolDef       `json:"tools"`
	Stream        bool            `json:"stream"`
	StreamOptions json.RawMessage `json:"stream_options"`
	MaxTokens     *int            `json:"max_tokens"`
	Temperature   *float64        `json:"temperature"`
	wantUsage     bool
}

type message struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"`
	ToolCalls  []wireCall      `json:"tool_calls"`
	ToolCallID string          `json:"tool_call_id"`
}

type wireCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type toolDef struct {
	Function struct {
		Name        string         `json:"name"`
		Description string         `json:"description"`
		Parameters  map[string]any `json:"parameters"`
	} `json:"function"`
}

// text is the message's content: a string, or the text parts of an array.
func (m message) text() string {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(m.Content, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

func parseRequest(body []byte) (chatRequest, error) {
	var req chatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return req, err
	}
	var so struct {
		IncludeUsage bool `json:"include_usage"`
	}
	if len(req.StreamOptions) > 0 && json.Unmarshal(req.StreamOptions, &so) == nil {
		req.wantUsage = so.IncludeUsage
	}
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
