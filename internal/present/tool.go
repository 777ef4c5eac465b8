package present

import (
	"strings"

	"github.com/lumodash/lumodash/tools"
)

// toolStatuses are the marks and words of a tool call's outcome.
var toolStatuses = map[tools.Status]struct{ mark, word string }{
	tools.StatusOK:     {"✓", "allowed"},
	tools.StatusDenied: {"✗", "denied"},
	tools.StatusFailed: {"!", "failed"},
}

// ToolStatus is a tool call's outcome as mark and word: "✓ allowed", "✗ denied", "! failed";
// "… running" before it has one.
func ToolStatus(s tools.Status) string {
	if s == "" {
		return "… running"
	}
	if t, ok := toolStatuses[s]; ok {
		return t.mark + " " + t.word
	}
	return "? " + string(s)
}

// ToolStatusWord is the outcome in a word: allowed, denied, failed, running.
func ToolStatusWord(s tools.Status) string {
	if s == "" {
		return "running"
	}
	if t, ok := toolStatuses[s]; ok {
		return t.word
	}
	return string(s)
}

// ToolStatusLevel colours a tool call's outcome.
func ToolStatusLevel(s tools.Status) Level {
	switch s {
	case "":
		return Quiet
	case tools.StatusOK:
		return OK
	}
	return Error
}

// Call is a tool call on one line: the tool and its arguments, compacted — a single
// argument by its value, search("Q3 performance"), several as key: value pairs.
func Call(tool, args string) string { return tool + "(" + compactArgs(args) + ")" }

func compactArgs(raw string) string {
	s := strings.TrimSpace(raw)
	if !strings.HasPrefix(s, "{") {
		return s
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	parts := strings.Split(s, ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		k, v, ok := strings.Cut(p, ":")
		if !ok {
			out = append(out, strings.TrimSpace(p))
			continue
		}
		k = strings.Trim(strings.TrimSpace(k), `"`)
		v = strings.TrimSpace(v)
		if len(parts) == 1 {
			out = append(out, v)
		} else {
			out = append(out, k+": "+v)
		}
	}
	return strings.Join(out, ", ")
}
