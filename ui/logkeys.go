package ui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/ui/dialog"
	"github.com/lumodash/lumodash/ui/logview"
)

// openRow opens what Enter shows for a log row: the trace of its tool call, with the row's
// step selected, or the row's details when it belongs to no call.
func (m *Model) openRow(r logview.Row) {
	live := m.replay == nil
	if r.CallID == "" || !present.InTrace(r.Event) {
		m.dialogs = append(m.dialogs, &dialog.Details{Event: r.Event, Summary: r.Summary, Live: live})
		return
	}
	id := r.CallID
	m.dialogs = append(m.dialogs, &dialog.Trace{CallID: id, Seq: r.Event.Seq,
		Source: func() present.Trace { return present.NewTrace(m.st.Call(id)) }})
}

// searchKey edits the log's search while it is typed: the rows are filtered as it changes;
// enter keeps it, esc clears it.
func (m *Model) searchKey(msg tea.KeyPressMsg) {
	q := m.log.Query()
	switch msg.String() {
	case "esc":
		m.log.EndSearch(false)
	case "enter":
		m.log.EndSearch(true)
	case "backspace":
		if r := []rune(q); len(r) > 0 {
			m.log.SetQuery(string(r[:len(r)-1]))
		}
	case "ctrl+u":
		m.log.SetQuery("")
	default:
		if msg.Text != "" && len([]rune(q)) < 80 {
			m.log.SetQuery(q + msg.Text)
		}
	}
}
