// Package dialog holds the dashboard's overlay dialogs: a tool call's trace, a log row's
// details, budget exhausted, the agent picker, JIT questions and the full key help. Dialogs sit on a stack in the root
// model, get keys first and answer through messages, never by doing I/O.
package dialog

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Dialog is one overlay.
type Dialog interface {
	Title() string
	// Lines renders the body at the given inner width.
	Lines(ctx *uictx.Context, width int) []string
	// Update handles a key; done closes the dialog.
	Update(msg tea.KeyPressMsg) (done bool, cmd tea.Cmd)
}

// AgentChosenMsg asks the root to switch to Agent.
type AgentChosenMsg struct{ Agent string }

// OpenAgentPickerMsg asks the root to open the agent picker.
type OpenAgentPickerMsg struct{}

// Render draws d as a bordered box (a titled block in flat mode) no larger than the screen.
func Render(ctx *uictx.Context, d Dialog, screenW, screenH int) string {
	widest := 76
	if s, ok := d.(interface{ MaxWidth() int }); ok {
		widest = s.MaxWidth()
	}
	w := min(max(screenW-6, 20), widest)
	inner := w - 4
	lines := d.Lines(ctx, inner)
	maxLines := max(screenH-5, 1)
	if len(lines) > maxLines {
		lines = append(lines[:maxLines-1], ctx.Styles.Muted.Render("…"))
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, inner, "…")
	}
	title := ctx.Styles.FocusedTitle.Render(d.Title())
	if ctx.Flat {
		// No border: a blank margin around full-width lines keeps the panes behind from
		// running into the dialog's text.
		block := append([]string{"", "== " + title + " ==", ""}, lines...)
		block = append(block, "", ctx.Styles.Muted.Render("(esc closes)"), "")
		for i, l := range block {
			block[i] = "  " + l + strings.Repeat(" ", max(inner-ansi.StringWidth(l), 0)) + "  "
		}
		return strings.Join(block, "\n")
	}
	body := title + "\n" + strings.Join(lines, "\n")
	return ctx.Styles.Dialog.Width(w).Render(body)
}

// isKey reports whether msg is one of keys.
func isKey(msg tea.KeyPressMsg, keys ...string) bool {
	s := msg.String()
	for _, k := range keys {
		if s == k {
			return true
		}
	}
	return false
}
