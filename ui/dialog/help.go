package dialog

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/ui/keys"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Help is the full key help ('?').
type Help struct{ Keys keys.KeyMap }

// Title implements Dialog.
func (h *Help) Title() string { return "Keys" }

// Lines implements Dialog.
func (h *Help) Lines(ctx *uictx.Context, width int) []string {
	m := help.New()
	m.SetWidth(width)
	m.Styles.FullKey = ctx.Styles.Key
	m.Styles.FullDesc = ctx.Styles.KeyDesc
	m.Styles.FullSeparator = ctx.Styles.Muted
	lines := splitLines(m.FullHelpView(h.Keys.FullHelp()))
	return append(lines, "", ctx.Styles.Muted.Render("Tab moves focus: input → conversation → log. The mouse wheel scrolls the focused pane."), ctx.Styles.Muted.Render("esc close"))
}

// Update implements Dialog.
func (h *Help) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	return isKey(msg, "esc", "?", "q", "enter"), nil
}
