package ui

import (
	"context"
	"reflect"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/session"
)

// Compare is compare mode: two dashboards (each a *Model with its own runner, bus, state and
// panes) on one screen, side by side or stacked, under one prompt line that sends each
// prompt to both. Messages of a side's commands and bus come back wrapped in sideMsg, so
// each reaches the dashboard it belongs to.
type Compare struct {
	sides  [2]*Model
	input  promptBox
	focus  compareFocus
	width  int
	height int
}

// compareFocus is where keys go: the shared prompt, or one side's conversation or log.
type compareFocus int

const (
	compareInput compareFocus = iota
	compareLeftConversation
	compareLeftLog
	compareRightConversation
	compareRightLog
	compareFocusCount
)

// side is the dashboard the focus is on, and its pane; ok is false on the prompt.
func (f compareFocus) side() (i int, pane focusArea, ok bool) {
	if f == compareInput {
		return 0, focusInput, false
	}
	i = int(f-1) / 2
	pane = focusConversation
	if (f-1)%2 == 1 {
		pane = focusLog
	}
	return i, pane, true
}

// sideMsg is a message for one side: from its bus, its escalation or its commands.
type sideMsg struct {
	side int
	msg  tea.Msg
}

// CompareEvent is how a side's bus event reaches the compare model (the event pump and
// uitest wrap events with it).
func CompareEvent(side int, e session.Event) tea.Msg { return sideMsg{side: side, msg: e} }

// NewCompare builds compare mode from the two sides' options (each with its own Bus,
// NewRunner, Agent and Escalation; agent switching is off). The shared prompt takes the
// first side's suggested prompt.
func NewCompare(base context.Context, sides [2]Options) (*Compare, error) {
	c := &Compare{width: 160, height: 48}
	for i, opts := range sides {
		opts.Agents = nil // each side stays the agent it was opened as
		m, err := New(base, opts)
		if err != nil {
			return nil, err
		}
		m.setFocus(focusConversation)
		c.sides[i] = m
	}
	c.input = newPromptBox(c.sides[0].ctx, c.sides[0].opts.SuggestedPrompt)
	c.setFocus(compareInput)
	return c, nil
}

// Side is one of the two dashboards (tests pin its clock).
func (c *Compare) Side(i int) *Model { return c.sides[i] }

// Init starts both sessions.
func (c *Compare) Init() tea.Cmd {
	return tea.Batch(wrapSide(0, c.sides[0].Init()), wrapSide(1, c.sides[1].Init()))
}

// Update routes a message to the side it belongs to, or handles it for both.
func (c *Compare) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case sideMsg:
		return c, c.toSide(msg.side, msg.msg)
	case tea.WindowSizeMsg:
		c.width, c.height = msg.Width, msg.Height
		c.resize()
	case tea.BackgroundColorMsg:
		cmds := c.toBoth(msg)
		c.input.restyle(c.sides[0].ctx)
		return c, cmds
	case tea.PasteMsg:
		if c.dialogSide() < 0 {
			c.setFocus(compareInput)
			c.input.paste(msg)
		}
	case tea.MouseWheelMsg:
		if i, _, ok := c.focus.side(); ok {
			return c, c.toSide(i, msg)
		}
	case tea.KeyPressMsg:
		return c, c.onKey(msg)
	}
	return c, nil
}

func (c *Compare) toSide(i int, msg tea.Msg) tea.Cmd {
	_, cmd := c.sides[i].Update(msg)
	return wrapSide(i, cmd)
}

func (c *Compare) toBoth(msg tea.Msg) tea.Cmd {
	return tea.Batch(c.toSide(0, msg), c.toSide(1, msg))
}

func (c *Compare) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := c.sides[0].keys
	if key.Matches(msg, k.Cancel) {
		if c.cancelRunning() {
			return nil
		}
		return tea.Quit
	}
	if i := c.dialogSide(); i >= 0 { // a dialog takes the keys, as in the single dashboard
		return c.toSide(i, msg)
	}
	if c.tooSmall() {
		if key.Matches(msg, k.Quit) {
			return tea.Quit
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Focus):
		c.setFocus((c.focus + 1) % compareFocusCount)
		return nil
	case key.Matches(msg, k.FocusBack):
		c.setFocus((c.focus + compareFocusCount - 1) % compareFocusCount)
		return nil
	}
	if i, _, ok := c.focus.side(); ok {
		if key.Matches(msg, k.Close) && !c.sides[i].log.Searching && c.sides[i].log.Query() == "" {
			c.setFocus(compareInput)
			return nil
		}
		return c.toSide(i, msg)
	}
	if key.Matches(msg, k.Send) {
		return c.send(c.input.take())
	}
	return c.input.update(msg)
}

// send gives the prompt to both sessions at once.
func (c *Compare) send(prompt string) tea.Cmd {
	return tea.Batch(wrapSide(0, c.sides[0].send(prompt)), wrapSide(1, c.sides[1].send(prompt)))
}

// cancelRunning cancels the requests running on either side; false when none is.
func (c *Compare) cancelRunning() bool {
	any := false
	for _, m := range c.sides {
		if m.running && m.cancelTurn != nil && !m.cancelling {
			m.cancelTurn()
			m.cancelling = true
			any = true
		}
	}
	return any
}

// dialogSide is the side whose dialog takes the keys (the focused side's first), or -1.
func (c *Compare) dialogSide() int {
	first, _, _ := c.focus.side()
	for _, i := range []int{first, 1 - first} {
		if len(c.sides[i].dialogs) > 0 {
			return i
		}
	}
	return -1
}

func (c *Compare) setFocus(f compareFocus) {
	c.focus = f
	if f == compareInput {
		c.input.ti.Focus()
	} else {
		c.input.ti.Blur()
	}
	i, pane, onSide := f.side()
	for j, m := range c.sides {
		if onSide && j == i {
			m.setFocus(pane)
		} else {
			m.setFocus(focusConversation)
			m.focus = focusInput // no pane of this side is focused (its own prompt is not shown)
		}
	}
}

// teaPackage is Bubble Tea's import path: its messages (quit, clipboard, terminal queries)
// are the program's, not a side's.
var teaPackage = reflect.TypeFor[tea.QuitMsg]().PkgPath()

// wrapSide makes cmd's message a sideMsg for side i, so the answer returns to the dashboard
// that asked; a batch is wrapped command by command, and the program's own messages pass.
func wrapSide(i int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		msg := cmd()
		switch msg := msg.(type) {
		case nil:
			return nil
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for j, c := range msg {
				out[j] = wrapSide(i, c)
			}
			return out
		}
		if t := reflect.TypeOf(msg); t.PkgPath() == teaPackage || (t.Kind() == reflect.Pointer && t.Elem().PkgPath() == teaPackage) {
			return msg
		}
		return sideMsg{side: i, msg: msg}
	}
}
