package sidebar

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Capabilities renders the capability list: held ✓, lacking ○ (a tool needs it), denied ✗,
// granted just in time ◷, the one being checked right now highlighted; what the agent lacks
// says whether it can be requested just in time. A note that does not fit beside the name
// goes on its own line below it.
func Capabilities(ctx *uictx.Context, s *state.State, width int) []string {
	st := ctx.Styles
	marks := s.CapabilityMarks()
	if len(marks) == 0 {
		return []string{st.Muted.Render("none reported yet")}
	}
	lines := make([]string, 0, len(marks))
	for _, c := range marks {
		icon, word, style, note := "✓ ", "[held] ", st.OK, ""
		switch {
		case grantLeft(ctx, c) != "":
			icon, word, style, note = "◷ ", "[temporary] ", st.Warn, "JIT grant, "+grantLeft(ctx, c)+" left"
		case c.Denied:
			icon, word, style, note = "✗ ", "[denied] ", st.Alarm, "denied"
		case !c.Held && c.Required:
			icon, word, style, note = "○ ", "[lacking] ", st.Warn, "lacking"
		case !c.Held:
			icon, word, style = "· ", "[not held] ", st.Muted
		}
		if ctx.Flat { // the word in brackets says what the icon and the note's first word would
			icon = word
			if note == "lacking" || note == "denied" {
				note = ""
			}
		}
		if r := requestable(ctx, c); r != "" && !c.Held && c.GrantEnds.IsZero() {
			note = strings.TrimPrefix(note+" · "+r, " · ")
		}
		name := safetext.Line(c.Name)
		if c.Checking {
			icon, style, note = "▶ ", st.Selected, strings.TrimPrefix(note+" · checking", " · ")
			if ctx.Flat {
				icon = "[checking] "
			}
		}
		head := icon + name
		switch {
		case note == "":
			lines = append(lines, style.Render(ansi.Truncate(head, width, "…")))
		case ansi.StringWidth(head+" "+note) <= width:
			lines = append(lines, style.Render(head+" "+note))
		default:
			lines = append(lines, style.Render(ansi.Truncate(head, width, "…")))
			for _, l := range strings.Split(ansi.Wrap(note, max(width-2, 4), " "), "\n") {
				lines = append(lines, style.Render(ansi.Truncate("  "+l, width, "…")))
			}
		}
	}
	return lines
}

// requestable says whether a capability the agent lacks can be requested just in time:
// "can request (JIT)" when the server allows it and escalation is on, "" when it cannot.
func requestable(ctx *uictx.Context, c state.CapabilityMark) string {
	if !c.JIT {
		return ""
	}
	if ctx.JITOff {
		return "JIT off"
	}
	if c.Risk != "" {
		return "can request (JIT, " + safetext.Line(c.Risk) + ")"
	}
	return "can request (JIT)"
}

// grantLeft is the time left of a just-in-time grant as the sidebar shows it, "" when the
// capability is not (or no longer) granted just in time.
func grantLeft(ctx *uictx.Context, c state.CapabilityMark) string {
	if c.Held || c.GrantEnds.IsZero() || !ctx.Now().Before(c.GrantEnds) {
		return ""
	}
	return numfmt.Duration(c.GrantEnds.Sub(ctx.Now()))
}
