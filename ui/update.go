package ui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/dialog"
)

// Update handles one message. It never does I/O: runner work happens in commands.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, clock := msg.(tickMsg); !clock {
		m.cache.rev++ // whatever the message changes, the next frame is drawn afresh
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		if !m.themeFixed {
			if msg.IsDark() {
				m.setPalette(themes.Dark())
			} else {
				m.setPalette(themes.Light())
			}
		}
	case eventsMsg:
		for _, e := range msg {
			m.ingest(e)
		}
	case jitAskMsg:
		m.openJITDialog(msg)
	case elicitAskMsg:
		m.openElicitDialog(msg)
	case session.Event:
		m.ingest(msg)
	case tickMsg: // only the clock moved: the panes that show it redraw, keyed on the second
		return m, tick()
	case replayReadMsg:
		return m, m.onReplayRead(msg)
	case replayPlayMsg:
		return m, m.onReplayPlay(msg)
	case runnerReadyMsg:
		return m, m.onRunnerReady(msg)
	case turnDoneMsg:
		if msg.gen == m.gen {
			m.running, m.cancelling, m.cancelTurn = false, false, nil
			m.st.TurnDone()
			m.closeJITDialogs("")
			if msg.outcome == session.OutcomeCancelled {
				m.conv.Note(present.Warn, "request cancelled")
			}
		}
	case dialog.OpenDetailsMsg:
		m.dialogs = append(m.dialogs, &dialog.Details{Event: msg.Event, Summary: present.Summary(msg.Event), Live: m.replay == nil})
	case dialog.CopyMsg:
		return m, m.copy(msg.Text, msg.What)
	case copiedMsg:
		m.onCopied(msg)
	case dialog.AgentChosenMsg:
		return m, m.switchAgent(msg.Agent)
	case dialog.OpenAgentPickerMsg:
		m.openAgentPicker()
	case tea.MouseWheelMsg:
		m.scroll(msg.Mouse().Button == tea.MouseWheelUp)
	case tea.PasteMsg:
		m.onPaste(msg)
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	}
	return m, nil
}

// onPaste puts pasted text into the prompt (focusing it): a paste is always meant for the
// prompt, and dropping it would lose what the user meant to send.
func (m *Model) onPaste(msg tea.PasteMsg) {
	if len(m.dialogs) > 0 || m.tooSmall() {
		return
	}
	m.setFocus(focusInput)
	if dropped := m.input.paste(msg); dropped > 0 {
		m.conv.Note(present.Warn, fmt.Sprintf("pasted text cut: %d characters past the %d-character prompt limit were not inserted", dropped, promptCharLimit))
	}
}

func (m *Model) onRunnerReady(msg runnerReadyMsg) tea.Cmd {
	if msg.gen != m.gen {
		if msg.runner != nil {
			return closeRunner(msg.runner)
		}
		return nil
	}
	m.connecting = false
	note := m.switchNote
	m.switchNote = nil
	if msg.err != nil {
		text := "could not start " + msg.agent + ": " + safetext.Line(msg.err.Error())
		if note != nil {
			m.conv.Renote(note, present.Error, "switched to "+msg.agent+": "+text)
		} else {
			m.conv.Note(present.Error, text)
		}
		return nil
	}
	m.runner, m.agent = msg.runner, msg.agent
	m.conv.Renote(note, present.OK, "switched to "+msg.agent+": authenticated, ready")
	return nil
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.Cancel) {
		if m.running && m.cancelTurn != nil && !m.cancelling {
			m.cancelTurn()
			m.cancelling = true
			return nil
		}
		return tea.Quit
	}
	if n := len(m.dialogs); n > 0 {
		done, cmd := m.dialogs[n-1].Update(msg)
		if done {
			m.dialogs = m.dialogs[:n-1]
		}
		return cmd
	}
	if m.tooSmall() {
		if key.Matches(msg, k.Quit) {
			return tea.Quit
		}
		return nil
	}
	if m.focus == focusLog && m.log.Searching {
		m.searchKey(msg)
		return nil
	}
	switch {
	case key.Matches(msg, k.Focus):
		m.setFocus((m.focus + 1) % focusCount)
		return nil
	case key.Matches(msg, k.FocusBack):
		m.setFocus((m.focus + focusCount - 1) % focusCount)
		return nil
	case key.Matches(msg, k.Tools): // from any pane, the input too
		m.dialogs = append(m.dialogs, dialog.NewTools(m.st.Tools, m.st.Parts))
		return nil
	}
	if m.focus == focusInput {
		switch {
		case key.Matches(msg, k.Send):
			return m.send(m.input.take())
		case key.Matches(msg, k.AgentFromInput):
			m.openAgentPicker()
			return nil
		}
		return m.input.update(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.dialogs = append(m.dialogs, &dialog.Help{Keys: m.keys})
	case key.Matches(msg, k.Agent):
		m.openAgentPicker()
	case key.Matches(msg, k.Close) && m.focus == focusLog && m.log.Query() != "":
		m.log.SetQuery("") // esc clears the search first, then leaves the log
	case key.Matches(msg, k.Close):
		m.setFocus(focusInput)
	default:
		if m.focus == focusLog {
			return m.logKey(msg)
		}
		m.conversationKey(msg)
	}
	return nil
}

func (m *Model) logKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Details):
		if r, ok := m.log.Selected(); ok {
			m.openRow(r)
		}
	case key.Matches(msg, k.Copy):
		if r, ok := m.log.Selected(); ok {
			line := m.ctx.Clock(r.Event.Time) + " " + r.Label + " " + r.Summary
			return m.copy(present.DetailsText(line, present.Details(r.Event, time.Time{})), "the "+r.Label+" row of "+m.ctx.Clock(r.Event.Time))
		}
	case key.Matches(msg, k.Search):
		m.log.StartSearch()
	case key.Matches(msg, k.FilterBack):
		m.log.CycleFilter(-1)
	case key.Matches(msg, k.Up):
		m.log.Move(-1)
	case key.Matches(msg, k.Down):
		m.log.Move(1)
	case key.Matches(msg, k.PageUp):
		m.log.Page(-1)
	case key.Matches(msg, k.PageDown):
		m.log.Page(1)
	case key.Matches(msg, k.Top):
		m.log.Home()
	case key.Matches(msg, k.Bottom), key.Matches(msg, k.Follow) && !m.log.Follow:
		m.log.End()
	case key.Matches(msg, k.Follow):
		m.log.Follow = false
	case key.Matches(msg, k.Filter):
		m.log.CycleFilter(1)
	case key.Matches(msg, k.Clear):
		m.log.Clear()
	}
	return nil
}

func (m *Model) conversationKey(msg tea.KeyPressMsg) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.conv.Scroll(1)
	case key.Matches(msg, k.Down):
		m.conv.Scroll(-1)
	case key.Matches(msg, k.PageUp):
		m.conv.Page(1)
	case key.Matches(msg, k.PageDown):
		m.conv.Page(-1)
	case key.Matches(msg, k.Top):
		m.conv.Top()
	case key.Matches(msg, k.Bottom):
		m.conv.Bottom()
	}
}

// scroll moves the focused pane by three lines (mouse wheel).
func (m *Model) scroll(up bool) {
	d := 3
	if !up {
		d = -3
	}
	if m.focus == focusLog {
		m.log.Move(-d)
		return
	}
	m.conv.Scroll(d)
}

func (m *Model) setFocus(f focusArea) {
	m.focus = f
	if f == focusInput {
		m.input.ti.Focus()
	} else {
		m.input.ti.Blur()
	}
}

// send starts a request, unless one is running or there is no runner.
func (m *Model) send(prompt string) tea.Cmd {
	switch {
	case prompt == "":
		return nil
	case m.replay != nil:
		m.conv.Note(present.Warn, "this is a replay: prompts are not sent")
		return nil
	case m.running:
		m.conv.Note(present.Warn, "a request is running; ctrl+c cancels it")
		return nil
	case m.runner == nil:
		m.conv.Note(present.Warn, "not connected yet; wait for authentication or press ctrl+a to choose an agent")
		return nil
	}
	ctx, cancel := context.WithCancel(m.base)
	m.running, m.cancelTurn, m.cancelling = true, cancel, false
	return ask(ctx, m.runner, m.gen, prompt)
}

func (m *Model) openAgentPicker() {
	if len(m.opts.Agents) == 0 || m.replay != nil || m.opts.NewRunner == nil {
		m.conv.Note(present.Warn, "no other agents to switch to")
		return
	}
	m.dialogs = append(m.dialogs, dialog.NewAgentPicker(m.opts.Agents, m.agent))
}

// switchAgent cancels any running request, closes the old runner and authenticates anew.
func (m *Model) switchAgent(agent string) tea.Cmd {
	if m.cancelTurn != nil {
		m.cancelTurn()
	}
	old := m.runner
	m.gen++
	m.runner, m.running, m.cancelTurn, m.cancelling = nil, false, nil, false
	m.agent, m.connecting = agent, true
	m.st.ResetForAgent()
	m.dialogs = nil
	m.switchNote = m.conv.Note(present.Quiet, "switched to "+agent+": re-authenticating…")
	return tea.Batch(closeRunner(old), startRunner(m.base, m.opts.NewRunner, m.gen, agent))
}
