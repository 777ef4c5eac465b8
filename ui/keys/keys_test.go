package keys

import (
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func press(s string, code rune, mod tea.KeyMod) tea.KeyPressMsg {
	return tea.KeyPressMsg{Code: code, Text: s, Mod: mod}
}

func TestBindingsMatchKeys(t *testing.T) {
	k := Default()
	cases := []struct {
		msg  tea.KeyPressMsg
		b    key.Binding
		name string
	}{
		{tea.KeyPressMsg{Code: tea.KeyTab}, k.Focus, "tab"},
		{tea.KeyPressMsg{Code: tea.KeyEnter}, k.Details, "enter"},
		{press("a", 'a', 0), k.Agent, "a"},
		{tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl}, k.AgentFromInput, "ctrl+a"},
		{tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}, k.Cancel, "ctrl+c"},
		{press("?", '?', 0), k.Help, "?"},
	}
	for _, c := range cases {
		if !key.Matches(c.msg, c.b) {
			t.Errorf("%s (%q) does not match its binding %v", c.name, c.msg.String(), c.b.Keys())
		}
	}
	if key.Matches(press("x", 'x', 0), k.Agent) {
		t.Error("x matched the agent binding")
	}
	// every full-help binding has help text, so the help screen has no blank entries
	for _, col := range k.FullHelp() {
		for _, b := range col {
			if b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("binding %v has no help", b.Keys())
			}
		}
	}
}
