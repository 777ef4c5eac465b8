package conversation

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/uictx"
)

// streamCache keeps the rendered lines of a streaming answer's finished part between
// chunks: the text up to its last line break, when no escape sequence can reach past it.
// Cleaning and wrapping a line depend on nothing after its line break, so those lines are
// final; each chunk re-cleans and re-wraps only the tail after them, and the cost of a
// chunk no longer grows with the answer.
type streamCache struct {
	width int
	flat  bool
	done  string   // the text whose lines are in lines (a prefix of the block's)
	lines []string // rendered body lines of done, without its last line break
	safe  int      // bytes of the text known to hold nothing finishedPrefix stops at
}

// streamLines renders a streaming answer: its label, the body (cleaned, wrapped, each line
// styled) and the cursor, reusing the lines of the finished part.
func streamLines(ctx *uictx.Context, b *Block, width int) []string {
	c := b.stream
	if c == nil || c.width != width || c.flat != ctx.Flat || !strings.HasPrefix(b.Text, c.done) {
		c = &streamCache{width: width, flat: ctx.Flat}
		b.stream = c
	}
	st := &ctx.Styles
	from := len(c.done)
	if k := c.finishedPrefix(b.Text); k > from {
		more := bodyLines(st, ctx.Flat, b.Text[from:k-1], width)
		if from == 0 {
			c.lines = more
		} else {
			c.lines = append(c.lines, more...)
		}
		c.done = b.Text[:k]
		from = k
	}
	tail := bodyLines(st, ctx.Flat, b.Text[from:], width)
	out := make([]string, 0, 1+len(c.lines)+len(tail))
	out = append(out, streamLabel(st, ctx.Flat, width))
	if from > 0 {
		out = append(out, c.lines...)
	}
	out = append(out, tail...)
	if !ctx.Flat {
		last := len(out) - 1
		out[last] = fit(out[last]+st.Muted.Render(" ▍"), width)
	}
	return out
}

// streamLinesWhole is streamLines without the cache: the reference its tests compare with.
func streamLinesWhole(ctx *uictx.Context, b *Block, width int) []string {
	saved := b.stream
	b.stream = nil
	defer func() { b.stream = saved }()
	return streamLines(ctx, &Block{Kind: b.Kind, Text: b.Text}, width)
}

func streamLabel(st *themes.Styles, flat bool, width int) string {
	label := st.FocusedTitle.Render(present.AnswerPrefix)
	if flat {
		label += " (streaming)"
	}
	return fit(label, width)
}

// bodyLines cleans and wraps s and styles each line on its own (so that a line's rendering
// does not depend on the others).
func bodyLines(st *themes.Styles, flat bool, s string, width int) []string {
	lines := strings.Split(wrap(safetext.Clean(s), width, ""), "\n")
	for i, l := range lines {
		if !flat {
			l = st.Text.Render(l)
		}
		lines[i] = fit(l, width)
	}
	return lines
}

// fit truncates a rendered line to width cells.
func fit(l string, width int) string {
	if ansi.StringWidth(l) > width {
		return present.Truncate(l, width, "…") // by grapheme cluster, as StringWidth counts
	}
	return l
}

// finishedPrefix is the length of the text up to and including its last line break before
// anything whose cleaning could depend on later text: an escape (a sequence may run across
// lines), a C1 control or invalid UTF-8. 0 when there is none. Only what was not scanned
// before is scanned.
func (c *streamCache) finishedPrefix(s string) int {
	end := len(s)
	i := c.safe
	defer func() { c.safe = end }()
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == 0x1b {
				end = i
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || (r >= 0x80 && r <= 0x9f) {
			end = i
			break
		}
		i += n
	}
	return strings.LastIndexByte(s[:end], '\n') + 1 // the tail after done has no '\n' before end
}
