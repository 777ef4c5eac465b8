package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/ui/uictx"
)

// box frames content (lines of at most w-2 cells) in a w×h rounded border with the title in
// the top edge; in flat mode it is a title line followed by the content, no border.
func box(ctx *uictx.Context, title, content string, w, h int, focused bool) string {
	st := ctx.Styles
	lines := strings.Split(content, "\n")
	if ctx.Flat {
		t := st.Title
		mark := ""
		if focused {
			t, mark = st.FocusedTitle, " (focused)"
		}
		out := []string{t.Render(ansi.Truncate("== "+title+mark+" ==", w, "…"))}
		for i := 0; i < h-1; i++ {
			l := ""
			if i < len(lines) {
				l = lines[i]
			}
			out = append(out, pad(l, w))
		}
		return strings.Join(out, "\n")
	}
	border, tstyle := st.Muted, st.Title
	if focused {
		border, tstyle = st.FocusedTitle, st.FocusedTitle
	}
	if !ctx.Styles.Palette.NoColor {
		if focused {
			border = border.UnsetBold()
		}
	}
	inner := w - 2
	t := ansi.Truncate(" "+title+" ", max(inner-2, 0), "…")
	top := border.Render("╭─") + tstyle.Render(t) + border.Render(strings.Repeat("─", max(inner-1-ansi.StringWidth(t), 0))+"╮")
	out := make([]string, 0, h)
	out = append(out, top)
	side := border.Render("│")
	for i := 0; i < h-2; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, side+pad(l, inner)+side)
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", inner)+"╯"))
	return strings.Join(out, "\n")
}

// pad truncates or pads s to exactly w cells.
func pad(s string, w int) string {
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-n)
}
