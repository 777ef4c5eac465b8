package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/conversation"
	"github.com/lumodash/lumodash/ui/dialog"
	"github.com/lumodash/lumodash/ui/keys"
	"github.com/lumodash/lumodash/ui/logview"
	"github.com/lumodash/lumodash/ui/sidebar"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

type focusArea int

const (
	focusInput focusArea = iota
	focusConversation
	focusLog
	focusCount
)

// Messages the model receives from commands and the event pump.
type (
	eventsMsg      []session.Event
	runnerReadyMsg struct {
		gen    int
		agent  string
		runner Runner
		err    error
	}
	turnDoneMsg struct {
		gen     int
		outcome session.Outcome
	}
	tickMsg time.Time
)

// Model is the root model of the dashboard.
type Model struct {
	opts   Options
	ctx    *uictx.Context
	keys   keys.KeyMap
	st     *state.State
	conv   *conversation.Model
	log    *logview.Model
	input  promptBox
	limits sidebar.Limits

	dialogs []dialog.Dialog
	focus   focusArea
	width   int
	height  int

	base       context.Context
	runner     Runner
	gen        int // bumped on every agent switch so late messages of old runners are ignored
	agent      string
	connecting bool
	running    bool
	cancelTurn context.CancelFunc
	cancelling bool
	themeFixed bool
	replay     *replayer           // nil unless replaying
	switchNote *conversation.Block // "re-authenticating…", until the new runner is ready
	flash      string              // a notice in place of the footer's hints (what was copied)
	flashLevel present.Level
	flashUntil time.Time // until then

	cache *frameCache
}

// New builds the root model. It does no I/O; Init starts the runner (or the replay).
func New(base context.Context, opts Options) (*Model, error) {
	pal, err := themes.Lookup(opts.Theme)
	if err != nil {
		return nil, err
	}
	fixed := opts.Theme != "" && opts.Theme != "auto"
	if opts.NoColor {
		pal, fixed = themes.NoColor(), true
	}
	if opts.SuggestedPrompt == "" {
		opts.SuggestedPrompt = DefaultSuggestedPrompt
	}
	clip, err := ParseClipboard(opts.Clipboard)
	if err != nil {
		return nil, err
	}
	opts.Clipboard = clip
	ctx := uictx.New(pal, opts.Flat, opts.WarnPercent)
	ctx.JITOff = opts.JITMode == "off"
	ctx.Links = opts.Links
	m := &Model{
		opts: opts, ctx: ctx, keys: keys.Default(), st: state.New(),
		conv: conversation.New(0), log: logview.New(0),
		input:  newPromptBox(ctx, opts.SuggestedPrompt),
		limits: sidebar.Limits{MaxTokens: opts.MaxTokens, MaxCost: opts.MaxCost},
		base:   base, agent: opts.Agent, themeFixed: fixed, width: 120, height: 36,
		cache: newFrameCache(), replay: newReplayer(opts),
	}
	for _, n := range opts.Notices {
		m.conv.Note(present.Warn, "notice: "+n)
	}
	return m, nil
}

// Context exposes the shared context (tests pin its clock and zone).
func (m *Model) Context() *uictx.Context { return m.ctx }

// Init starts the session (or the replay), asks for the terminal background and the clock.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick()}
	if !m.themeFixed {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	switch {
	case m.replay != nil:
		cmds = append(cmds, m.replay.read())
	case m.opts.NewRunner != nil:
		m.connecting = true
		cmds = append(cmds, startRunner(m.base, m.opts.NewRunner, m.gen, m.agent))
	}
	return tea.Batch(cmds...)
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// ingest folds one event into every part of the screen.
func (m *Model) ingest(e session.Event) {
	e = present.Displayable(e) // live and replayed events alike
	m.st.Apply(e)
	m.conv.Apply(e)
	m.log.Add(e)
	if e.Kind == session.KindBudgetExhausted {
		m.openBudgetDialog()
	}
	if e.Kind == session.KindJITApproved || e.Kind == session.KindJITDenied {
		m.closeJITDialogs(e.RequestID) // decided elsewhere, expired or timed out
	}
}

func (m *Model) openBudgetDialog() {
	if m.st.Exhausted == nil {
		return
	}
	for _, d := range m.dialogs {
		if _, ok := d.(*dialog.Budget); ok {
			return
		}
	}
	name := m.st.Agent.Name
	if name == "" {
		name = m.agent
	}
	m.dialogs = append(m.dialogs, &dialog.Budget{Exhausted: *m.st.Exhausted, Agent: name,
		CanSwitch: len(m.opts.Agents) > 1 && m.replay == nil})
}

// setPalette switches the theme and drops cached renderings.
func (m *Model) setPalette(p themes.Palette) {
	m.ctx.Styles = themes.NewStyles(p)
	m.input.restyle(m.ctx)
	m.conv.InvalidateStyles()
	m.log.InvalidateStyles()
	m.cache.invalidate()
}
