package dialog

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Details shows an event's details (a log row's).
type Details struct {
	Event   session.Event
	Summary string // the row's summary (it may stand for several coalesced events)
	offset  int
}

// Title implements Dialog.
func (d *Details) Title() string { return fmt.Sprintf("%s · details", present.Label(d.Event.Kind)) }

// Lines implements Dialog.
func (d *Details) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	fields := present.Details(d.Event)
	out := []string{st.Text.Render(ansi.Truncate(d.Summary, width, "…")), ""}
	for _, f := range fields[min(d.offset, len(fields)):] {
		name := fmt.Sprintf("%-12s", f.Name)
		val := ansi.Wrap(f.Value, max(width-13, 10), " ,")
		first := true
		for _, l := range splitLines(val) {
			if first {
				out = append(out, st.Muted.Render(name)+" "+st.Text.Render(l))
				first = false
			} else {
				out = append(out, "             "+st.Text.Render(l))
			}
		}
	}
	return append(out, "", st.Muted.Render("↑↓ scroll · esc close"))
}

// Update implements Dialog.
func (d *Details) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case isKey(msg, "esc", "enter", "q"):
		return true, nil
	case isKey(msg, "down", "j"):
		d.offset = min(d.offset+1, len(present.Details(d.Event))-1)
	case isKey(msg, "up", "k"):
		d.offset = max(d.offset-1, 0)
	}
	return false, nil
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
