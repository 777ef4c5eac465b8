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
	CallID  string        // the tool call the row belongs to, "" for none
	Tool    string        // that call's tool

	lower string // searchText, once asked

	// The rendered line, kept while width, selection and styles stay the same.
	cache      string
	cacheWidth int
	cacheSel   bool
	cacheGen   int
}

// RowFor turns an event into a row; ok is false for events the log does not show
// (streamed deltas, prompts and tool calls live in the conversation). tool is the tool of
// the event's call when the event itself does not name it ("" when unknown).
func RowFor(e session.Event, tool string) (Row, bool) {
	if !present.InLog(e) {
		return Row{}, false
	}
	r := Row{Label: present.Label(e.Kind), Summary: present.Summary(e), Level: present.LevelOf(e), Event: e, CallID: e.CallID}
	if e.CallID != "" {
		r.Tool = tool
		r.Summary = present.CallSummary(e, tool)
	}
	return r, true
}
