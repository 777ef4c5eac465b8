package provideremu

import (
	"encoding/json"

	"github.com/lumodash/lumodash/internal/chatwire"
)

// The emulator's tokenizer: about four bytes of text per token over the prompt as a chat
// template renders it (each message's role markers, text and tool calls, and the tool
// definitions, which templates render into the prompt and OpenAI counts "in the functions").
// Real tokenizers differ by model; what matters here is that the server, not the client,
// decides the count, and that tool definitions are part of it.
const (
	bytesPerToken    = 4
	tokensPerMessage = 4 // <|im_start|>role … <|im_end|>
)

func messageTokens(m chatwire.Message) int {
	n := len(m.Role) + len(m.Text()) + len(m.ToolCallID)
	for _, c := range m.ToolCalls {
		n += len(c.ID) + len(c.Function.Name) + len(c.Function.Arguments) + 16
	}
	return n/bytesPerToken + tokensPerMessage
}

func toolTokens(tools []chatwire.Tool) int {
	if len(tools) == 0 {
		return 0
	}
	b, _ := json.Marshal(tools)
	return len(b) / bytesPerToken
}

// promptTokens counts the request's prompt.
func promptTokens(r chatRequest) int {
	n := toolTokens(r.Tools) + 3 // the assistant turn's opening markers
	for _, m := range r.Messages {
		n += messageTokens(m)
	}
	return n
}

// completionTokens counts generated text.
func completionTokens(text string) int { return (len(text)+bytesPerToken-1)/bytesPerToken + 1 }

// truncate drops the oldest messages after the system prompt until the prompt fits window,
// as Ollama does when a prompt exceeds num_ctx (it keeps the system prompt and the latest
// messages). It reports whether anything was dropped.
func truncate(r *chatRequest, window int) bool {
	dropped := false
	for promptTokens(*r) > window {
		first := 0
		for first < len(r.Messages) && r.Messages[first].Role == "system" {
			first++
		}
		if first >= len(r.Messages)-1 {
			break
		}
		r.Messages = append(r.Messages[:first], r.Messages[first+1:]...)
		dropped = true
	}
	return dropped
}
