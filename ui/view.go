package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/ui/dialog"
	"github.com/lumodash/lumodash/ui/sidebar"
)

// Layout thresholds.
const (
	MinWidth   = 40 // below this (or MinHeight) a notice replaces the layout
	MinHeight  = 14
	StackBelow = 72 // narrower terminals stack the panes
)

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

// View renders the whole screen; each pane renders only what is visible.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "lumodash"
	return v
}

// Render is the screen as a string (View's content), exactly width×height cells.
func (m *Model) Render() string {
	if m.tooSmall() {
		return m.tooSmallView()
	}
	w, h := m.width, m.height
	header := m.headerView(w)
	input := m.inputView(w)
	footer := m.footerView(w)
	bodyH := h - lipgloss.Height(header) - lipgloss.Height(input) - 1
	body := m.bodyView(w, bodyH)
	screen := strings.Join([]string{header, body, input, footer}, "\n")
	if n := len(m.dialogs); n > 0 {
		screen = m.overlay(screen, dialog.Render(m.ctx, m.dialogs[n-1], w, h))
	}
	return screen
}

func (m *Model) headerView(w int) string {
	status := m.status()
	return m.cache.pane(m.ctx, "header", w, status, func() string { return sidebar.Header(m.ctx, m.st, status, w) })
}

func (m *Model) sideLines(w int) []string {
	return strings.Split(m.cache.pane(m.ctx, "side", w, "", func() string { return strings.Join(m.drawSide(w), "\n") }), "\n")
}

func (m *Model) drawSide(w int) []string {
	st := m.ctx.Styles
	lines := []string{st.Title.Render("Capabilities")}
	lines = append(lines, sidebar.Capabilities(m.ctx, m.st, w)...)
	if card := sidebar.PendingCard(m.ctx, m.st.Pending, w); card != nil {
		lines = append(append(lines, ""), card...)
	}
	lines = append(lines, "", st.Title.Render("Budget"))
	return append(lines, sidebar.Budget(m.ctx, m.st, m.limits, w)...)
}

func (m *Model) bodyView(w, h int) string {
	border := 2
	if m.ctx.Flat {
		border = 1
	}
	if w < StackBelow {
		side := m.sideLines(w - 2)
		sideH := min(len(side)+border, h/3)
		rest := h - sideH
		convH := rest * 55 / 100
		logH := rest - convH
		return strings.Join([]string{
			m.box("Agent", strings.Join(side, "\n"), w, sideH, false),
			m.convBox(w, convH),
			m.logBox(w, logH),
		}, "\n")
	}
	sideW := 30
	if w >= 140 {
		sideW = 38
	}
	mainW := w - sideW
	side := m.box("Agent", strings.Join(m.sideLines(sideW-2), "\n"), sideW, h, false)
	convH := h * 55 / 100
	main := m.convBox(mainW, convH) + "\n" + m.logBox(mainW, h-convH)
	return joinColumns(side, main, sideW)
}

func (m *Model) convBox(w, h int) string {
	inner := 2
	if m.ctx.Flat {
		inner = 1
	}
	title := "Conversation"
	if !m.conv.Following() {
		title += " · scrolled (G/end: newest)"
	}
	content := m.conv.View(m.ctx, w-2, max(h-inner, 0))
	return m.box(title, content, w, h, m.focus == focusConversation)
}

func (m *Model) logBox(w, h int) string {
	inner := 2
	if m.ctx.Flat {
		inner = 1
	}
	content := m.log.View(m.ctx, w-2, max(h-inner, 0))
	return m.box(m.log.Title(), content, w, h, m.focus == focusLog)
}

func (m *Model) inputView(w int) string {
	m.input.ti.SetWidth(max(w-6, 10))
	content := m.input.ti.View()
	if m.opts.Replay != nil {
		content = m.ctx.Styles.Muted.Render(fmt.Sprintf("replay of a recorded session (%d events) · prompts are not sent", len(m.opts.Replay)))
	}
	h := 3
	if m.ctx.Flat {
		h = 2
	}
	return m.box("Prompt", content, w, h, m.focus == focusInput)
}

func (m *Model) footerView(w int) string {
	return m.cache.pane(m.ctx, "footer", w, "", func() string { return m.drawFooter(w) })
}

func (m *Model) drawFooter(w int) string {
	hm := help.New()
	hm.SetWidth(w)
	hm.Styles.ShortKey = m.ctx.Styles.Key
	hm.Styles.ShortDesc = m.ctx.Styles.KeyDesc
	hm.Styles.ShortSeparator = m.ctx.Styles.Muted
	hm.Styles.Ellipsis = m.ctx.Styles.Muted
	return m.pad(hm.ShortHelpView(m.keys.ShortHelp()), w)
}

func (m *Model) tooSmallView() string {
	msg := fmt.Sprintf("Terminal too small: %d×%d.\nlumodash needs at least %d×%d.\nEnlarge the window, or press q to quit.",
		m.width, m.height, MinWidth, MinHeight)
	if m.width <= 0 || m.height <= 0 {
		return msg
	}
	lines := strings.Split(ansi.Wrap(msg, m.width, " "), "\n")
	if len(lines) > m.height { // keep the frame within the terminal, and the way out last
		lines = append(lines[:m.height-1], lines[len(lines)-1])
	}
	styled := m.ctx.Styles.Warn.Render(strings.Join(lines, "\n"))
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, styled)
}

// overlay draws the dialog centred over the screen, splicing it into the screen's lines so
// the panes around it stay visible.
func (m *Model) overlay(screen, d string) string {
	dw, dh := lipgloss.Width(d), lipgloss.Height(d)
	x, y := max((m.width-dw)/2, 0), max((m.height-dh)/2, 0)
	lines := strings.Split(screen, "\n")
	for i, dl := range strings.Split(d, "\n") {
		if y+i >= len(lines) {
			break
		}
		base := lines[y+i]
		left := ansi.Truncate(base, x, "")
		left += strings.Repeat(" ", max(x-ansi.StringWidth(left), 0))
		right := ansi.TruncateLeft(base, x+dw, "")
		// Pad short lines (flat-mode dialogs have no border) so the panes right of the
		// dialog keep their columns.
		dl += strings.Repeat(" ", max(dw-ansi.StringWidth(dl), 0))
		lines[y+i] = left + "\x1b[m" + dl + "\x1b[m" + right
	}
	return strings.Join(lines, "\n")
}
