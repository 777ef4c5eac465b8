package telemetrytest

import (
	"fmt"
	"testing"
)

// SessionSpans waits until the collector holds at least n spans of the lumodash session id
// (the traces of its requests: their invoke_agent and chat spans carry it as
// gen_ai.conversation.id) and
// returns them, so that tests sharing a collector read only their own session.
func SessionSpans(t testing.TB, c *Collector, sessionID string, n int) []Span {
	t.Helper()
	return WaitFor(t, c, func(t testing.TB, c *Collector) []Span {
		all := ReadSpans(t, c)
		traces := map[string]bool{}
		for _, s := range all {
			if s.Attr("gen_ai.conversation.id") == sessionID {
				traces[s.TraceID] = true
			}
		}
		var out []Span
		for _, s := range all {
			if traces[s.TraceID] {
				out = append(out, s)
			}
		}
		return out
	}, func(s []Span) bool { return len(s) >= n }, fmt.Sprintf("%d spans of session %s", n, sessionID))
}

// Named is the spans called name.
func Named(spans []Span, name string) []Span {
	var out []Span
	for _, s := range spans {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}
