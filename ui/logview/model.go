package logview

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/uictx"
)

// DefaultCapacity is how many rows the pane keeps (the transcript keeps everything).
const DefaultCapacity = 5000

// Model is the log pane. Rows live in a ring; indices below are absolute (0 = first row
// ever added), so a selection survives old rows falling out of the window.
type Model struct {
	ring     []Row
	capacity int
	total    int // rows ever added

	Follow    bool   // keep the newest row selected and visible
	Focused   bool   // the selection bar is drawn only while the pane has the focus
	Searching bool   // a search is being typed (see StartSearch)
	filter    int    // index into filters
	query     string // the search: rows containing it, case-insensitively
	shown     int    // rows held that pass the filter and the search
	selected  int    // absolute index of the selected row (-1 = none)
	top       int    // absolute index of the first visible row
	height    int    // rows visible at the last render (for paging)
	gen       int    // bumped by InvalidateStyles; rows rendered under an older gen are redrawn

	tools map[string]string // call id → tool, for rows whose event names another (gate.mcp)
}

// maxCallTools bounds the call id → tool map (it is rebuilt from the rows that follow).
const maxCallTools = 4096

// InvalidateStyles drops cached row renderings (after a theme change).
func (m *Model) InvalidateStyles() { m.gen++ }

// New returns an empty log in follow mode.
func New(capacity int) *Model {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &Model{ring: make([]Row, 0, min(capacity, 1024)), capacity: capacity, Follow: true, selected: -1, tools: map[string]string{}}
}

// callTool is the tool of e's call: its own for the gate's steps, remembered for the MCP
// call (whose event names the MCP server's tool).
func (m *Model) callTool(e session.Event) string {
	if e.CallID == "" {
		return ""
	}
	if e.Kind != session.KindMCPCall && e.Tool != "" {
		if len(m.tools) >= maxCallTools {
			clear(m.tools)
		}
		m.tools[e.CallID] = e.Tool
	}
	return m.tools[e.CallID]
}

// Add appends the row for e, if the log shows that kind of event.
func (m *Model) Add(e session.Event) {
	if m.total > 0 && len(m.ring) > 0 {
		if last := m.at(m.total - 1); present.Coalesces(last.Event, e) {
			last.Repeat = max(last.Repeat, 1) + 1
			last.Event, last.Summary, last.cache, last.lower = e, present.Repeated(e, last.Repeat), "", ""
			return
		}
	}
	r, ok := RowFor(e, m.callTool(e))
	if !ok {
		return
	}
	if len(m.ring) < m.capacity {
		m.ring = append(m.ring, r)
	} else {
		if old := m.at(m.total); m.matches(old) {
			m.shown--
		}
		m.ring[m.total%m.capacity] = r
	}
	m.total++
	if m.matches(m.at(m.total - 1)) {
		m.shown++
		if m.Follow {
			m.selected = m.total - 1
		}
	}
}

// Len is the number of rows held.
func (m *Model) Len() int { return len(m.ring) }

// first is the absolute index of the oldest row held.
func (m *Model) first() int { return m.total - len(m.ring) }

func (m *Model) at(abs int) *Row { return &m.ring[abs%m.capacity] }

// Clear drops every row.
func (m *Model) Clear() {
	m.ring = m.ring[:0]
	m.total, m.shown = 0, 0
	m.selected, m.top = -1, 0
}

// Selected returns the selected row.
func (m *Model) Selected() (Row, bool) {
	if m.selected < m.first() || m.selected >= m.total {
		return Row{}, false
	}
	return *m.at(m.selected), true
}

// prevMatch is the last matching absolute index ≤ i, or -1.
func (m *Model) prevMatch(i int) int {
	for ; i >= m.first(); i-- {
		if m.matches(m.at(i)) {
			return i
		}
	}
	return -1
}

func (m *Model) nextMatch(i int) int {
	for ; i < m.total; i++ {
		if m.matches(m.at(i)) {
			return i
		}
	}
	return -1
}

// Move moves the selection by n matching rows (negative = up) and leaves follow mode when
// moving up; reaching the newest row turns follow back on.
func (m *Model) Move(n int) {
	if m.selected < m.first() {
		m.selected = m.prevMatch(m.total - 1)
	}
	for ; n < 0 && m.selected >= 0; n++ {
		if p := m.prevMatch(m.selected - 1); p >= 0 {
			m.selected = p
		}
	}
	for ; n > 0 && m.selected >= 0; n-- {
		if p := m.nextMatch(m.selected + 1); p >= 0 {
			m.selected = p
		}
	}
	m.Follow = m.selected == m.prevMatch(m.total-1)
}

// Page moves by one screen of rows.
func (m *Model) Page(dir int) { m.Move(dir * max(m.height-1, 1)) }

// Home selects the oldest row; End the newest (and follows).
func (m *Model) Home() { m.selected = m.nextMatch(m.first()); m.Follow = false }

// End selects the newest row and turns follow on.
func (m *Model) End() { m.selected = m.prevMatch(m.total - 1); m.Follow = true }

// Title is the pane title: the filter and search applied, how many rows they show of how
// many held ("Log · gate · 12 of 48 · follow"), and the search being typed.
func (m *Model) Title() string {
	parts := []string{"Log", "all"}
	if f := m.Filter(); f != "" {
		parts[1] = f
	}
	switch {
	case m.Searching:
		parts = append(parts, "/"+m.query+"▏")
	case m.query != "":
		parts = append(parts, "/"+m.query)
	}
	if m.Filter() == "" && m.query == "" {
		parts = append(parts, numfmt.Group(int64(len(m.ring)))+" rows")
	} else {
		parts = append(parts, numfmt.Group(int64(m.shown))+" of "+numfmt.Group(int64(len(m.ring))))
	}
	mode := "paused"
	if m.Follow {
		mode = "follow"
	}
	return strings.Join(append(parts, mode), " · ")
}

// View renders height lines of at most width cells. Only visible rows are formatted.
func (m *Model) View(ctx *uictx.Context, width, height int) string {
	if height <= 0 || width <= 0 {
		return ""
	}
	m.height = height
	visible := m.visibleRows(height)
	lines := make([]string, 0, height)
	for _, abs := range visible {
		lines = append(lines, m.renderRow(ctx, abs, width))
	}
	if len(lines) == 0 {
		empty := "no events yet"
		if len(m.ring) > 0 {
			empty = "no row matches (t/T: filter · /: search · esc clears the search)"
		}
		lines = append(lines, ctx.Styles.Muted.Render(ansi.Truncate(empty, width, "…")))
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// visibleRows picks the absolute indices to show, keeping the selection in view.
func (m *Model) visibleRows(height int) []int {
	sel := m.selected
	if m.Follow || sel < m.first() {
		sel = m.prevMatch(m.total - 1)
		m.selected = sel
	}
	if sel < 0 {
		return nil
	}
	if m.top < m.first() {
		m.top = m.first()
	}
	// When the selection is above the window, start the window at it.
	if sel < m.top {
		m.top = sel
	}
	rows := make([]int, 0, height)
	for i := m.nextMatch(m.top); i >= 0 && len(rows) < height; i = m.nextMatch(i + 1) {
		rows = append(rows, i)
		if i >= sel && len(rows) == height {
			break
		}
	}
	if len(rows) > 0 && sel <= rows[len(rows)-1] {
		return rows
	}
	// The selection is below the window: end the window at it.
	rows = rows[:0]
	for i := sel; i >= 0 && len(rows) < height; i = m.prevMatch(i - 1) {
		rows = append(rows, i)
	}
	for l, r := 0, len(rows)-1; l < r; l, r = l+1, r-1 {
		rows[l], rows[r] = rows[r], rows[l]
	}
	m.top = rows[0]
	return rows
}

// renderRow renders a row once per width, selection and style generation: a steady frame
// reuses the strings of the frame before.
func (m *Model) renderRow(ctx *uictx.Context, abs, width int) string {
	r := m.at(abs)
	sel := abs == m.selected && m.Focused
	if r.cache != "" && r.cacheWidth == width && r.cacheSel == sel && r.cacheGen == m.gen {
		return r.cache
	}
	r.cache, r.cacheWidth, r.cacheSel, r.cacheGen = m.drawRow(ctx, r, sel, width), width, sel, m.gen
	return r.cache
}

// drawRow draws "09:30:01 CAP    #call_1_2 mcp:financial → allow · query_financial_mcp · …":
// the time, the label, the call's id when the row belongs to a tool call, the summary.
func (m *Model) drawRow(ctx *uictx.Context, r *Row, selected bool, width int) string {
	st := ctx.Styles
	head := ctx.Clock(r.Event.Time) + " "
	label := fmt.Sprintf("%-*s ", present.LabelWidth, r.Label)
	tag := ""
	if r.CallID != "" {
		tag = present.CallTag(r.CallID) + " "
	}
	line := ansi.Truncate(head+label+tag+r.Summary, width, "…")
	if width < 20 {
		return st.Text.Render(line)
	}
	if selected {
		pad := width - ansi.StringWidth(line)
		return st.Selected.Render(line + strings.Repeat(" ", max(pad, 0)))
	}
	var b strings.Builder
	rest := line
	for _, part := range []struct {
		text  string
		style func(...string) string
	}{{head, st.Muted.Render}, {label, ctx.Style(r.Level).Render}, {tag, st.Muted.Render}} {
		n := min(len(part.text), len(rest))
		b.WriteString(part.style(rest[:n]))
		rest = rest[n:]
	}
	b.WriteString(st.Text.Render(rest))
	return b.String()
}
