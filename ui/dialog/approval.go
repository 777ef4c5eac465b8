package dialog

import (
	"fmt"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/uictx"
)

// approvalNotesLimit bounds the notes typed for a decision.
const approvalNotesLimit = 200

// Approval decides a push approval (an agent's require_approval) as the embedded server's
// operator, with notes: the same look and quiet period as the JIT review dialog.
type Approval struct {
	Item     PendingItem
	Reviewer string
	Now      func() time.Time

	quietFrom time.Time
	notes     []rune
	typing    bool // keys go into the notes
}

// NewApproval returns the dialog, disarmed for JITQuietPeriod from now.
func NewApproval(it PendingItem, reviewer string, now func() time.Time) *Approval {
	return &Approval{Item: it, Reviewer: reviewer, Now: now, quietFrom: now()}
}

// Armed says whether keys answer the dialog yet.
func (d *Approval) Armed() bool { return d.Now().Sub(d.quietFrom) >= JITQuietPeriod }

// Title implements Dialog.
func (d *Approval) Title() string { return "Approval requested · a person must decide" }

// Lines implements Dialog.
func (d *Approval) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	it := d.Item
	wrap := func(s string) []string { return splitLines(ansi.Wrap(s, width, " ")) }
	var out []string
	for _, l := range wrap(fmt.Sprintf("%s asks a person to approve an action.", safetext.Line(it.Agent))) {
		out = append(out, st.Text.Render(l))
	}
	out = append(out, "")
	field := func(name, value string, style func(...string) string) {
		for i, l := range splitLines(ansi.Wrap(value, max(width-15, 10), " ")) {
			if i > 0 {
				name = ""
			}
			out = append(out, st.Muted.Render(fmt.Sprintf("%-14s ", name))+style(l))
		}
	}
	field("Action", safetext.Line(it.What), st.Text.Render)
	impact := st.Text.Render
	if it.Level == "high" || it.Level == "critical" {
		impact = st.Warn.Render
	}
	field("Impact", safetext.Line(it.Level), impact)
	if it.TaskID != "" {
		field("Task", safetext.Line(it.TaskID), st.Text.Render)
	}
	if it.Detail != "" {
		field("Details", safetext.Line(it.Detail), st.Text.Render)
	}
	if !it.Expires.IsZero() {
		field("Time left", numfmt.Duration(it.Expires.Sub(ctx.Now())), st.Warn.Render)
	}
	notes := string(d.notes)
	switch {
	case d.typing:
		notes += "▏"
	case notes == "":
		notes = "(none · n to write)"
	}
	field("Notes", notes, st.Text.Render)
	out = append(out, "")
	who := d.Reviewer
	if who == "" {
		who = "the operator"
	}
	for _, l := range wrap("Decide as " + safetext.Line(who) + " on the embedded server:") {
		out = append(out, st.Bold.Render(l))
	}
	keys := "a approve · d deny · n notes"
	if d.typing {
		return append(out, st.Key.Render("type the notes · enter done")+st.Muted.Render(" · esc discards them"))
	}
	if !d.Armed() {
		return append(out, st.Muted.Render(keys+" · (keys ignored for a moment)"))
	}
	return append(out, st.Key.Render(keys)+st.Muted.Render(" · esc decides later"))
}

// Update implements Dialog: while disarmed every key restarts the quiet period.
func (d *Approval) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	if d.typing {
		switch {
		case isKey(msg, "enter"):
			d.typing = false
		case isKey(msg, "esc"):
			d.typing, d.notes = false, nil
		case isKey(msg, "backspace"):
			if len(d.notes) > 0 {
				d.notes = d.notes[:len(d.notes)-1]
			}
		default:
			if t := msg.Text; t != "" && utf8.RuneCountInString(t)+len(d.notes) <= approvalNotesLimit {
				d.notes = append(d.notes, []rune(safetext.Line(t))...)
			}
		}
		return false, nil
	}
	if isKey(msg, "esc") {
		return true, nil
	}
	if !d.Armed() {
		d.quietFrom = d.Now()
		return false, nil
	}
	decide := func(approve bool) tea.Cmd {
		m := DecideApprovalMsg{Token: d.Item.ID, Approve: approve, Notes: string(d.notes)}
		return func() tea.Msg { return m }
	}
	switch {
	case isKey(msg, "a"):
		return true, decide(true)
	case isKey(msg, "d"):
		return true, decide(false)
	case isKey(msg, "n"):
		d.typing = true
	}
	return false, nil
}
