package logview

import (
	"slices"
	"strings"

	"github.com/lumodash/lumodash/internal/present"
)

// filter is one way of choosing rows: by kind, or the gate's rows.
type filter struct {
	name  string // "" = all rows
	match func(Row) bool
}

// gateLabels are the rows of the gate: checks, JIT steps, exchanges, MCP calls, results.
var gateLabels = []string{present.LabelCheck, present.LabelJIT, present.LabelExchange, present.LabelMCP, present.LabelTool}

// filters are what t / T cycle through, in order.
var filters = func() []filter {
	fs := []filter{{"", func(Row) bool { return true }},
		{"gate", func(r Row) bool { return slices.Contains(gateLabels, r.Label) }}}
	for _, l := range []string{present.LabelAuth, present.LabelCheck, present.LabelExchange, present.LabelMCP, present.LabelTool,
		present.LabelModel, present.LabelBudget, present.LabelJIT, present.LabelError} {
		fs = append(fs, filter{l, func(r Row) bool { return r.Label == l }})
	}
	return fs
}()

// Filters are the filter names in cycling order ("" = all, "gate", then the labels).
func Filters() []string {
	names := make([]string, len(filters))
	for i, f := range filters {
		names[i] = f.name
	}
	return names
}

// matches says whether r passes the filter and the search.
func (m *Model) matches(r *Row) bool {
	if !filters[m.filter].match(*r) {
		return false
	}
	return m.query == "" || strings.Contains(r.searchText(), strings.ToLower(m.query))
}

// Filter is the filter applied, "" for all rows.
func (m *Model) Filter() string { return filters[m.filter].name }

// CycleFilter moves to the next filter (dir 1) or the previous one (dir -1).
func (m *Model) CycleFilter(dir int) {
	m.filter = (m.filter + dir + len(filters)) % len(filters)
	m.refilter()
}

// Query is the search applied ("" = none).
func (m *Model) Query() string { return m.query }

// StartSearch begins typing a search; the rows are filtered as it is typed.
func (m *Model) StartSearch() { m.Searching = true }

// SetQuery filters the rows to those containing q (case-insensitively), as it is typed.
func (m *Model) SetQuery(q string) {
	m.query = q
	m.refilter()
}

// EndSearch stops typing: keep says whether the search stays applied (enter) or is
// cleared (esc).
func (m *Model) EndSearch(keep bool) {
	m.Searching = false
	if !keep || m.query == "" {
		m.SetQuery("")
	}
}

// refilter counts the rows shown and selects the newest of them.
func (m *Model) refilter() {
	m.shown = 0
	for i := m.first(); i < m.total; i++ {
		if m.matches(m.at(i)) {
			m.shown++
		}
	}
	m.Follow = true
	m.selected = m.prevMatch(m.total - 1)
}

// Shown is how many of the rows held the filter and search let through.
func (m *Model) Shown() int { return m.shown }

// searchText is what a search looks in: the row's label, summary, call id and tool.
func (r *Row) searchText() string {
	if r.lower == "" {
		r.lower = strings.ToLower(r.Label + " " + r.Summary + " " + r.CallID + " " + r.Tool)
	}
	return r.lower
}
