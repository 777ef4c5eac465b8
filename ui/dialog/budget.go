package dialog

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/logview"
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
		reset = fmt.Sprintf("%s (in %s)", e.ResetsAt.In(ctx.Location).Format("15:04 MST"), logview.Remaining(e.ResetsAt.Sub(ctx.Now())))
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
		out = append(out, st.Text.Render(fmt.Sprintf("Used: %.0f%% of the limit.", e.Percent)))
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

// explanation turns the budget.exhausted text ("budget exhausted: tokens/day — the next model
// call needs about 967 tokens but only 635 of 100,000 remain (…); resets at …") into a
// sentence for the dialog: the repeated prefix and the reset time (shown below it) removed.
func explanation(text, limit string) string {
	s := safetext.Line(text)
	s = strings.TrimPrefix(s, "budget exhausted: ")
	s = strings.TrimPrefix(s, limit+" — ")
	if i := strings.Index(s, "; resets at "); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}
