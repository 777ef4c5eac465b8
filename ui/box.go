package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/internal/present"
)

// box frames content (lines of at most w-2 cells) in a w×h rounded border with the title in
// the top edge; in flat mode it is a title line followed by the content, no border, and a
// blank last column.
func (m *Model) box(title, content string, w, h int, focused bool) string {
	ctx := m.ctx
	st := ctx.Styles
	lines := strings.Split(content, "\n")
	if ctx.Flat {
		t := st.Title
		mark := ""
		if focused {
			t, mark = st.FocusedTitle, " (focused)"
		}
		// The last column stays blank, so a pane beside this one does not run into it.
		out := []string{m.pad(t.Render(ansi.Truncate("== "+title+mark+" ==", w-1, "…")), w)}
		for i := 0; i < h-1; i++ {
			l := ""
			if i < len(lines) {
				l = lines[i]
			}
			out = append(out, m.pad(l, w-1)+" ")
		}
		return strings.Join(out, "\n")
	}
	e := m.cache.boxEdges(ctx, title, w, focused)
	inner := w - 2
	var b strings.Builder
	b.Grow(len(content) + h*(2*len(e.side)+8) + len(e.top) + len(e.bottom))
	b.WriteString(e.top)
	for i := 0; i < h-2; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		b.WriteByte('\n')
		b.WriteString(e.side)
		b.WriteString(m.pad(l, inner))
		b.WriteString(e.side)
	}
	b.WriteByte('\n')
	b.WriteString(e.bottom)
	return b.String()
}

// pad truncates or pads s to exactly w cells (widths memoised in the frame cache).
func (m *Model) pad(s string, w int) string {
	n := m.cache.width(s)
	if n > w {
		s = present.Truncate(s, w, "…")
		n = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", w-n)
}

// joinColumns puts left and right side by side; both are blocks of lines of constant width
// (boxes), so no measuring is needed beyond padding missing lines of left.
func joinColumns(left, right string, leftW int) string {
	l, r := strings.Split(left, "\n"), strings.Split(right, "\n")
	n := max(len(l), len(r))
	var b strings.Builder
	b.Grow(len(left) + len(right) + n)
	for i := range n {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(l) {
			b.WriteString(l[i])
		} else {
			b.WriteString(strings.Repeat(" ", leftW))
		}
		if i < len(r) {
			b.WriteString(r[i])
		}
	}
	return b.String()
}
