package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/ui/dialog"
)

// footerHints are the keys that matter now: for the dialog on top, else for the focused
// pane. The last hint is the way out; it is always shown.
func (m *Model) footerHints() []dialog.Hint {
	quit := dialog.Hint{Key: "ctrl+c", Desc: "quit"}
	if m.running && !m.cancelling {
		quit.Desc = "cancel"
	}
	if n := len(m.dialogs); n > 0 {
		return append(dialog.Hints(m.dialogs[n-1]), quit)
	}
	if m.tooSmall() {
		return []dialog.Hint{{Key: "q", Desc: "quit"}}
	}
	var h []dialog.Hint
	switch m.focus {
	case focusInput:
		if m.replay != nil { // a replay sends nothing and has no agents to switch
			h = append(h, dialog.Hint{Key: "tab", Desc: "focus the conversation and log"})
			break
		}
		h = append(h, dialog.Hint{Key: "enter", Desc: "send"})
		if m.input.ti.Value() == "" && m.input.suggestion != "" {
			h = append(h, dialog.Hint{Key: "→", Desc: "use suggestion"})
		}
		h = append(h, dialog.Hint{Key: "tab", Desc: "focus"}, dialog.Hint{Key: "↑↓", Desc: "history"},
			dialog.Hint{Key: "ctrl+a", Desc: "agent"})
	case focusConversation:
		h = append(h, dialog.Hint{Key: "↑↓", Desc: "scroll"}, dialog.Hint{Key: "tab", Desc: "focus"},
			dialog.Hint{Key: "G", Desc: "newest"}, dialog.Hint{Key: "esc", Desc: "prompt"},
			dialog.Hint{Key: "a", Desc: "agent"}, dialog.Hint{Key: "?", Desc: "help"})
	case focusLog:
		if m.log.Searching {
			return []dialog.Hint{{Key: "type", Desc: "to filter the rows"}, {Key: "enter", Desc: "keep"}, {Key: "esc", Desc: "clear"}, quit}
		}
		h = append(h, dialog.Hint{Key: "↑↓", Desc: "select"}, dialog.Hint{Key: "⏎", Desc: "trace"},
			dialog.Hint{Key: "t/T", Desc: "filter"}, dialog.Hint{Key: "/", Desc: "search"}, dialog.Hint{Key: "y", Desc: "copy"},
			dialog.Hint{Key: "tab", Desc: "focus"}, dialog.Hint{Key: "f", Desc: "follow"}, dialog.Hint{Key: "c", Desc: "clear"},
			dialog.Hint{Key: "?", Desc: "help"})
		if m.log.Query() != "" {
			h = append([]dialog.Hint{{Key: "esc", Desc: "clear search"}}, h...)
		}
	}
	if m.focus != focusInput && quit.Desc == "quit" {
		quit.Key = "q"
	}
	return append(h, quit)
}

// drawFooter renders as many hints as fit in w cells, in order, and always the last one.
func (m *Model) drawFooter(w int) string { return m.drawHints(m.footerHints(), w) }

// drawHints renders as many of hints as fit in w cells, in order, and always the last one
// (after the flash, when one is showing).
func (m *Model) drawHints(hints []dialog.Hint, w int) string {
	st := m.ctx.Styles
	if f := m.flashing(); f != "" {
		last := hints[len(hints)-1]
		tail := st.Muted.Render(" • ") + st.Key.Render(last.Key) + " " + st.KeyDesc.Render(last.Desc)
		room := w - ansi.StringWidth(tail)
		if m.flashLevel == present.OK {
			f = "✓ " + f
		}
		return m.pad(m.ctx.Style(m.flashLevel).Render(ansi.Truncate(f, max(room, 1), "…"))+tail, w)
	}
	const sep = " • "
	last := hints[len(hints)-1]
	width := func(h dialog.Hint) int { return ansi.StringWidth(h.Key) + 1 + ansi.StringWidth(h.Desc) }
	used := width(last)
	var shown []dialog.Hint
	for _, h := range hints[:len(hints)-1] {
		if used+width(h)+len(sep) > w {
			break
		}
		shown = append(shown, h)
		used += width(h) + len(sep)
	}
	shown = append(shown, last)
	parts := make([]string, len(shown))
	for i, h := range shown {
		parts[i] = st.Key.Render(h.Key) + " " + st.KeyDesc.Render(h.Desc)
	}
	return m.pad(strings.Join(parts, st.Muted.Render(sep)), w)
}
