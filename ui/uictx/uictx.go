// Package uictx is the context shared by every pane of the dashboard (gh-dash's
// ProgramContext): theme styles, flat mode, the clock and the budget warning threshold. The
// root model owns it and refreshes it on resize, theme change and clock ticks.
package uictx

import (
	"image/color"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/themes"
)

// Context is read by panes while they render; only the root model changes it.
type Context struct {
	Styles      themes.Styles
	Flat        bool             // no borders, no block or braille glyphs, text labels
	Now         func() time.Time // the clock (fixed in golden tests)
	Location    *time.Location   // times are shown in this zone
	WarnPercent float64          // gauges turn warning-coloured from here (default 80)
	JITOff      bool             // just-in-time escalation is off: a lacking capability cannot be requested
	Links       bool             // http(s) links in answers are terminal hyperlinks (OSC 8): --links
}

// New returns a Context with the given palette and defaults for the rest.
func New(p themes.Palette, flat bool, warnPercent float64) *Context {
	if warnPercent <= 0 || warnPercent > 100 {
		warnPercent = 80
	}
	return &Context{Styles: themes.NewStyles(p), Flat: flat, Now: time.Now, Location: time.Local, WarnPercent: warnPercent}
}

// Clock formats t as a wall-clock time in the context's zone.
func (c *Context) Clock(t time.Time) string { return numfmt.TimeOfDay(t.In(c.Location)) }

// Level says how full a gauge is: OK, Warn from the warning threshold, Error from 100%.
func (c *Context) Level(percent float64) present.Level {
	return present.GaugeLevel(percent, c.WarnPercent)
}

// Style is the text style of a level: muted for routine events, the info, OK, warning and
// alarm colours for the rest.
func (c *Context) Style(l present.Level) lipgloss.Style {
	st := c.Styles
	switch l {
	case present.Info:
		return st.Info
	case present.OK:
		return st.OK
	case present.Warn:
		return st.Warn
	case present.Error:
		return st.Alarm
	}
	return st.Muted
}

// Color is the palette colour of a level (gauge bars): OK, warning or alarm.
func (c *Context) Color(l present.Level) color.Color {
	p := c.Styles.Palette
	switch l {
	case present.Warn:
		return p.Warn
	case present.Error:
		return p.Alarm
	}
	return p.OK
}
