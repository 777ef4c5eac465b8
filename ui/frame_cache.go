package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/ui/uictx"
)

// frameCache keeps what a steady frame would otherwise redraw: box edges, the header, the
// sidebar and the footer, and the widths of lines handed over unchanged from frame to
// frame. Every Update bumps rev, so nothing stale outlives a message; the clock (to the
// second), the size and the theme are part of the keys.
type frameCache struct {
	rev    int
	gen    int // bumped on theme change
	widths map[string]int
	edges  map[edgeKey]boxEdges
	parts  map[string]paneEntry // "header", "side", "footer"
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
	now         int64
	extra       string
	text        string
}

func newFrameCache() *frameCache {
	return &frameCache{widths: map[string]int{}, edges: map[edgeKey]boxEdges{}, parts: map[string]paneEntry{}}
}

// invalidate forgets everything drawn with the old styles.
func (c *frameCache) invalidate() {
	c.gen++
	clear(c.edges)
	clear(c.parts)
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

// pane returns the cached rendering of name for this revision, width, second and extra
// key, or draws and keeps it.
func (c *frameCache) pane(ctx *uictx.Context, name string, w int, extra string, draw func() string) string {
	key := paneEntry{rev: c.rev, gen: c.gen, w: w, flat: ctx.Flat, now: ctx.Now().Truncate(time.Second).Unix(), extra: extra}
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
