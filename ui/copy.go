package ui

import (
	"fmt"
	"time"

	"github.com/atotto/clipboard"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
)

// Clipboard targets (Options.Clipboard).
const (
	ClipboardOSC52  = "osc52"  // the terminal's clipboard, through an OSC 52 sequence (default; works over SSH)
	ClipboardSystem = "system" // the system clipboard, through xclip, xsel, wl-copy or pbcopy
)

// ParseClipboard checks a clipboard target, "" being the default.
func ParseClipboard(s string) (string, error) {
	switch s {
	case "", ClipboardOSC52:
		return ClipboardOSC52, nil
	case ClipboardSystem:
		return ClipboardSystem, nil
	}
	return "", fmt.Errorf("clipboard must be %s or %s, not %q", ClipboardOSC52, ClipboardSystem, s)
}

// flashFor is how long a notice replaces the footer's hints.
const flashFor = 4 * time.Second

// copiedMsg says how copying to the system clipboard went.
type copiedMsg struct {
	what string
	err  error
}

// copy puts text on the clipboard the user chose and says on screen what was copied. The
// text is what the rows and traces hold: fingerprints and claims, never a token or secret.
func (m *Model) copy(text, what string) tea.Cmd {
	size := present.Plural(len(text), "byte", "bytes")
	if m.opts.Clipboard == ClipboardSystem {
		m.flashNow(present.Quiet, "copying "+what+" …")
		return func() tea.Msg { return copiedMsg{what: what + " (" + size + ")", err: clipboard.WriteAll(text)} }
	}
	m.flashNow(present.OK, "copied "+what+" ("+size+") to the terminal's clipboard (OSC 52)")
	return tea.SetClipboard(text)
}

func (m *Model) onCopied(msg copiedMsg) {
	if msg.err != nil {
		m.flashNow(present.Error, "could not copy "+msg.what+" (install xclip, xsel or wl-copy, or use --clipboard osc52): "+
			safetext.Line(msg.err.Error()))
		return
	}
	m.flashNow(present.OK, "copied "+msg.what+" to the system clipboard")
}

// flashNow shows text in the footer for a few seconds.
func (m *Model) flashNow(level present.Level, text string) {
	m.flash, m.flashLevel, m.flashUntil = text, level, m.ctx.Now().Add(flashFor)
}

// flashing is the notice to show now, "" when none.
func (m *Model) flashing() string {
	if m.flash != "" && m.ctx.Now().Before(m.flashUntil) {
		return m.flash
	}
	return ""
}
