// Package chatwire is the request side of the OpenAI Chat Completions wire format, as a
// server reads it: what the emulated model servers decode from a client's request. It is
// independent of the client library on purpose, so a server built on it checks what the
// client really sent.
package chatwire

import (
	"encoding/json"
	"strings"
)

// Request is a chat completion request.
type Request struct {
	Model         string          `json:"model"`
	Messages      []Message       `json:"messages"`
	Tools         []Tool          `json:"tools"`
	Stream        bool            `json:"stream"`
	StreamOptions json.RawMessage `json:"stream_options"` // nil when absent
	MaxTokens     *int            `json:"max_tokens"`
	Temperature   *float64        `json:"temperature"`
}

// IncludeUsage says the request asks for usage in the stream (stream_options.include_usage).
func (r Request) IncludeUsage() bool {
	var so struct {
		IncludeUsage bool `json:"include_usage"`
	}
	return len(r.StreamOptions) > 0 && json.Unmarshal(r.StreamOptions, &so) == nil && so.IncludeUsage
}

// Message is one message of the conversation.
type Message struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"` // a string, an array of parts, or null
	ToolCalls  []ToolCall      `json:"tool_calls"`
	ToolCallID string          `json:"tool_call_id"`
}

// Text is the message's content: the string, or the text of its parts.
func (m Message) Text() string {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return s
	}
	var parts []struct {
		Text string `json:"text"`
	}
	_ = json.Unmarshal(m.Content, &parts)
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// ToolCall is a call in an assistant message.
type ToolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// Tool is a function offered to the model.
type Tool struct {
	Type     string `json:"type"`
	Function struct {
		Name        string         `json:"name"`
		Description string         `json:"description"`
		Parameters  map[string]any `json:"parameters"`
	} `json:"function"`
}
