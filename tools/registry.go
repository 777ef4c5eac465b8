package tools

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// toolName is what OpenAI-compatible APIs accept as a function name.
var toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// Registry is the set of tools offered to the model, in the order they were added.
// Safe for concurrent use.
type Registry struct {
	mu     sync.RWMutex
	order  []Tool
	byName map[string]Tool
}

// NewRegistry returns a Registry holding ts. A tool that Add refuses is dropped; use Add
// directly to see why.
func NewRegistry(ts ...Tool) *Registry {
	r := &Registry{byName: map[string]Tool{}}
	for _, t := range ts {
		_ = r.Add(t)
	}
	return r
}

// Add registers t. It refuses a nil tool, a name models cannot call, and a duplicate name.
func (r *Registry) Add(t Tool) error {
	if t == nil {
		return fmt.Errorf("tools: cannot register a nil tool")
	}
	name := t.Name()
	if !toolName.MatchString(name) {
		return fmt.Errorf("tools: tool name %q is not callable by a model (use 1-64 letters, digits, _ or -)", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byName[name]; dup {
		return fmt.Errorf("tools: a tool named %q is already registered", name)
	}
	r.byName[name] = t
	r.order = append(r.order, t)
	return nil
}

// Tools returns the registered tools in the order they were added.
func (r *Registry) Tools() []Tool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]Tool(nil), r.order...)
}

// Capabilities are the capabilities the tools require, sorted, each once (nil registry: none).
func (r *Registry) Capabilities() []string {
	if r == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, t := range r.Tools() {
		if c := t.Capability(); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// Lookup finds a tool by name.
func (r *Registry) Lookup(name string) (Tool, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.byName[name]
	return t, ok
}

// Names returns the tool names, sorted, for "unknown tool" messages.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.order))
	for _, t := range r.order {
		names = append(names, t.Name())
	}
	sort.Strings(names)
	return names
}

// sanitizeName turns s into a callable tool name fragment: characters outside
// [a-zA-Z0-9_-] become '_'.
func sanitizeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			return r
		}
		return '_'
	}, s)
}

// Close closes the tools that hold an MCP session.
func (r *Registry) Close() { CloseTools(r.Tools()) }
