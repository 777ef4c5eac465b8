package ui

import (
	"fmt"
	"strings"

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
func (m *Model) View() tea.View { return screenView(m.Render(), "lumodash") }

// screenView is a full-screen frame of content: alternate screen, mouse wheel, window title.
func screenView(content, title string) tea.View {
	v := tea.NewView(content)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = title
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
	screen := m.cache.screen(header, body, input, footer)
	if n := len(m.dialogs); n > 0 {
		screen = m.overlay(screen, dialog.Render(m.ctx, m.dialogs[n-1], w, h))
	}
	return screen
}

func (m *Model) headerView(w int) string {
	status := m.status()
	return m.cache.pane(m.ctx, "header", w, status, sidebar.HeaderClock(m.ctx, m.st), func() string { return sidebar.Header(m.ctx, m.st, status, w) })
}

func (m *Model) sideText(w int) string {
	return m.cache.pane(m.ctx, "side", w, "", sidebar.SideClock(m.ctx, m.st), func() string { return strings.Join(m.drawSide(w), "\n") })
}

func (m *Model) drawSide(w int) []string {
	st := m.ctx.Styles
	lines := []string{st.Title.Render("Capabilities")}
	lines = append(lines, sidebar.Capabilities(m.ctx, m.st, w)...)
	if card := sidebar.PendingCard(m.ctx, m.st.Pending, w); card != nil {
		lines = append(append(lines, ""), card...)
	}
	lines = append(lines, "", st.Title.Render("Budget"))
	lines = append(lines, sidebar.Budget(m.ctx, m.st, m.limits, w)...)
	lines = append(lines, sidebar.Context(m.ctx, m.st, w)...)
	return append(lines, sidebar.Usage(m.ctx, m.st, w)...)
}

func (m *Model) bodyView(w, h int) string {
	if w < StackBelow {
		// Stacked: the sidebar shrinks to a two-line summary so the conversation and the
		// log keep a few rows each.
		summary := sidebar.Summary(m.ctx, m.st, m.limits, w)
		for i := range summary {
			summary[i] = m.pad(summary[i], w)
		}
		if h < 8+len(summary) {
			summary = summary[:max(min(len(summary), h-8), 0)]
		}
		rest := h - len(summary)
		convH := max(rest*55/100, min(4, rest))
		logH := rest - convH
		return m.cache.kept("body", m.bodyKey(w, h, summary...), func() string {
			return strings.Join(append(summary, m.convBox(w, convH), m.logBox(w, logH)), "\n")
		})
	}
	sideW := 30
	switch {
	case w < 100: // at 80 columns every cell counts for the conversation and the log
		sideW = 26
	case w >= 140:
		sideW = 38
	}
	mainW := w - sideW
	sideText := m.sideText(sideW - 2)
	return m.cache.kept("body", m.bodyKey(w, h, sideText), func() string {
		side := m.box("Agent", sideText, sideW, h, false)
		// The conversation gets the larger share: an answer should fit beside its tool calls, and
		// the log's newest rows (follow mode) are what matter there.
		convH := h * 60 / 100
		main := m.convBox(mainW, convH) + "\n" + m.logBox(mainW, h-convH)
		return joinColumns(side, main, sideW)
	})
}

// bodyKey is what the body depends on besides the model's state: its size, the focus and
// the sidebar's text (which shows the clock).
func (m *Model) bodyKey(w, h int, side ...string) string {
	return fmt.Sprint(w, "x", h, " ", m.focus, " ", m.ctx.Flat, "\x00") + strings.Join(side, "\n")
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
	m.log.Focused = m.focus == focusLog
	content := m.log.View(m.ctx, w-2, max(h-inner, 0))
	return m.box(m.log.Title(), content, w, h, m.focus == focusLog)
}

// inputView is the prompt box. It shows nothing of the clock (the cursor does not blink),
// so it is kept until the next message.
func (m *Model) inputView(w int) string {
	return m.cache.kept("input", fmt.Sprint(w, " ", m.focus, " ", m.ctx.Flat), func() string { return m.drawInput(w) })
}

func (m *Model) drawInput(w int) string {
	m.input.ti.SetWidth(max(w-6, 10))
	m.input.fitPlaceholder(w - 5) // inside the border, after "› " and the cursor
	content := m.input.ti.View()
	if m.replay != nil {
		content = m.ctx.Styles.Muted.Render("replay of a recorded session (" + m.replay.count() + ") · prompts are not sent")
	}
	h := 3
	if m.ctx.Flat {
		h = 2
	}
	return m.box("Prompt", content, w, h, m.focus == focusInput)
}

func (m *Model) footerView(w int) string {
	// The hints follow the focus, the dialog on top and the prompt: all part of the key.
	key := fmt.Sprint(m.focus, len(m.dialogs), m.running, m.cancelling, m.input.ti.Value() == "", m.log.Searching, m.log.Query() != "", m.flashing())
	if n := len(m.dialogs); n > 0 {
		key += fmt.Sprintf("%T%v", m.dialogs[n-1], dialog.Hints(m.dialogs[n-1]))
	}
	return m.cache.pane(m.ctx, "footer", w, key, "", func() string { return m.drawFooter(w) })
}

func (m *Model) tooSmallView() string {
	// The longest wording that fits; the way out (q) is in every one, on the last line.
	texts := []string{
		fmt.Sprintf("Terminal too small: %d×%d.\nlumodash needs at least %d×%d.\nEnlarge the window, or press q to quit.", m.width, m.height, MinWidth, MinHeight),
		fmt.Sprintf("Too small: %d×%d.\nNeeds %d×%d.\nEnlarge, or q to quit.", m.width, m.height, MinWidth, MinHeight),
		fmt.Sprintf("%d×%d: too small\nq quits", m.width, m.height),
		"q quits",
	}
	if m.width <= 0 || m.height <= 0 {
		return texts[0]
	}
	var lines []string
	for _, t := range texts {
		lines = strings.Split(ansi.Wrap(t, m.width, " "), "\n")
		if len(lines) <= m.height {
			break
		}
	}
	if len(lines) > m.height { // keep the frame within the terminal, and the way out last
		lines = lines[len(lines)-m.height:]
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
		if want := ansi.StringWidth(base) - x - dw; ansi.StringWidth(right) > want {
			// A wide character straddled the dialog's right edge: blank its visible half.
			right = " " + ansi.TruncateLeft(base, x+dw+1, "")
		}
		// Pad short lines (flat-mode dialogs have no border) so the panes right of the
		// dialog keep their columns.
		dl += strings.Repeat(" ", max(dw-ansi.StringWidth(dl), 0))
		lines[y+i] = left + "\x1b[m" + dl + "\x1b[m" + right
	}
	return strings.Join(lines, "\n")
}
