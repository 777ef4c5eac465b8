package uitest

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Type types s into the focused prompt box, one key per rune.
func (d *Driver) Type(s string) {
	for _, r := range s {
		d.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// Press sends the named keys (see Key).
func (d *Driver) Press(names ...string) {
	for _, n := range names {
		d.Send(Key(n))
	}
}

// namedKeys are the keys Key knows by name.
var namedKeys = map[string]rune{"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape,
	"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight}

// Key is the key press named: enter, tab, esc, up, down, left, right, ctrl+LETTER, or a
// single character.
func Key(name string) tea.KeyPressMsg {
	if code, ok := namedKeys[name]; ok {
		return tea.KeyPressMsg{Code: code}
	}
	if letter, ok := strings.CutPrefix(name, "ctrl+"); ok && len(letter) == 1 {
		return tea.KeyPressMsg{Code: rune(letter[0]), Mod: tea.ModCtrl}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}
