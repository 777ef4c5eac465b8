package conversation

import (
	"strings"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Model is the conversation pane.
type Model struct {
	blocks    []*Block
	capacity  int
	streaming *Block // the answer being streamed, if any

	offset int // lines scrolled up from the bottom (0 = follow the newest)
	height int // lines visible at the last render
	// While scrolled, the top line shown (its block and its line in the block): what
	// arrives below it (a streaming answer, new blocks) does not move the view.
	anchor     *Block
	anchorLine int

	md      *glamour.TermRenderer
	mdWidth int
	mdStyle string
}

// New returns an empty conversation keeping at most capacity blocks.
func New(capacity int) *Model {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &Model{capacity: capacity}
}

// Blocks returns the blocks held (for tests and export).
func (m *Model) Blocks() []*Block { return m.blocks }

// Scroll moves the view by n lines (positive = towards older lines).
func (m *Model) Scroll(n int) { m.offset, m.anchor = max(m.offset+n, 0), nil }

// Page scrolls by one screen.
func (m *Model) Page(dir int) { m.Scroll(dir * max(m.height-1, 1)) }

// Bottom follows the newest lines again; Top shows the oldest.
func (m *Model) Bottom() { m.offset, m.anchor = 0, nil }

// Top scrolls to the oldest line held.
func (m *Model) Top() { m.offset, m.anchor = 1<<30, nil }

// Following reports whether the pane shows the newest lines.
func (m *Model) Following() bool { return m.offset == 0 }

// InvalidateStyles drops cached renderings (after a theme change).
func (m *Model) InvalidateStyles() {
	for _, b := range m.blocks {
		b.invalidate()
		b.stream = nil
	}
	m.md = nil
}

// View renders height lines of at most width cells, rendering blocks from the newest
// backwards only until the screen (plus the scroll offset) is filled.
func (m *Model) View(ctx *uictx.Context, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	m.height = height
	need := height + m.offset
	anchored := m.offset > 0 && m.anchor != nil
	var chunks [][]string // newest first
	var owners []*Block   // the block of each chunk
	total := 0
	reachedTop := true
	for i := len(m.blocks) - 1; i >= 0; i-- {
		if total >= need && !anchored {
			reachedTop = false
			break
		}
		b := m.blocks[i]
		lines := m.lines(ctx, b, width)
		if anchored && b == m.anchor { // keep the anchor line on top: lines from the bottom to it, less a screen
			m.offset = max(total+len(lines)-min(m.anchorLine, len(lines))-height, 1)
			need, anchored = height+m.offset, false
		}
		chunks, owners = append(chunks, lines), append(owners, b)
		total += len(lines)
	}
	if reachedTop && m.offset > max(total-height, 0) {
		m.offset = max(total-height, 0)
	}
	all := make([]string, 0, total)
	for i := len(chunks) - 1; i >= 0; i-- {
		all = append(all, chunks[i]...)
	}
	end := len(all) - m.offset
	start := max(end-height, 0)
	out := all[start:end]
	m.setAnchor(chunks, owners, start)
	if len(m.blocks) == 0 {
		out = []string{ctx.Styles.Muted.Render(ansi.Truncate("Ask the analyst something below.", width, "…"))}
	}
	res := make([]string, 0, height)
	res = append(res, out...)
	for len(res) < height {
		res = append(res, "")
	}
	return strings.Join(res, "\n")
}

// setAnchor notes the block and line shown on top at line start of the chunks (newest
// first), or forgets the anchor when the view follows the newest lines.
func (m *Model) setAnchor(chunks [][]string, owners []*Block, start int) {
	m.anchor = nil
	if m.offset == 0 {
		return
	}
	for i := len(chunks) - 1; i >= 0; i-- {
		if start < len(chunks[i]) {
			m.anchor, m.anchorLine = owners[i], start
			return
		}
		start -= len(chunks[i])
	}
}

func (m *Model) lines(ctx *uictx.Context, b *Block, width int) []string {
	if b.cache != nil && b.cacheWidth == width {
		return b.cache
	}
	if b.Kind == KindAnswer && !b.Final {
		b.cache, b.cacheWidth = streamLines(ctx, b, width), width
		return b.cache
	}
	b.stream = nil // the answer is complete: its Markdown is rendered once, below
	var text string
	st := ctx.Styles
	switch b.Kind {
	case KindPrompt:
		text = st.User.Render(present.PromptPrefix) + " " + st.Text.Render(wrap(safetext.Clean(b.Text), width-6, "      "))
	case KindAnswer:
		label := st.FocusedTitle.Render(present.AnswerPrefix)
		if b.Cancelled {
			label += " " + st.Warn.Render("(cut short: the request was cancelled)")
		}
		text = label + "\n" + m.markdown(ctx, b.Text, width)
		if b.Cut != "" {
			text += "\n" + st.Warn.Render("  "+wrap(b.Cut, width-2, "  ")) // under the answer's indented text
		}
	case KindTool:
		text = toolLine(ctx, b, width)
	case KindNote:
		// lipgloss pads every line to the widest, so the indented lines must fit too.
		text = ctx.Style(b.Level).Render(wrap("— "+safetext.Line(b.Text), width-2, "  "))
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = present.Truncate(l, width, "…")
		}
	}
	b.cache, b.cacheWidth = lines, width
	return lines
}

// markdown renders a complete answer; on any renderer error the plain text is shown.
func (m *Model) markdown(ctx *uictx.Context, src string, width int) string {
	src = safetext.Clean(src)
	style := ctx.Styles.Palette.Glamour
	if m.md == nil || m.mdWidth != width || m.mdStyle != style {
		r, err := glamour.NewTermRenderer(markdownOptions(style, width)...)
		if err != nil {
			return wrap(src, width, "")
		}
		m.md, m.mdWidth, m.mdStyle = r, width, style
	}
	out, err := m.md.Render(src)
	if err != nil {
		return wrap(src, width, "")
	}
	out = keepHyperlinks(out, ctx.Links)
	lines := strings.Split(out, "\n")
	for len(lines) > 0 && strings.TrimSpace(ansi.Strip(lines[0])) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// wrap word-wraps s to width cells, indenting continuation lines.
func wrap(s string, width int, indent string) string {
	width = max(width, 8)
	w := ansi.Wrap(s, width, " ")
	if indent == "" {
		return w
	}
	return strings.ReplaceAll(w, "\n", "\n"+indent)
}
