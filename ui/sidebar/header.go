// Package sidebar renders the dashboard's status parts: the header (agent, organisation,
// token lifetime, embedded or real parts), the capability list and the budget gauges.
package sidebar

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Header renders the two header lines; status is a short word such as "idle", "running…"
// or "replay 2×". Both lines fit width: less important text goes first (the agent ID, the
// organisation, then hosts), never the status or the EMBEDDED/REAL labels.
func Header(ctx *uictx.Context, s *state.State, status string, width int) string {
	return headerLine1(ctx, s, status, width) + "\n" + headerLine2(ctx, s, width)
}

func headerLine1(ctx *uictx.Context, s *state.State, status string, width int) string {
	st := ctx.Styles
	sep := st.Muted.Render(" · ")
	name := safetext.Line(s.Agent.Name)
	if name == "" {
		name = "connecting…"
	}
	id := ""
	if s.Agent.ID != "" {
		id = " (" + safetext.Line(s.Agent.ID) + ")"
	}
	org := ""
	if s.Agent.Organization != "" {
		org = sep + st.Text.Render(safetext.Line(s.Agent.Organization))
	}
	tail := sep + tokenGauge(ctx, s)
	if status != "" {
		tail += sep + st.Muted.Render(status)
	}
	brand := st.FocusedTitle.Render("lumodash") + sep
	candidates := []string{
		brand + st.Bold.Render(name+id) + org + tail,
		brand + st.Bold.Render(name) + org + tail,
		brand + st.Bold.Render(name) + tail,
		st.Bold.Render(name) + tail,
	}
	for _, c := range candidates {
		if ansi.StringWidth(c) <= width {
			return c
		}
	}
	// Still too wide: shorten the agent name, keep the gauge and status whole.
	room := width - ansi.StringWidth(tail)
	if room >= 4 {
		return st.Bold.Render(ansi.Truncate(name, room, "…")) + tail
	}
	return ansi.Truncate(st.Muted.Render(status)+sep+tokenGauge(ctx, s), width, "…")
}

// headerLine2 lists the outside parts, e.g. "auth EMBEDDED 127.0.0.1:39725 · model
// lumodash-demo (offline) EMBEDDED". Hosts are dropped when the line does not fit (the
// model's first), then the model name is shortened; the labels always stay.
func headerLine2(ctx *uictx.Context, s *state.State, width int) string {
	st := ctx.Styles
	sep := st.Muted.Render(" · ")
	if len(s.Parts) == 0 {
		line := st.Muted.Render("parts: waiting for session start")
		if s.Model != "" {
			line += sep + st.Muted.Render("model ") + st.Text.Render(safetext.Line(s.Model))
		}
		return ansi.Truncate(line, width, "…")
	}
	type part struct{ role, name, kind, host string }
	parts := make([]part, 0, len(s.Parts)+1)
	haveModel := false
	for _, p := range s.Parts {
		q := part{role: safetext.Line(p.Role), kind: "REAL", host: safetext.Line(p.Host)}
		if p.Embedded {
			q.kind = "EMBEDDED"
		}
		if p.Status == "denied" { // an MCP server the agent may not get a token for
			q.kind = "DENIED"
		}
		if p.Role == "model" {
			haveModel = true
			q.name = safetext.Line(p.Name)
			if q.name == "" {
				q.name = safetext.Line(s.Model)
			}
		} else if q.host == "" {
			q.host = safetext.Line(p.Name)
		}
		parts = append(parts, q)
	}
	if !haveModel && s.Model != "" {
		parts = append(parts, part{role: "model", name: safetext.Line(s.Model)})
	}
	render := func(showHost func(part) bool, nameRoom int) string {
		out := make([]string, 0, len(parts))
		for _, p := range parts {
			seg := st.Muted.Render(p.role)
			if p.name != "" {
				name := p.name
				if nameRoom > 0 {
					name = ansi.Truncate(name, nameRoom, "…")
				}
				seg += " " + st.Text.Render(name)
			}
			if p.kind == "EMBEDDED" {
				seg += " " + st.Badge.Render(p.kind)
			} else if p.kind == "DENIED" {
				seg += " " + st.Alarm.Render(p.kind)
			} else if p.kind != "" {
				seg += " " + st.OK.Render(p.kind)
			}
			if p.host != "" && showHost(p) {
				seg += " " + st.Text.Render(p.host)
			}
			out = append(out, seg)
		}
		return strings.Join(out, sep)
	}
	tries := []func(part) bool{
		func(part) bool { return true },
		func(p part) bool { return p.role != "model" },
		func(p part) bool { return p.role == "auth" },
		func(part) bool { return false },
	}
	var line string
	for _, show := range tries {
		if line = render(show, 0); ansi.StringWidth(line) <= width {
			return line
		}
	}
	for room := 20; room >= 6; room -= 7 { // no hosts: the names and badges matter more
		if line = render(tries[3], room); ansi.StringWidth(line) <= width {
			return line
		}
	}
	return ansi.Truncate(line, width, "…")
}

const tokenGaugeCells = 5

func tokenCells(frac float64) int { return int(frac*tokenGaugeCells + 0.5) }

// HeaderClock is all the header shows of the clock (the token's time left as it reads, its
// gauge and colour): the header is drawn again only when this or the state changes.
func HeaderClock(ctx *uictx.Context, s *state.State) string {
	left, frac, ok := s.TokenLeft(ctx.Now())
	if !ok || s.TokenError != "" {
		return ""
	}
	return fmt.Sprint(numfmt.Duration(left), " ", tokenCells(frac), left == 0, frac < 0.2)
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
		return style.Render(fmt.Sprintf("token %s left%s", numfmt.Duration(left), renew))
	}
	full := tokenCells(frac)
	bar := style.Render(strings.Repeat("▇", full)) + st.Muted.Render(strings.Repeat("▁", tokenGaugeCells-full))
	return st.Text.Render("token "+numfmt.Duration(left)+" ") + bar + st.Info.Render(renew)
}
