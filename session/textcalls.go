package session

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Tool calls a model wrote as text because the server had no parser for its format. The
// forms are those the servers' own parsers read: vLLM's hermes, qwen3_xml, mistral and
// llama3_json tool parsers, llama.cpp's common/chat.cpp formats (Hermes 2 Pro, Mistral Nemo,
// Llama 3.x, Functionary v3.1) and the bare JSON object Ollama's tool parser accepts. Only
// calls naming a tool the model was offered count, so prose that merely shows JSON is left.
type textForm struct {
	name string
	re   *regexp.Regexp // one match per call, or per list of calls
	read func(m []string) ([]textCall, error)
}

type textCall struct {
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
	Params    json.RawMessage `json:"parameters"`
}

func (c textCall) args() string {
	a := c.Arguments
	if len(a) == 0 {
		a = c.Params
	}
	var s string
	if json.Unmarshal(a, &s) == nil { // arguments sent as a JSON string
		return s
	}
	if len(a) == 0 {
		return "{}"
	}
	return string(a)
}

var textForms = []textForm{
	{"<tool_call> XML", regexp.MustCompile(`(?s)<tool_call>\s*<function=([\w.-]+)>(.*?)</function>\s*(?:</tool_call>|$)`), readQwenXML},
	{"<tool_call>", regexp.MustCompile(`(?s)<tool_call>\s*(\{.*?\})\s*(?:</tool_call>|$)`), readOne},
	{"[TOOL_CALLS]", regexp.MustCompile(`(?s)\[TOOL_CALLS\]\s*(\[.*)$`), readList},
	{"<|python_tag|>", regexp.MustCompile(`(?s)<\|python_tag\|>\s*(.+)$`), readSemicolonList},
	{"<function=…>", regexp.MustCompile(`(?s)<function=([\w.-]+)>\s*(\{.*?\})\s*</function>`), readFunctionTag},
	{"JSON", regexp.MustCompile("(?s)^\\s*(?:```(?:json)?\\s*)?([\\[{].*[\\]}])\\s*(?:```)?\\s*$"), readBare},
}

var paramRe = regexp.MustCompile(`(?s)<parameter=([\w.-]+)>\n?(.*?)\n?</parameter>`)

func readOne(m []string) ([]textCall, error) {
	var c textCall
	err := json.Unmarshal([]byte(m[1]), &c)
	return []textCall{c}, err
}

func readList(m []string) ([]textCall, error) {
	var cs []textCall
	return cs, json.NewDecoder(strings.NewReader(m[1])).Decode(&cs) // text after the list is left
}

func readSemicolonList(m []string) ([]textCall, error) {
	var out []textCall
	for part := range strings.SplitSeq(m[1], ";") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		cs, err := readOne([]string{"", part})
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

func readFunctionTag(m []string) ([]textCall, error) {
	if !json.Valid([]byte(m[2])) {
		return nil, fmt.Errorf("the arguments of %s are not valid JSON", m[1])
	}
	return []textCall{{Name: m[1], Arguments: json.RawMessage(m[2])}}, nil
}

func readQwenXML(m []string) ([]textCall, error) {
	args := map[string]any{}
	for _, p := range paramRe.FindAllStringSubmatch(m[2], -1) {
		var v any
		if json.Unmarshal([]byte(strings.TrimSpace(p[2])), &v) != nil {
			v = strings.TrimSpace(p[2])
		}
		args[p[1]] = v
	}
	b, _ := json.Marshal(args)
	return []textCall{{Name: m[1], Arguments: b}}, nil
}

func readBare(m []string) ([]textCall, error) {
	if strings.HasPrefix(m[1], "[") {
		return readList(m)
	}
	return readOne(m)
}

// parseTextCalls finds tool calls written as text in content. found says a form was seen;
// calls are those naming a known tool; rest is the content without them; problem says why
// a form that was seen could not be read.
func parseTextCalls(content string, known func(string) bool) (calls []modelCall, rest, form, problem string) {
	for _, f := range textForms {
		matches := f.re.FindAllStringSubmatchIndex(content, -1)
		if len(matches) == 0 {
			continue
		}
		var kept strings.Builder
		at := 0
		for _, idx := range matches {
			m := make([]string, len(idx)/2)
			for i := range m {
				if idx[2*i] >= 0 {
					m[i] = content[idx[2*i]:idx[2*i+1]]
				}
			}
			tcs, err := f.read(m)
			if err != nil && f.name == "JSON" {
				return nil, content, "", "" // prose that only looks like JSON
			}
			if err != nil {
				return nil, content, f.name, fmt.Sprintf("a tool call written as text (%s form) could not be read: %v", f.name, err)
			}
			for _, tc := range tcs {
				if !known(tc.Name) {
					if f.name == "JSON" {
						return nil, content, "", "" // prose that is JSON, not a call
					}
					return nil, content, f.name, fmt.Sprintf("a tool call written as text (%s form) names %q, which is not one of the tools offered", f.name, tc.Name)
				}
				calls = append(calls, modelCall{name: tc.Name, args: tc.args()})
			}
			kept.WriteString(content[at:idx[0]])
			at = idx[1]
		}
		kept.WriteString(content[at:])
		return calls, strings.TrimSpace(kept.String()), f.name, ""
	}
	return nil, content, "", ""
}
