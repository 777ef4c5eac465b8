package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

// ArgsError says what is wrong with a call's arguments, naming the field. Its message is
// written for the model (and the person) that made the call.
type ArgsError struct {
	Field string // "" when the whole arguments object is at fault
	Msg   string
}

func (e *ArgsError) Error() string {
	if e.Field == "" {
		return "invalid arguments: " + e.Msg
	}
	return fmt.Sprintf("invalid argument %q: %s", e.Field, e.Msg)
}

// decodeArgs parses raw call arguments as a JSON object. Empty input means no arguments.
func decodeArgs(raw json.RawMessage) (map[string]any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &ArgsError{Msg: "not valid JSON (" + err.Error() + "); send a JSON object such as {\"query\": \"…\"}"}
	}
	if dec.More() {
		return nil, &ArgsError{Msg: "trailing data after the JSON object"}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &ArgsError{Msg: fmt.Sprintf("expected a JSON object, got %s", jsonKind(v))}
	}
	return obj, nil
}

// ValidateArgs checks raw arguments against a tool's JSON schema: an object, required
// fields present, declared types and enums respected, numeric bounds kept, and no unknown
// fields when the schema says additionalProperties: false. It covers the subset of JSON
// Schema that tool definitions use; keywords it does not know are ignored, not enforced.
func ValidateArgs(schema map[string]any, raw json.RawMessage) error {
	args, err := decodeArgs(raw)
	if err != nil {
		return err
	}
	return validateObject("", schema, args)
}

func validateObject(path string, schema map[string]any, obj map[string]any) error {
	props, _ := schema["properties"].(map[string]any)
	for _, name := range stringList(schema["required"]) {
		if v, ok := obj[name]; !ok || v == nil {
			return &ArgsError{Field: join(path, name), Msg: "is required but missing"}
		}
	}
	if ap, ok := schema["additionalProperties"].(bool); ok && !ap {
		var unknown []string
		for name := range obj {
			if _, known := props[name]; !known {
				unknown = append(unknown, name)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return &ArgsError{Field: join(path, unknown[0]), Msg: "is not a parameter of this tool (known: " + strings.Join(sortedKeys(props), ", ") + ")"}
		}
	}
	for _, name := range sortedKeys(props) {
		v, ok := obj[name]
		if !ok || v == nil {
			continue
		}
		sub, _ := props[name].(map[string]any)
		if err := validateValue(join(path, name), sub, v); err != nil {
			return err
		}
	}
	return nil
}

func validateValue(path string, schema map[string]any, v any) error {
	if schema == nil {
		return nil
	}
	if types := stringList(schema["type"]); len(types) > 0 && !matchesAny(types, v) {
		return &ArgsError{Field: path, Msg: fmt.Sprintf("must be %s, got %s", strings.Join(types, " or "), jsonKind(v))}
	}
	if enum, ok := schema["enum"].([]any); ok && len(enum) > 0 && !inEnum(enum, v) {
		return &ArgsError{Field: path, Msg: fmt.Sprintf("must be one of %v", enum)}
	}
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		if lo, ok := number(schema["minimum"]); ok && f < lo {
			return &ArgsError{Field: path, Msg: fmt.Sprintf("must be at least %v, got %v", lo, n)}
		}
		if hi, ok := number(schema["maximum"]); ok && f > hi {
			return &ArgsError{Field: path, Msg: fmt.Sprintf("must be at most %v, got %v", hi, n)}
		}
	}
	switch x := v.(type) {
	case map[string]any:
		return validateObject(path, schema, x)
	case []any:
		items, _ := schema["items"].(map[string]any)
		for i, item := range x {
			if err := validateValue(fmt.Sprintf("%s[%d]", path, i), items, item); err != nil {
				return err
			}
		}
	}
	return nil
}

func matchesAny(types []string, v any) bool {
	for _, t := range types {
		if matchesType(t, v) {
			return true
		}
	}
	return false
}

func matchesType(t string, v any) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f == math.Trunc(f)
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "null":
		return v == nil
	}
	return true // unknown type keyword: not ours to enforce
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		if fmt.Sprint(e) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}

// stringList reads a schema keyword that is a string or a list of strings.
func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
