package sidebar

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Summary is the sidebar in two lines, for stacked layouts where a full sidebar would leave
// no room for the conversation: the capabilities with their marks, then the budget meters
// as percentages (amounts where there is no limit), warning colours kept.
func Summary(ctx *uictx.Context, s *state.State, lim Limits, width int) []string {
	st := ctx.Styles
	var caps []string
	for _, c := range s.CapabilityMarks() {
		icon, style := "✓", st.OK
		switch {
		case grantLeft(ctx, c) != "":
			icon, style = "◷", st.Warn
		case c.Denied:
			icon, style = "✗", st.Alarm
		case !c.Held:
			icon, style = "·", st.Muted
		}
		if c.Checking {
			style = st.Selected
		}
		if ctx.Flat { // words, not symbols, as the full sidebar does
			icon = map[string]string{"✓": "[held]", "◷": "[temporary]", "✗": "[denied]", "·": "[not held]"}[icon]
		}
		caps = append(caps, style.Render(icon+" "+safetext.Line(c.Name)))
	}
	capLine := st.Muted.Render("capabilities: none reported yet")
	if len(caps) > 0 {
		capLine = strings.Join(caps, "  ")
	}
	budget := st.Muted.Render("budget: waiting for userinfo")
	if s.HaveBudget {
		var parts []string
		for _, g := range summaryGauges(s, lim) {
			label := summaryLabels[g.Label]
			if ctx.Flat {
				label += ":"
			}
			if g.Limit <= 0 {
				parts = append(parts, st.Text.Render(label+" "+strings.TrimSuffix(g.Amount, " (no cap)")))
				continue
			}
			style := ctx.Style(ctx.Level(g.Percent()))
			parts = append(parts, style.Render(label+" "+numfmt.Percent(g.Percent())))
		}
		budget = strings.Join(parts, st.Muted.Render(" · "))
	}
	return []string{ansi.Truncate(capLine, width, "…"), ansi.Truncate(budget, width, "…")}
}

// summaryLabels are the gauges' short names on the summary line.
var summaryLabels = map[string]string{"tokens/day": "tokens/day", "calls/hour": "calls/h", "session tokens": "session", "session cost": "cost", "context": "context"}
