package dialog

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Tools lists what the session's model is offered (ctrl+t): the MCP servers with whether
// each is reachable or denied (and why), then every tool with its server, the capability the
// gate requires and its description.
type Tools struct {
	tools  []tools.Listing
	parts  []session.Part
	offset int
}

// NewTools is the dialog for the tools and parts of session.start.
func NewTools(ts []tools.Listing, parts []session.Part) *Tools {
	return &Tools{tools: ts, parts: parts}
}

// Title implements Dialog.
func (d *Tools) Title() string { return "Tools offered to the model" }

// MaxWidth lets the descriptions use a wide screen.
func (d *Tools) MaxWidth() int { return 120 }

// Lines implements Dialog.
func (d *Tools) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	var rows []string
	for _, p := range d.parts {
		if p.Role != "mcp" {
			continue
		}
		line := st.Muted.Render("server ") + st.Text.Render(safetext.Line(p.Name)) + " "
		switch p.Status {
		case string(tools.ServerDenied):
			line += st.Alarm.Render("DENIED") + st.Muted.Render(" · its tools are offered and denied at the gate")
		case string(tools.ServerUnreachable):
			line += st.Warn.Render("UNREACHABLE") + st.Muted.Render(" · left out")
		default:
			line += st.OK.Render("reachable")
		}
		rows = append(rows, line)
		if p.Reason != "" { // why, whole: it is what the user acts on
			for _, l := range strings.Split(ansi.Wordwrap(safetext.Line(p.Reason), max(width-4, 10), " "), "\n") {
				rows = append(rows, "    "+st.Muted.Render(l))
			}
		}
	}
	if len(rows) > 0 {
		rows = append(rows, "")
	}
	if len(d.tools) == 0 {
		rows = append(rows, st.Muted.Render("no tools yet: they are listed when the session starts"))
	}
	for _, t := range d.tools {
		head := st.Bold.Render(safetext.Line(t.Name))
		meta := []string{}
		if t.Server != "" {
			meta = append(meta, "server "+safetext.Line(t.Server))
		}
		if t.Capability != "" {
			meta = append(meta, "needs "+safetext.Line(t.Capability))
		}
		head += " " + st.Muted.Render(strings.Join(meta, " · "))
		if t.State == tools.ServerDenied {
			head += " " + st.Alarm.Render("DENIED")
		}
		rows = append(rows, head, "  "+st.Text.Render(ansi.Truncate(safetext.Line(t.Description), max(width-2, 1), "…")))
	}
	d.offset = min(d.offset, max(len(rows)-1, 0))
	// The keys go first: a long list is cut at the bottom of the screen.
	head := st.Muted.Render(fmt.Sprintf("%d tools · ↑↓ scroll · esc close", len(d.tools)))
	return append([]string{head, ""}, rows[d.offset:]...)
}

// Update implements Dialog.
func (d *Tools) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case isKey(msg, "esc", "q", "ctrl+t"):
		return true, nil
	case isKey(msg, "down", "j"):
		d.offset++
	case isKey(msg, "up", "k"):
		d.offset = max(d.offset-1, 0)
	}
	return false, nil
}
