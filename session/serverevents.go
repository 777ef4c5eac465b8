package session

import "github.com/lumodash/lumodash/tools"

// ServerReporter turns what MCP servers send lumodash's client (tools.ServerEvent) into
// gate.progress and mcp.message events.
func (b *Bus) ServerReporter() func(tools.ServerEvent) {
	return func(s tools.ServerEvent) { b.Emit(ServerEvent(s)) }
}

// ServerEvent is the event of s: gate.progress for a call's progress, mcp.message for a log
// message or a server request and how it was answered.
func ServerEvent(s tools.ServerEvent) Event {
	if s.Kind == tools.ServerProgress {
		e := Event{Kind: KindMCPProgress, CallID: s.CallID, Tool: s.Tool, Server: s.Server, Count: int(s.Progress), Text: s.Text}
		if s.Total > 0 {
			e.Percent = 100 * s.Progress / s.Total
		}
		return e
	}
	method := s.Method
	if s.Kind == tools.ServerLog {
		method = "notifications/message"
	}
	return Event{Kind: KindMCPMessage, Server: s.Server, Endpoint: method, Status: Status(s.Level), Text: s.Text}
}
