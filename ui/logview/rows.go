// Package logview is the dashboard's log pane: one row per capability check, token,
// exchange, MCP call, model call, budget event and error, kept in a bounded ring so memory
// and rendering cost stay flat however long the session runs; details of a row on demand.
// How an event reads (label, level, summary) is internal/present's.
package logview

import (
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
)

// Row is one log line and the event it came from (kept for the details view).
type Row struct {
	Label   string // present.Label of the event's kind
	Summary string // already safe for the terminal
	Level   present.Level
	Event   session.Event // the latest, when polls were coalesced
	Repeat  int           // how many identical calls this row stands for (coalesced polls), 0 or 1 = one

	// The rendered line, kept while width, selection and styles stay the same.
	cache      string
	cacheWidth int
	cacheSel   bool
	cacheGen   int
}

// Labels are the kinds the filter cycles through ("" = all).
var Labels = []string{"", present.LabelAuth, present.LabelCheck, present.LabelExchange, present.LabelMCP,
	present.LabelModel, present.LabelBudget, present.LabelJIT, present.LabelError}

// RowFor turns an event into a row; ok is false for events the log does not show
// (streamed deltas, prompts and tool calls live in the conversation).
func RowFor(e session.Event) (Row, bool) {
	if !present.InLog(e) {
		return Row{}, false
	}
	return Row{Label: present.Label(e.Kind), Summary: present.Summary(e), Level: present.LevelOf(e), Event: e}, true
}
