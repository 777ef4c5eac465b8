package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/tools"
)

// A server's elicitation shows as a dialog: accepting sends the fields' defaults; a form
// with a required field lumodash cannot fill in can only be declined.
func TestElicitationDialog(t *testing.T) {
	m := newTestModel(t, "dark", 100, 30, nil)
	reply := make(chan tools.ElicitAnswer, 1)
	m.Update(elicitAskMsg{q: tools.Elicitation{Server: "everything", Message: "Pick a colour\x1b[2J",
		Schema: map[string]any{"type": "object", "properties": map[string]any{"colour": map[string]any{"type": "string", "default": "blue"}}}}, reply: reply})
	screen := ansi.Strip(pinned(t, m))
	if !strings.Contains(screen, "MCP server everything asks") || !strings.Contains(screen, "colour (string) = blue") || strings.Contains(screen, "\x1b[2J") {
		t.Fatalf("dialog:\n%s", screen)
	}
	m.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	if a := <-reply; !a.Accept || a.Content["colour"] != "blue" {
		t.Errorf("accepted: %+v", a)
	}

	m.Update(elicitAskMsg{q: tools.Elicitation{Server: "everything", Message: "Your name?",
		Schema: map[string]any{"properties": map[string]any{"name": map[string]any{"type": "string"}}, "required": []any{"name"}}}, reply: reply})
	m.Update(tea.KeyPressMsg{Code: 'a', Text: "a"})
	select {
	case a := <-reply:
		t.Fatalf("accepted a form with a required field left empty: %+v", a)
	default:
	}
	if !strings.Contains(ansi.Strip(pinned(t, m)), "only declining is possible") {
		t.Errorf("no explanation:\n%s", ansi.Strip(pinned(t, m)))
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if a := <-reply; a.Accept || !strings.Contains(a.Reason, "declined by the user") {
		t.Errorf("declined: %+v", a)
	}
}
