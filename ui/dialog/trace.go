package dialog

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Trace shows the whole story of one tool call as a waterfall, live while the call runs:
// ↑↓ choose a step, enter opens its details, y copies the trace.
type Trace struct {
	CallID string
	Source func() present.Trace // the call's trace now (it grows while the call runs)
	Seq    int64                // the step selected first (the log row Enter was pressed on)

	selected int
	chosen   bool // the selection was moved by a key (else it follows Seq)
}

// OpenDetailsMsg asks the root to show an event's details on top of the trace.
type OpenDetailsMsg struct{ Event session.Event }

// CopyMsg asks the root to copy Text to the clipboard; What names it on screen.
type CopyMsg struct{ Text, What string }

// MaxWidth implements sized: a waterfall reads better wide.
func (d *Trace) MaxWidth() int { return 112 }

// Title implements Dialog.
func (d *Trace) Title() string { return "Trace · " + d.Source().Title() }

func (d *Trace) step(t present.Trace) int {
	if !d.chosen {
		for i, s := range t.Steps {
			if s.Event.Seq == d.Seq {
				d.selected = i
			}
		}
	}
	return min(max(d.selected, 0), max(len(t.Steps)-1, 0))
}

// Lines implements Dialog.
func (d *Trace) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	t := d.Source()
	var out []string
	if t.Args != "" {
		out = append(out, st.Muted.Render("arguments ")+st.Text.Render(ansi.Truncate(safetext.Line(present.Call(t.Tool, t.Args)), width-10, "…")))
	}
	when := "started " + ctx.Clock(t.Started) + " · " + present.Plural(len(t.Steps), "step", "steps")
	if t.Status == "" {
		when += " · running, " + numfmt.Duration(ctx.Now().Sub(t.Started)) + " so far"
	}
	out = append(out, st.Muted.Render(when), "")
	w := t.Layout(width, ctx.Flat)
	out = append(out, st.Muted.Render(w.Head))
	sel := d.step(t)
	for i, r := range w.Rows {
		if i == sel {
			out = append(out, st.Selected.Render(r.Text+r.Bar+strings.Repeat(" ", max(width-ansi.StringWidth(r.Text+r.Bar), 0))))
			continue
		}
		out = append(out, st.Text.Render(r.Text)+ctx.Style(barLevel(r.Step.Level)).Render(r.Bar))
	}
	if len(w.Rows) > 0 {
		s := w.Rows[sel].Step
		out = append(out, "")
		for _, l := range splitLines(ansi.Wrap(present.Label(s.Event.Kind)+" "+present.Summary(s.Event), width, " ·")) {
			out = append(out, st.Text.Render(l))
		}
	}
	return append(out, "", st.Muted.Render("↑↓ step · ⏎ details · y copy · esc close"))
}

// barLevel colours a bar: routine steps in the info colour, so that they show at all.
func barLevel(l present.Level) present.Level {
	if l == present.Quiet {
		return present.Info
	}
	return l
}

// Update implements Dialog.
func (d *Trace) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	t := d.Source()
	sel := d.step(t)
	switch {
	case isKey(msg, "esc", "q"):
		return true, nil
	case isKey(msg, "down", "j"):
		d.selected, d.chosen = min(sel+1, len(t.Steps)-1), true
	case isKey(msg, "up", "k"):
		d.selected, d.chosen = max(sel-1, 0), true
	case isKey(msg, "enter") && len(t.Steps) > 0:
		e := t.Steps[sel].Event
		return false, func() tea.Msg { return OpenDetailsMsg{Event: e} }
	case isKey(msg, "y"):
		text, what := t.Text(100), "the trace of "+safetext.Line(t.CallID)+" ("+safetext.Line(t.Tool)+")"
		return false, func() tea.Msg { return CopyMsg{Text: text, What: what} }
	}
	return false, nil
}
