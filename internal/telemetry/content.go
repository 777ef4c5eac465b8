package telemetry

import (
	"encoding/json"
)

// The GenAI conventions' message shapes (gen_ai.input.messages, gen_ai.output.messages,
// gen_ai.system_instructions: JSON arrays of messages made of typed parts). They are only
// built when content capture is on.
type (
	message struct {
		Role         string `json:"role"`
		Parts        []part `json:"parts"`
		FinishReason string `json:"finish_reason,omitempty"`
	}
	part struct {
		Type      string          `json:"type"`
		Content   string          `json:"content,omitempty"`
		ID        string          `json:"id,omitempty"`
		Name      string          `json:"name,omitempty"`
		Arguments json.RawMessage `json:"arguments,omitempty"`
		Response  string          `json:"response,omitempty"`
	}
)

func textPart(s string) part { return part{Type: "text", Content: s} }

func userMessage(text string) message { return message{Role: "user", Parts: []part{textPart(text)}} }

func assistantMessage(text, finish string) message {
	m := message{Role: "assistant", FinishReason: finish, Parts: []part{}}
	if text != "" {
		m.Parts = append(m.Parts, textPart(text))
	}
	return m
}

// toolCallPart is a tool call the model made; arguments that are not JSON are kept as a string.
func toolCallPart(id, name, args string) part {
	raw := json.RawMessage(args)
	if !json.Valid(raw) {
		raw, _ = json.Marshal(args)
	}
	return part{Type: "tool_call", ID: id, Name: name, Arguments: raw}
}

func toolMessage(id, result string) message {
	return message{Role: "tool", Parts: []part{{Type: "tool_call_response", ID: id, Response: result}}}
}

func messagesJSON(ms []message) string { return marshal(ms) }

func partsJSON(ps ...part) string { return marshal(ps) }

func marshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
