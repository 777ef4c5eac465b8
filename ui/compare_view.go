package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/ui/dialog"
)

// CompareSideBySideFrom is the narrowest terminal compare mode sets its two dashboards side
// by side in; below it they are stacked, each the full width (a side needs about 70 columns
// for its sidebar, conversation and log).
const CompareSideBySideFrom = 140

// sideBySide says whether the two dashboards sit next to each other.
func (c *Compare) sideBySide() bool { return c.width >= CompareSideBySideFrom }

func (c *Compare) tooSmall() bool { return c.width < MinWidth || c.height < MinHeight }

// inputHeight is the shared prompt box's height.
func (c *Compare) inputHeight() int {
	if c.sides[0].ctx.Flat {
		return 2
	}
	return 3
}

// regions are the two sides' sizes: halves of the width, or of the height when stacked,
// above the prompt and the footer.
func (c *Compare) regions() (w, h [2]int) {
	bodyH := max(c.height-c.inputHeight()-1, 2)
	if c.sideBySide() {
		w = [2]int{c.width / 2, c.width - c.width/2}
		return w, [2]int{bodyH, bodyH}
	}
	return [2]int{c.width, c.width}, [2]int{bodyH / 2, bodyH - bodyH/2}
}

// resize tells each side its region. A side keeps at least the single dashboard's minimum
// height, so that it takes keys as usual when stacked in a short terminal; it is drawn in
// its region all the same.
func (c *Compare) resize() {
	w, h := c.regions()
	for i, m := range c.sides {
		m.Update(tea.WindowSizeMsg{Width: w[i], Height: max(h[i], MinHeight)})
	}
}

// View renders the screen.
func (c *Compare) View() tea.View { return screenView(c.Render(), "lumodash · compare") }

// Render is the screen as a string, exactly width×height cells.
func (c *Compare) Render() string {
	if c.tooSmall() {
		return c.sides[0].sized(c.width, c.height, c.sides[0].tooSmallView)
	}
	w, h := c.regions()
	beside := c.sideBySide()
	left, right := c.sides[0].paneView(w[0], h[0], beside), c.sides[1].paneView(w[1], h[1], beside)
	body := left + "\n" + right
	if beside {
		body = joinColumns(left, right, w[0])
	}
	screen := strings.Join([]string{body, c.inputView(), c.footerView()}, "\n")
	if i := c.dialogSide(); i >= 0 && !beside {
		// Stacked, a side is too short for a dialog: it covers the screen, titled with its agent.
		m := c.sides[i]
		screen = m.sized(c.width, c.height, func() string { return m.overlay(screen, m.dialogView(c.width, c.height)) })
	}
	return screen
}

// dialogView is the side's dialog on top, titled with the agent it is for.
func (m *Model) dialogView(w, h int) string {
	return dialog.Render(m.ctx, forAgent{m.dialogs[len(m.dialogs)-1], m.agent}, w, h)
}

// paneView is one side in a w×h region: its header and body (the single dashboard's), with
// its dialog on top when withDialog.
func (m *Model) paneView(w, h int, withDialog bool) string {
	return m.sized(w, h, func() string {
		header := strings.Split(m.headerView(w), "\n")
		for i, l := range header {
			header[i] = m.pad(l, w) // the other side's header starts right after
		}
		screen := strings.Join(header, "\n") + "\n" + m.bodyView(w, h-len(header))
		if len(m.dialogs) > 0 && withDialog {
			screen = m.overlay(screen, m.dialogView(w, h))
		}
		return screen
	})
}

// sized draws with the model's size set to w×h for the time of draw.
func (m *Model) sized(w, h int, draw func() string) string {
	ow, oh := m.width, m.height
	m.width, m.height = w, h
	defer func() { m.width, m.height = ow, oh }()
	return draw()
}

func (c *Compare) inputView() string {
	m := c.sides[0]
	w := c.width
	c.input.ti.SetWidth(max(w-6, 10))
	c.input.fitPlaceholder(w - 5)
	return m.box("Prompt · sent to "+c.sides[0].agent+" and "+c.sides[1].agent, c.input.ti.View(), w, c.inputHeight(), c.focus == compareInput)
}

// footerView is the hints of the side whose dialog or pane has the keys, else the prompt's.
func (c *Compare) footerView() string {
	if i := c.dialogSide(); i >= 0 {
		return c.sides[i].drawFooter(c.width)
	}
	if i, _, ok := c.focus.side(); ok {
		return c.sides[i].drawFooter(c.width)
	}
	m := c.sides[0]
	quit := dialog.Hint{Key: "ctrl+c", Desc: "quit"}
	if c.sides[0].running || c.sides[1].running {
		quit.Desc = "cancel both"
	}
	hints := []dialog.Hint{{Key: "enter", Desc: "send to both"}}
	if c.input.ti.Value() == "" && c.input.suggestion != "" {
		hints = append(hints, dialog.Hint{Key: "→", Desc: "use suggestion"})
	}
	hints = append(hints, dialog.Hint{Key: "tab", Desc: "focus " + c.sides[0].agent + ", then " + c.sides[1].agent},
		dialog.Hint{Key: "↑↓", Desc: "history"}, quit)
	return m.drawHints(hints, c.width)
}

// forAgent titles a side's dialog with the agent it is for: with two sessions on screen a
// just-in-time question must say whose.
type forAgent struct {
	dialog.Dialog
	agent string
}

func (d forAgent) Title() string { return d.Dialog.Title() + " · " + d.agent }

// MaxWidth keeps the dialog's own width limit.
func (d forAgent) MaxWidth() int {
	if s, ok := d.Dialog.(interface{ MaxWidth() int }); ok {
		return s.MaxWidth()
	}
	return 76
}
