// Package ui is the lumodash dashboard, a Bubble Tea v2 program: the root model composes the
// panes (ui/sidebar, ui/conversation, ui/logview), the overlay dialogs (ui/dialog) and the
// keymap (ui/keys) around a shared context (ui/uictx). Session events arrive through
// program.Send from a Bus subscriber; Update does no I/O — the runner works in commands.
package ui

import (
	"context"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/dialog"
)

// Runner is what the dashboard needs of a session runner (*session.Runner satisfies it).
type Runner interface {
	Start(ctx context.Context) error
	Ask(ctx context.Context, prompt string) session.Outcome
	Close() error
}

// Options configure the dashboard.
type Options struct {
	Bus *session.Bus // events from runners (nil in replay)
	// NewRunner authenticates as agent ("" = the configured one) and returns its runner.
	NewRunner func(agent string) (Runner, error)
	Agents    []string // agents offered by the switcher (embedded default: the seeded ones)
	Agent     string   // the agent to start as

	Theme       string // dark, light, high-contrast, no-color; "" or auto = follow the terminal
	NoColor     bool   // --no-color or NO_COLOR (the caller reads the environment)
	Flat        bool   // --flat: no borders, no block or braille glyphs
	WarnPercent float64

	// Session limits shown as gauges (0 = none).
	MaxTokens int64
	MaxCost   float64

	Replay      []session.Event // play these instead of running a session
	ReplayFrom  ReplaySource    // or play these, read as they are played (a transcript)
	ReplaySpeed float64         // 1 = real time; ≤ 0 = as fast as possible

	SuggestedPrompt string // offered as the first suggestion in the prompt box

	Clipboard string   // where y copies to: ClipboardOSC52 ("" = it) or ClipboardSystem
	Links     bool     // http(s) links in answers become terminal hyperlinks (OSC 8); other links never do
	Notices   []string // said in the conversation at start (e.g. the dotenv file chose a real server)
	JITMode   string   // ask, auto or off: whether a lacking capability can be requested ("" = not known)

	// Escalation, when set, shows JIT questions (confirm a request, approve/deny a pending
	// one) as dialogs; the same value must be the runners' tools.JITConfig.Human.
	Escalation *Escalation
	// Elicitor, when set, shows MCP servers' elicitation/create questions as dialogs; its
	// Elicit must be the runners' tools.ClientHooks.Elicit.
	Elicitor *Elicitor
	// Operator, when set (the embedded default), lists what waits for the seeded operator
	// (key p) and decides push approvals in a dialog.
	Operator Operator
}

// Operator is the embedded server's reviewer as the dashboard uses it. Its calls run in
// commands, never in Update.
type Operator interface {
	// Pending lists the JIT requests and push approvals waiting for a person, oldest first.
	Pending(ctx context.Context) ([]dialog.PendingItem, error)
	// DecideApproval approves or denies the approval token with the operator's notes.
	DecideApproval(ctx context.Context, token string, approve bool, notes string) error
}

// DefaultSuggestedPrompt is the seed example's prompt.
const DefaultSuggestedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."
