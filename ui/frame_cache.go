package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/ui/uictx"
)

// frameCache keeps what a steady frame would otherwise redraw: box edges, the header, the
// sidebar and the footer, and the widths of lines handed over unchanged from frame to
// frame. Every Update bumps rev, so nothing stale outlives a message; what a pane shows of
// the clock, the size and the theme are part of the keys.
type frameCache struct {
	rev    int
	gen    int // bumped on theme change
	widths map[string]int
	edges  map[edgeKey]boxEdges
	parts  map[string]paneEntry // "header", "side", "footer"
	steady map[string]steadyEntry
	frame  frameEntry
}

// steadyEntry is a rendering that does not depend on the clock: kept until the next
// message, or until its key changes.
type steadyEntry struct {
	rev, gen int
	key      string
	text     string
}

// frameEntry is the last screen and the parts it was joined from.
type frameEntry struct {
	parts  []string
	screen string
}

type edgeKey struct {
	title         string
	w             int
	focused, flat bool
	gen           int
}

type boxEdges struct{ top, side, bottom string }

type paneEntry struct {
	rev, gen, w int
	flat        bool
	clock       string
	extra       string
	text        string
}

func newFrameCache() *frameCache {
	return &frameCache{widths: map[string]int{}, edges: map[edgeKey]boxEdges{}, parts: map[string]paneEntry{}, steady: map[string]steadyEntry{}}
}

// invalidate forgets everything drawn with the old styles.
func (c *frameCache) invalidate() {
	c.gen++
	clear(c.edges)
	clear(c.parts)
	clear(c.steady)
	c.frame = frameEntry{}
}

// kept returns name's rendering for this revision and key (what else it depends on: sizes,
// focus, the clock-dependent parts it contains), or draws and keeps it. A tick of the
// clock is no message that changes state, so what does not show the time is not redrawn.
func (c *frameCache) kept(name, key string, draw func() string) string {
	if e, ok := c.steady[name]; ok && e.rev == c.rev && e.gen == c.gen && e.key == key {
		return e.text
	}
	text := draw()
	c.steady[name] = steadyEntry{rev: c.rev, gen: c.gen, key: key, text: text}
	return text
}

// screen joins the screen's parts with line breaks, returning the last screen itself when
// no part changed: a steady frame costs only drawing what shows the clock.
func (c *frameCache) screen(parts ...string) string {
	if slices.Equal(parts, c.frame.parts) {
		return c.frame.screen
	}
	c.frame = frameEntry{parts: parts, screen: strings.Join(parts, "\n")}
	return c.frame.screen
}

// width is ansi.StringWidth, memoised (bounded).
func (c *frameCache) width(s string) int {
	if n, ok := c.widths[s]; ok {
		return n
	}
	n := ansi.StringWidth(s)
	if len(c.widths) >= 8192 {
		clear(c.widths)
	}
	c.widths[s] = n
	return n
}

// pane returns the cached rendering of name for this revision, width, clock and extra
// key, or draws and keeps it. clock is what the pane shows of the time as it reads
// (sidebar.HeaderClock, sidebar.SideClock; "" when it shows none).
func (c *frameCache) pane(ctx *uictx.Context, name string, w int, extra, clock string, draw func() string) string {
	key := paneEntry{rev: c.rev, gen: c.gen, w: w, flat: ctx.Flat, clock: clock, extra: extra}
	if e, ok := c.parts[name]; ok {
		text := e.text
		e.text = ""
		if e == key {
			return text
		}
	}
	key.text = draw()
	c.parts[name] = key
	return key.text
}

// edges returns a box's border strings.
func (c *frameCache) boxEdges(ctx *uictx.Context, title string, w int, focused bool) boxEdges {
	k := edgeKey{title: title, w: w, focused: focused, flat: ctx.Flat, gen: c.gen}
	if e, ok := c.edges[k]; ok {
		return e
	}
	st := ctx.Styles
	border, tstyle := st.Muted, st.Title
	if focused {
		border, tstyle = st.FocusedTitle, st.FocusedTitle
		if !st.Palette.NoColor {
			border = border.UnsetBold()
		}
	}
	inner := w - 2
	t := ansi.Truncate(" "+title+" ", max(inner-2, 0), "…")
	e := boxEdges{
		top:    border.Render("╭─") + tstyle.Render(t) + border.Render(strings.Repeat("─", max(inner-1-ansi.StringWidth(t), 0))+"╮"),
		side:   border.Render("│"),
		bottom: border.Render("╰" + strings.Repeat("─", inner) + "╯"),
	}
	if len(c.edges) >= 256 {
		clear(c.edges)
	}
	c.edges[k] = e
	return e
}
