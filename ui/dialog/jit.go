package dialog

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui/uictx"
)

// JITQuietPeriod is how long a JIT dialog stays disarmed after it appears and after each key
// pressed meanwhile, so keys typed before it appeared cannot answer it.
const JITQuietPeriod = 800 * time.Millisecond

// JIT asks about a just-in-time request: whether to send it (Review false, --jit ask) or, as
// the embedded server's operator, whether to approve a pending one (Review true). The answer
// goes to the runner's goroutine through Answer, which never blocks.
type JIT struct {
	Question tools.JITQuestion
	Review   bool
	Reviewer string // who decides on the embedded server, e.g. "Acme Security Operator"
	// Answer receives the decision and, when reviewing, the grant length chosen (0 = the
	// requested or server default).
	Answer func(approve bool, grant time.Duration)
	Now    func() time.Time

	quietFrom time.Time // the quiet period runs from here
	grants    []time.Duration
	grant     int // index into grants
}

// NewJIT returns the dialog, disarmed for JITQuietPeriod from now.
func NewJIT(q tools.JITQuestion, review bool, reviewer string, now func() time.Time, answer func(bool, time.Duration)) *JIT {
	d := &JIT{Question: q, Review: review, Reviewer: reviewer, Answer: answer, Now: now, quietFrom: now()}
	if review {
		d.grants, d.grant = grantChoices(q.TTL)
	}
	return d
}

// grantChoices are the grant lengths a reviewer can pick from (LumoAuth caps a JIT grant at
// 15 minutes), with the requested one, if any, preselected.
func grantChoices(requested time.Duration) ([]time.Duration, int) {
	choices := []time.Duration{5 * time.Minute, 10 * time.Minute, 15 * time.Minute}
	if requested <= 0 {
		return choices, 0
	}
	for i, c := range choices {
		if c == requested {
			return choices, i
		}
	}
	choices = append([]time.Duration{requested}, choices...)
	return choices, 0
}

// Grant is the grant length the reviewer has chosen (0 outside review).
func (d *JIT) Grant() time.Duration {
	if len(d.grants) == 0 {
		return 0
	}
	return d.grants[d.grant]
}

// RequestID is the request the dialog is about ("" before it is sent).
func (d *JIT) RequestID() string { return d.Question.RequestID }

// Armed says whether keys answer the dialog yet.
func (d *JIT) Armed() bool { return d.Now().Sub(d.quietFrom) >= JITQuietPeriod }

// Title implements Dialog.
func (d *JIT) Title() string {
	if d.Review {
		return "Just-in-time access · approval needed"
	}
	return "Request just-in-time access?"
}

// Lines implements Dialog.
func (d *JIT) Lines(ctx *uictx.Context, width int) []string {
	st := ctx.Styles
	q := d.Question
	wrap := func(s string) []string { return splitLines(ansi.Wrap(s, width, " ")) }
	var out []string
	for _, l := range wrap(fmt.Sprintf("The analyst's tool %s needs '%s', which the agent lacks.", safetext.Line(q.Tool), safetext.Line(q.Capability))) {
		out = append(out, st.Text.Render(l))
	}
	out = append(out, "")
	field := func(name, value string, style func(...string) string) {
		first := true
		for _, l := range splitLines(ansi.Wrap(value, max(width-15, 10), " ")) {
			label := fmt.Sprintf("%-14s ", name)
			if !first {
				label = fmt.Sprintf("%-14s ", "")
			}
			out = append(out, st.Muted.Render(label)+style(l))
			first = false
		}
	}
	risk := q.Risk
	switch risk {
	case "":
		risk = "decided by the server"
	case "high", "critical":
		risk += " — a person must approve"
	default:
		risk += " — approved at once"
	}
	riskStyle := st.Text.Render
	if q.Risk == "high" || q.Risk == "critical" {
		riskStyle = st.Warn.Render
	}
	field("Risk", risk, riskStyle)
	if q.RequestID != "" {
		field("Request", safetext.Line(q.RequestID), st.Text.Render)
	}
	if q.Justification != "" {
		field("Justification", safetext.Line(q.Justification), st.Text.Render)
	}
	ttl := "server default (5m)"
	switch {
	case d.Review:
		ttl = numfmt.Duration(d.Grant()) + "  (←/→ to change)"
	case q.TTL > 0:
		ttl = numfmt.Duration(q.TTL)
	}
	field("Grant", ttl, st.Text.Render)
	if !q.Deadline.IsZero() {
		field("Time left", numfmt.Duration(q.Deadline.Sub(ctx.Now())), st.Warn.Render)
	}
	out = append(out, "")
	keys := "y send the request · n do not send"
	if d.Review {
		who := d.Reviewer
		if who == "" {
			who = "the operator"
		}
		for _, l := range wrap("Decide as " + safetext.Line(who) + " on the embedded server:") {
			out = append(out, st.Bold.Render(l))
		}
		keys = "a approve · d deny"
	}
	if !d.Armed() {
		return append(out, st.Muted.Render(keys+" · (keys ignored for a moment)"))
	}
	return append(out, st.Key.Render(keys)+st.Muted.Render(" · ctrl+c cancels the request"))
}

// Update implements Dialog: disarmed, every key restarts the quiet period and does nothing.
func (d *JIT) Update(msg tea.KeyPressMsg) (bool, tea.Cmd) {
	if !d.Armed() {
		d.quietFrom = d.Now()
		return false, nil
	}
	yes, no := []string{"y"}, []string{"n"}
	if d.Review {
		yes, no = []string{"a"}, []string{"d"}
	}
	switch {
	case isKey(msg, yes...):
		d.Answer(true, d.Grant())
		return true, nil
	case isKey(msg, no...):
		d.Answer(false, 0)
		return true, nil
	case d.Review && isKey(msg, "right", "l"):
		d.grant = (d.grant + 1) % len(d.grants)
	case d.Review && isKey(msg, "left", "h"):
		d.grant = (d.grant + len(d.grants) - 1) % len(d.grants)
	}
	return false, nil
}
