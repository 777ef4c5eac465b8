package sidebar

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Capabilities renders the capability list: held ✓, denied ✗, requestable through JIT, and
// the one being checked right now highlighted.
func Capabilities(ctx *uictx.Context, s *state.State, width int) []string {
	st := ctx.Styles
	marks := s.CapabilityMarks()
	if len(marks) == 0 {
		return []string{st.Muted.Render("none reported yet")}
	}
	lines := make([]string, 0, len(marks))
	for _, c := range marks {
		icon, style, note := "✓ ", st.OK, ""
		if ctx.Flat {
			icon = "[held] "
		}
		switch {
		case !c.Held && !c.GrantEnds.IsZero() && ctx.Now().Before(c.GrantEnds):
			left := numfmt.Duration(c.GrantEnds.Sub(ctx.Now()))
			icon, style, note = "◷ ", st.Warn, " JIT "+left
			if ctx.Flat {
				icon, note = "[temporary] ", " JIT, "+left+" left"
			}
		case c.Denied:
			icon, style, note = "✗ ", st.Alarm, " denied"
			if ctx.Flat {
				icon, note = "[denied] ", ""
			}
		case !c.Held:
			icon, style = "· ", st.Muted
			if ctx.Flat {
				icon = "[not held] "
			}
		}
		if c.JIT && c.GrantEnds.IsZero() {
			note += " (JIT)"
		}
		text := icon + safetext.Line(c.Name) + note
		if c.Denied && !ctx.Flat && ansi.StringWidth(text) > width {
			text = strings.Replace(text, " denied", "", 1) // the ✗ says it; keep "(JIT)"
		}
		if c.Checking {
			text = "▶ " + strings.TrimPrefix(text, icon) + " · checking"
			if ansi.StringWidth(text) > width { // the name and "(JIT)" matter more than the verdict words
				text = strings.Replace(strings.Replace(text, " · checking", "", 1), " denied", "", 1)
			}
			if ctx.Flat {
				text = "[checking] " + safetext.Line(c.Name) + note
			}
			lines = append(lines, st.Selected.Render(ansi.Truncate(text, width, "…")))
			continue
		}
		lines = append(lines, style.Render(ansi.Truncate(text, width, "…")))
	}
	return lines
}
