package dialog

import (
	"fmt"
	"sort"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Elicit is an MCP server's question to the user (elicitation/create): the message and the
// fields it asks for. Accepting sends the fields' defaults (lumodash has no form editor);
// a form with a required field that has no default can only be declined.
type Elicit struct {
	q        tools.Elicitation
	answer   func(tools.ElicitAnswer)
	answered bool
	content  map[string]any
	missing  []string // required fields without a default
	fields   []string // "name (type) = default"
}

// NewElicit shows q; answer receives the user's answer once.
func NewElicit(q tools.Elicitation, answer func(tools.ElicitAnswer)) *Elicit {
	d := &Elicit{q: q, answer: answer, content: map[string]any{}}
	props, _ := q.Schema["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := q.Schema["required"].([]any); ok {
		for _, r := range req {
			required[fmt.Sprint(r)] = true
		}
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p, _ := props[n].(map[string]any)
		f := n + " (" + fmt.Sprint(p["type"]) + ")"
		if def, ok := p["default"]; ok {
			d.content[n] = def
			f += " = " + fmt.Sprint(def)
		} else if required[n] {
			d.missing = append(d.missing, n)
			f += " required, no default"
		}
		d.fields = append(d.fields, safetext.Line(f))
	}
	return d
}

// Title implements Dialog.
func (d *Elicit) Title() string { return "MCP server " + safetext.Line(d.q.Server) + " asks" }

// Lines implements Dialog.
func (d *Elicit) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	var out []string
	for _, l := range strings.Split(ansi.Wordwrap(safetext.Line(d.q.Message), max(width, 10), " "), "\n") {
		out = append(out, st.Text.Render(l))
	}
	if len(d.fields) > 0 {
		out = append(out, "", st.Muted.Render("fields:"))
		for _, f := range d.fields {
			out = append(out, "  "+st.Text.Render(f))
		}
	}
	out = append(out, "")
	if len(d.missing) > 0 {
		out = append(out, st.Warn.Render("lumodash cannot fill in "+strings.Join(d.missing, ", ")+": only declining is possible"),
			st.Muted.Render("d/esc decline"))
		return out
	}
	return append(out, st.Muted.Render("a accept (sends the values above) · d/esc decline"))
}

// Update implements Dialog.
func (d *Elicit) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case isKey(msg, "a") && len(d.missing) == 0:
		d.reply(tools.ElicitAnswer{Accept: true, Content: d.content})
		return true, nil
	case isKey(msg, "d", "esc", "q"):
		d.reply(tools.ElicitAnswer{Reason: "declined by the user in the dashboard"})
		return true, nil
	}
	return false, nil
}

func (d *Elicit) reply(a tools.ElicitAnswer) {
	if !d.answered {
		d.answered = true
		d.answer(a)
	}
}
