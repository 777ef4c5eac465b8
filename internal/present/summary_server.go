package present

import (
	"fmt"

	"github.com/lumodash/lumodash/session"
)

// mcpProgress reads "everything progress 3 (60%) · trigger-long-running-operation · message".
func mcpProgress(e session.Event) string {
	s := e.Server + " progress " + fmt.Sprint(e.Count)
	if e.Percent > 0 {
		s += fmt.Sprintf(" (%.0f%%)", e.Percent)
	}
	s += " · " + e.Tool
	if e.Text != "" {
		s += " · " + e.Text
	}
	return s
}

// mcpMessage reads "everything log info: …" for a log message and "everything
// elicitation/create declined: …" for a request.
func mcpMessage(e session.Event) string {
	what := e.Endpoint
	if what == "notifications/message" {
		what = "log"
	}
	s := e.Server + " " + what + " " + string(e.Status)
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}

// mcpMessageLevel: a declined request or a warning (and worse) log message stands out.
func mcpMessageLevel(e session.Event) Level {
	switch e.Status {
	case "declined", "warning":
		return Warn
	case "error", "critical", "alert", "emergency":
		return Error
	}
	return Quiet
}
