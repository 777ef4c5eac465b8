// Package sidebar renders the dashboard's status parts: the header (agent, organisation,
// token lifetime, embedded or real parts), the capability list and the budget gauges.
package sidebar

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/logview"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Header renders the two header lines; status is a short word such as "idle", "running…"
// or "replay 2×".
func Header(ctx *uictx.Context, s *state.State, status string, width int) string {
	st := ctx.Styles
	sep := st.Muted.Render(" · ")
	agent := safetext.Line(s.Agent.Name)
	if agent == "" {
		agent = "connecting…"
	}
	if s.Agent.ID != "" {
		agent += " (" + safetext.Line(s.Agent.ID) + ")"
	}
	line1 := st.FocusedTitle.Render("lumodash") + sep + st.Bold.Render(agent)
	if s.Agent.Organization != "" {
		line1 += sep + st.Text.Render(safetext.Line(s.Agent.Organization))
	}
	line1 += sep + tokenGauge(ctx, s)
	if status != "" {
		line1 += sep + st.Muted.Render(status)
	}

	parts := make([]string, 0, len(s.Parts))
	for _, p := range s.Parts {
		kind, ks := "REAL", st.OK
		if p.Embedded {
			kind, ks = "EMBEDDED", st.Badge
		}
		host := safetext.Line(p.Host)
		if host == "" {
			host = safetext.Line(p.Name)
		}
		parts = append(parts, st.Muted.Render(p.Role+" ")+ks.Render(kind)+" "+st.Text.Render(host))
	}
	line2 := strings.Join(parts, sep)
	if line2 == "" {
		line2 = st.Muted.Render("parts: waiting for session start")
	}
	if s.Model != "" {
		line2 += sep + st.Muted.Render("model ") + st.Text.Render(safetext.Line(s.Model))
	}
	return ansi.Truncate(line1, width, "…") + "\n" + ansi.Truncate(line2, width, "…")
}

// tokenGauge shows the access token's remaining lifetime as a five-cell gauge (text in flat
// mode), with the number of renewals.
func tokenGauge(ctx *uictx.Context, s *state.State) string {
	st := ctx.Styles
	if s.TokenError != "" {
		return st.Alarm.Render("token FAILED: " + ansi.Truncate(safetext.Line(s.TokenError), 40, "…"))
	}
	left, frac, ok := s.TokenLeft(ctx.Now())
	if !ok {
		return st.Muted.Render("no token yet")
	}
	style := st.OK
	switch {
	case left == 0:
		style = st.Alarm
	case frac < 0.2:
		style = st.Warn
	}
	renew := ""
	if s.Renewals > 0 {
		renew = fmt.Sprintf(" ↻%d", s.Renewals)
		if ctx.Flat {
			renew = fmt.Sprintf(", renewed %d×", s.Renewals)
		}
	}
	if ctx.Flat {
		return style.Render(fmt.Sprintf("token %s left%s", logview.Remaining(left), renew))
	}
	const cells = 5
	full := int(frac*cells + 0.5)
	bar := style.Render(strings.Repeat("▇", full)) + st.Muted.Render(strings.Repeat("▁", cells-full))
	return st.Text.Render("token "+logview.Remaining(left)+" ") + bar + st.Info.Render(renew)
}
