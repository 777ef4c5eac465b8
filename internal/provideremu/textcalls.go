package provideremu

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// textCalls writes calls as a small local model does when the server has no parser for its
// format, in the form named by fault k (the formats of vLLM's tool parsers and llama.cpp's
// common/chat.cpp). ok is false when k is not a text form.
func textCalls(k FaultKind, calls []call) (string, bool) {
	var b strings.Builder
	switch k {
	case FaultTextHermes: // Hermes 2 Pro, Qwen 2.5: vLLM hermes_tool_parser
		for _, c := range calls {
			fmt.Fprintf(&b, "<tool_call>\n{\"name\": %q, \"arguments\": %s}\n</tool_call>\n", c.name, c.args)
		}
	case FaultTextQwenXML: // Qwen3-Coder: vLLM qwen3_xml / qwen3_coder parsers
		for _, c := range calls {
			fmt.Fprintf(&b, "<tool_call>\n<function=%s>\n", c.name)
			var a map[string]any
			_ = json.Unmarshal([]byte(c.args), &a)
			for _, k := range slices.Sorted(maps.Keys(a)) {
				fmt.Fprintf(&b, "<parameter=%s>\n%v\n</parameter>\n", k, a[k])
			}
			b.WriteString("</function>\n</tool_call>\n")
		}
	case FaultTextMistral: // Mistral: vLLM mistral_tool_parser, llama.cpp Mistral Nemo
		var items []string
		for _, c := range calls {
			items = append(items, fmt.Sprintf(`{"name": %q, "arguments": %s}`, c.name, c.args))
		}
		b.WriteString("[TOOL_CALLS][" + strings.Join(items, ", ") + "]")
	case FaultTextLlama: // Llama 3.1/3.2 JSON tool calling: vLLM llama3_json, llama.cpp Llama 3.x
		var items []string
		for _, c := range calls {
			items = append(items, fmt.Sprintf(`{"name": %q, "parameters": %s}`, c.name, c.args))
		}
		b.WriteString("<|python_tag|>" + strings.Join(items, "; "))
	case FaultTextFunctionary: // Llama 3.1 custom / Functionary v3.1: llama.cpp functionary_v3_1_llama_3_1
		for _, c := range calls {
			fmt.Fprintf(&b, "<function=%s>%s</function>\n", c.name, c.args)
		}
	case FaultTextJSON: // a bare JSON object per call, as Ollama's tool parser also accepts
		if len(calls) == 1 {
			fmt.Fprintf(&b, `{"name": %q, "arguments": %s}`, calls[0].name, calls[0].args)
			break
		}
		var items []string
		for _, c := range calls {
			items = append(items, fmt.Sprintf(`{"name": %q, "arguments": %s}`, c.name, c.args))
		}
		b.WriteString("[" + strings.Join(items, ", ") + "]")
	default:
		return "", false
	}
	return strings.TrimRight(b.String(), "\n"), true
}
