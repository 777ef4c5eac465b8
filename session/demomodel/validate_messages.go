package demomodel

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	roles         = []string{"system", "assistant", "user", "function", "tool", "developer"}
	toolTypes     = []string{"function", "custom"}
	toolNameRe    = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	maxToolName   = 64
	objectOrArray = "one of a string or array of objects"
)

// object decodes raw as a JSON object, or says it is not one.
func object(param string, raw json.RawMessage) (map[string]json.RawMessage, *apiError) {
	var m map[string]json.RawMessage
	if jsonKind(raw) != "an object" || json.Unmarshal(raw, &m) != nil {
		return nil, errType(param, "an object", raw)
	}
	return m, nil
}

func isSet(m map[string]json.RawMessage, k string) bool {
	v, ok := m[k]
	return ok && strings.TrimSpace(string(v)) != "null"
}

// stringField reads m[k] as a string, which must be there.
func stringField(m map[string]json.RawMessage, param, k string) (string, *apiError) {
	if !isSet(m, k) {
		return "", errMissing(param + "." + k)
	}
	var s string
	if json.Unmarshal(m[k], &s) != nil {
		return "", errType(param+"."+k, "a string", m[k])
	}
	return s, nil
}

// arrayOf decodes raw as the JSON array param must be.
func arrayOf(param string, raw json.RawMessage) ([]json.RawMessage, *apiError) {
	var items []json.RawMessage
	if jsonKind(raw) != "an array" || json.Unmarshal(raw, &items) != nil {
		return nil, errType(param, "an array of objects", raw)
	}
	return items, nil
}

// kindOf reads the object item of param and its field k (a role, a type), one of allowed.
func kindOf(param string, item json.RawMessage, k string, allowed []string) (map[string]json.RawMessage, string, *apiError) {
	m, e := object(param, item)
	if e != nil {
		return nil, "", e
	}
	v, e := stringField(m, param, k)
	if e == nil && !slices.Contains(allowed, v) {
		e = errValue(param+"."+k, v, allowed)
	}
	return m, v, e
}

func readMessages(raw json.RawMessage, req *chatRequest) *apiError {
	items, e := arrayOf("messages", raw)
	if e != nil {
		return e
	}
	if len(items) == 0 {
		return badRequest("messages", "empty_array", "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.")
	}
	for i, item := range items {
		param := fmt.Sprintf("messages[%d]", i)
		m, role, e := kindOf(param, item, "role", roles)
		if e != nil {
			return e
		}
		if e := readContent(m, param); e != nil {
			return e
		}
		if role == "tool" {
			if _, e := stringField(m, param, "tool_call_id"); e != nil {
				return e
			}
		}
		if role == "assistant" && isSet(m, "tool_calls") {
			if e := readToolCalls(m["tool_calls"], param+".tool_calls"); e != nil {
				return e
			}
		}
	}
	req.MessagesJSON = len(raw)
	if err := json.Unmarshal(raw, &req.Messages); err != nil {
		return badRequest("messages", "invalid_type", "Invalid 'messages': "+err.Error())
	}
	return answeredCalls(req.Messages)
}

func readContent(m map[string]json.RawMessage, param string) *apiError {
	if !isSet(m, "content") {
		return nil
	}
	raw := m["content"]
	switch jsonKind(raw) {
	case "a string":
		return nil
	case "an array":
		var parts []json.RawMessage
		_ = json.Unmarshal(raw, &parts)
		for j, p := range parts {
			if _, e := object(fmt.Sprintf("%s.content[%d]", param, j), p); e != nil {
				return e
			}
		}
		return nil
	}
	return errType(param+".content", objectOrArray, raw)
}

func readToolCalls(raw json.RawMessage, param string) *apiError {
	calls, e := arrayOf(param, raw)
	if e != nil {
		return e
	}
	for j, c := range calls {
		p := fmt.Sprintf("%s[%d]", param, j)
		m, typ, e := kindOf(p, c, "type", toolTypes)
		if e != nil {
			return e
		}
		if _, e := stringField(m, p, "id"); e != nil {
			return e
		}
		if typ != "function" {
			continue
		}
		if !isSet(m, "function") {
			return errMissing(p + ".function")
		}
		fn, e := object(p+".function", m["function"])
		if e != nil {
			return e
		}
		for _, k := range []string{"name", "arguments"} {
			if _, e := stringField(fn, p+".function", k); e != nil {
				return e
			}
		}
	}
	return nil
}

// answeredCalls checks the conversation's shape: a tool message answers a call of the
// assistant message before it, and every call gets its answer. OpenAI's messages (its
// spelling included) and params ("messages.[3].role") are kept as they are.
func answeredCalls(msgs []message) *apiError {
	open := map[string]bool{}
	var openAt int
	for i, m := range msgs {
		switch {
		case m.Role == "tool":
			if !open[m.ToolCallID] {
				return badRequest(fmt.Sprintf("messages.[%d].role", i), "",
					"Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.")
			}
			delete(open, m.ToolCallID)
			continue
		case len(open) > 0:
			return unanswered(open, openAt)
		}
		if m.Role == "assistant" {
			for _, tc := range m.ToolCalls {
				open[tc.ID] = true
			}
			openAt = i
		}
	}
	if len(open) > 0 {
		return unanswered(open, openAt)
	}
	return nil
}

func unanswered(open map[string]bool, at int) *apiError {
	ids := make([]string, 0, len(open))
	for id := range open {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return badRequest(fmt.Sprintf("messages.[%d].role", at), "",
		"An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: "+strings.Join(ids, ", "))
}

func readTools(raw json.RawMessage, req *chatRequest) *apiError {
	items, e := arrayOf("tools", raw)
	if e != nil {
		return e
	}
	for i, item := range items {
		param := fmt.Sprintf("tools[%d]", i)
		m, typ, e := kindOf(param, item, "type", toolTypes)
		if e != nil {
			return e
		}
		if typ != "function" {
			continue // a custom tool: accepted, and never called by the planner
		}
		if !isSet(m, "function") {
			return errMissing(param + ".function")
		}
		fn, e := object(param+".function", m["function"])
		if e != nil {
			return e
		}
		name, e := stringField(fn, param+".function", "name")
		if e != nil {
			return e
		}
		p := param + ".function.name"
		switch {
		case len(name) > maxToolName:
			return badRequest(p, "string_above_max_length", fmt.Sprintf("Invalid '%s': string too long. Expected a string with maximum length %d, but got a string with length %d instead.", p, maxToolName, len(name)))
		case !toolNameRe.MatchString(name):
			return badRequest(p, "invalid_value", fmt.Sprintf("Invalid '%s': string does not match pattern. Expected a string that matches the pattern '%s'.", p, toolNameRe))
		}
		if isSet(fn, "parameters") {
			if _, e := object(param+".function.parameters", fn["parameters"]); e != nil {
				return e
			}
		}
		var t toolDef
		_ = json.Unmarshal(item, &t)
		req.Tools = append(req.Tools, t)
	}
	req.ToolsJSON = len(raw)
	return nil
}
