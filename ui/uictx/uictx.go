// Package uictx is the context shared by every pane of the dashboard (gh-dash's
// ProgramContext): theme styles, flat mode, the clock and the budget warning threshold. The
// root model owns it and refreshes it on resize, theme change and clock ticks.
package uictx

import (
	"time"

	"github.com/lumodash/lumodash/themes"
)

// Context is read by panes while they render; only the root model changes it.
type Context struct {
	Styles      themes.Styles
	Flat        bool             // no borders, no block or braille glyphs, text labels
	Now         func() time.Time // the clock (fixed in golden tests)
	Location    *time.Location   // times are shown in this zone
	WarnPercent float64          // gauges turn warning-coloured from here (default 80)
}

// New returns a Context with the given palette and defaults for the rest.
func New(p themes.Palette, flat bool, warnPercent float64) *Context {
	if warnPercent <= 0 || warnPercent > 100 {
		warnPercent = 80
	}
	return &Context{Styles: themes.NewStyles(p), Flat: flat, Now: time.Now, Location: time.Local, WarnPercent: warnPercent}
}

// Clock formats t as a wall-clock time in the context's zone.
func (c *Context) Clock(t time.Time) string {
	if t.IsZero() {
		return "--:--:--"
	}
	return t.In(c.Location).Format("15:04:05")
}

// Level says how full a gauge is: 0 normal, 1 warning, 2 alarm.
func (c *Context) Level(percent float64) int {
	switch {
	case percent >= 100:
		return 2
	case percent >= c.WarnPercent:
		return 1
	}
	return 0
}
