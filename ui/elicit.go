package ui

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui/dialog"
)

// Elicitor shows MCP servers' elicitation/create questions as a dialog (accept or decline):
// the MCP client's goroutine hands the question to the program and blocks until the user
// answers or the server's request ends. Its Elicit is tools.ClientHooks.Elicit.
type Elicitor struct {
	mu    sync.Mutex
	send  func(tea.Msg)
	ready chan struct{}
}

// NewElicitor returns an Elicitor; Run attaches it to the program.
func NewElicitor() *Elicitor { return &Elicitor{ready: make(chan struct{})} }

func (e *Elicitor) attach(send func(tea.Msg)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.send == nil {
		e.send = send
		close(e.ready)
	}
}

// elicitAskMsg carries a server's question to the root model; reply has room for one answer.
type elicitAskMsg struct {
	q     tools.Elicitation
	reply chan tools.ElicitAnswer
}

// Elicit asks the user and waits for the answer; an ended request is declined.
func (e *Elicitor) Elicit(ctx context.Context, q tools.Elicitation) tools.ElicitAnswer {
	select {
	case <-e.ready:
	case <-ctx.Done():
		return tools.ElicitAnswer{Reason: "the dashboard was not showing"}
	}
	e.mu.Lock()
	send := e.send
	e.mu.Unlock()
	reply := make(chan tools.ElicitAnswer, 1)
	go send(elicitAskMsg{q: q, reply: reply}) // Program.Send blocks until the loop takes it
	select {
	case a := <-reply:
		return a
	case <-ctx.Done():
		return tools.ElicitAnswer{Reason: "the server's request ended before an answer"}
	}
}

// openElicitDialog shows the question; the dialog answers once.
func (m *Model) openElicitDialog(msg elicitAskMsg) {
	reply := msg.reply
	m.dialogs = append(m.dialogs, dialog.NewElicit(msg.q, func(a tools.ElicitAnswer) { reply <- a }))
}
