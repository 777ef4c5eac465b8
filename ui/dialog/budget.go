package dialog

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Budget says which limit was reached, when it resets and what can be done.
type Budget struct {
	Exhausted state.Exhaustion
	Agent     string
	CanSwitch bool // other agents are available
}

// Title implements Dialog.
func (d *Budget) Title() string { return "Budget exhausted" }

// Lines implements Dialog.
func (d *Budget) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	e := d.Exhausted
	limit := e.Limit
	if limit == "" {
		limit = "budget"
	}
	reset := "unknown (the server did not say)"
	if !e.ResetsAt.IsZero() {
		at := e.ResetsAt.In(ctx.Location)
		reset = numfmt.HourMinute(at) + " " + at.Format("MST") + " (in " + present.Until(ctx.Now(), e.ResetsAt) + ")"
	}
	wrap := func(s string) []string { return splitLines(ansi.Wrap(s, width, " ")) }
	head := fmt.Sprintf("The %s limit of %s is spent.", limit, d.Agent)
	if strings.Contains(e.Why, "the next model call needs") {
		head = fmt.Sprintf("The %s limit of %s has too little left for the next call.", limit, d.Agent)
	}
	var out []string
	for _, l := range splitLines(ansi.Wrap(head, width, " ")) {
		out = append(out, st.Alarm.Render(l))
	}
	if why := explanation(e.Why, limit); why != "" {
		// The guard stops before a call that would not fit, so "99% used" alone would not
		// explain the stop: its own words do.
		for _, l := range wrap(why) {
			out = append(out, st.Text.Render(l))
		}
	} else if e.Percent > 0 {
		out = append(out, st.Text.Render("Used: "+numfmt.Percent(e.Percent)+" of the limit."))
	}
	out = append(out, st.Text.Render("Resets: "+reset), "", st.Bold.Render("What you can do:"))
	var todo []string
	switch limit {
	case "session tokens", "session cost":
		todo = append(todo, "• restart with a higher --max-tokens / --max-cost")
	default:
		todo = append(todo, "• wait for the reset, then ask again",
			"• ask a LumoAuth administrator to raise the agent's budget policy")
	}
	if d.CanSwitch {
		todo = append(todo, "• press a to switch to another agent")
	}
	for _, t := range todo {
		for _, l := range wrap(t) {
			out = append(out, st.Text.Render(l))
		}
	}
	return append(out, "", st.Muted.Render("esc close · a switch agent"))
}

// Update implements Dialog.
func (d *Budget) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	switch {
	case isKey(msg, "esc", "enter", "q"):
		return true, nil
	case isKey(msg, "a") && d.CanSwitch:
		return true, func() tea.Msg { return OpenAgentPickerMsg{} }
	}
	return false, nil
}

// explanation is the guard's reason as a sentence for the dialog.
func explanation(text, limit string) string {
	s := present.BudgetReason(text, limit)
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
