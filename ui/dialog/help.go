package dialog

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/ui/keys"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Help is the full key help ('?').
type Help struct{ Keys keys.KeyMap }

// Title implements Dialog.
func (h *Help) Title() string { return "Keys" }

// Lines implements Dialog: the key groups side by side as far as they fit, the rest below,
// so every key is listed whatever the width.
func (h *Help) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	const gap = 3
	var out, row []string // row: the lines of the groups placed so far in this band
	rowW := 0
	flush := func() {
		if len(row) > 0 {
			if len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, row...)
		}
		row, rowW = nil, 0
	}
	for _, group := range h.Keys.FullHelp() {
		keyW, colW := 0, 0
		for _, b := range group {
			keyW = max(keyW, ansi.StringWidth(b.Help().Key))
		}
		col := make([]string, 0, len(group))
		for _, b := range group {
			k := b.Help().Key
			l := st.Key.Render(k) + strings.Repeat(" ", keyW-ansi.StringWidth(k)+1) + st.KeyDesc.Render(b.Help().Desc)
			col = append(col, l)
			colW = max(colW, ansi.StringWidth(l))
		}
		if rowW > 0 && rowW+gap+colW > width {
			flush()
		}
		pad := 0
		if rowW > 0 {
			pad = gap
		}
		for i, l := range col {
			if i >= len(row) {
				row = append(row, strings.Repeat(" ", rowW))
			}
			row[i] += strings.Repeat(" ", rowW+pad-ansi.StringWidth(row[i])) + l
		}
		rowW += pad + colW
	}
	flush()
	out = append(out, "")
	note := "Tab moves focus: prompt → conversation → log; esc returns to the prompt. The mouse wheel scrolls the focused pane."
	for _, l := range splitLines(ansi.Wrap(note, width, " ")) {
		out = append(out, st.Muted.Render(l))
	}
	return append(out, st.Muted.Render("esc close"))
}

// Update implements Dialog.
func (h *Help) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	return isKey(msg, "esc", "?", "q", "enter"), nil
}
