package dialog

import (
	"fmt"
	"strings"
	"time"

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
	Live    bool   // times count from now; false (a replay): as they were at the time
	offset  int
}

func (d *Details) fields(ctx *uictx.Context) []present.Field {
	var now time.Time
	if d.Live {
		now = ctx.Now()
	}
	return present.Details(d.Event, now)
}

// Title implements Dialog.
func (d *Details) Title() string { return fmt.Sprintf("%s · details", present.Label(d.Event.Kind)) }

// Lines implements Dialog.
func (d *Details) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	fields := d.fields(ctx)
	out := []string{st.Text.Render(ansi.Truncate(d.Summary, width, "…")), ""}
	for _, f := range fields[min(d.offset, len(fields)):] {
		name := fmt.Sprintf("%-15s", f.Name)
		val := ansi.Wrap(f.Value, max(width-16, 10), " ,")
		first := true
		for _, l := range splitLines(val) {
			if first {
				out = append(out, st.Muted.Render(name)+" "+st.Text.Render(l))
				first = false
			} else {
				out = append(out, strings.Repeat(" ", 16)+st.Text.Render(l))
			}
		}
	}
	return append(out, "", st.Muted.Render("↑↓ scroll · y copy · esc close"))
}

// Update implements Dialog.
func (d *Details) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case isKey(msg, "esc", "enter", "q"):
		return true, nil
	case isKey(msg, "down", "j"):
		d.offset = min(d.offset+1, len(present.Details(d.Event, time.Time{}))-1)
	case isKey(msg, "up", "k"):
		d.offset = max(d.offset-1, 0)
	case isKey(msg, "y"):
		text := present.DetailsText(d.Summary, present.Details(d.Event, time.Time{}))
		what := "the details of the " + present.Label(d.Event.Kind) + " row"
		return false, func() tea.Msg { return CopyMsg{Text: text, What: what} }
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
