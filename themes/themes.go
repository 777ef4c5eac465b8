// Package themes holds lumodash's semantic palettes (what a colour means, not which colour it
// is) and derives the lipgloss styles the dashboard draws with. Built-in themes: dark (the
// default), light, high-contrast and no-color.
package themes

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
)

// Palette names colours by their role on screen. A nil colour means "terminal default".
type Palette struct {
	Name       string
	Dark       bool // drawn on a dark background
	Text       color.Color
	Muted      color.Color // secondary text: times, hints
	Accent     color.Color // titles, the focused border, the prompt
	Border     color.Color // unfocused borders
	Selection  color.Color // background of the selected log row
	OK         color.Color // allowed, success
	Warn       color.Color // budget warning, JIT
	Alarm      color.Color // denied, failed, budget spent
	Info       color.Color // token / exchange events
	GaugeEmpty color.Color
	User       color.Color // the analyst's prompt
	// NoColor themes draw with attributes only (bold, reverse, underline).
	NoColor bool
	// Glamour is the glamour standard style used for Markdown ("dark", "light", "notty").
	Glamour string
}

var builtins = map[string]func() Palette{
	"dark":          Dark,
	"light":         Light,
	"high-contrast": HighContrast,
	"no-color":      NoColor,
}

// Names lists the built-in theme names, sorted.
func Names() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the named built-in theme. "" and "auto" mean dark (the dashboard switches
// to light when the terminal reports a light background).
func Lookup(name string) (Palette, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" || n == "auto" {
		return Dark(), nil
	}
	if f, ok := builtins[n]; ok {
		return f(), nil
	}
	return Palette{}, fmt.Errorf("unknown theme %q: choose one of %s (or auto)", name, strings.Join(Names(), ", "))
}

// Dark is the default theme.
func Dark() Palette {
	return Palette{
		Name: "dark", Dark: true, Glamour: "dark",
		Text:       lipgloss.Color("#D8DEE9"),
		Muted:      lipgloss.Color("#7B8496"),
		Accent:     lipgloss.Color("#88C0D0"),
		Border:     lipgloss.Color("#4C566A"),
		Selection:  lipgloss.Color("#3B4252"),
		OK:         lipgloss.Color("#A3BE8C"),
		Warn:       lipgloss.Color("#EBCB8B"),
		Alarm:      lipgloss.Color("#BF616A"),
		Info:       lipgloss.Color("#81A1C1"),
		GaugeEmpty: lipgloss.Color("#434C5E"),
		User:       lipgloss.Color("#B48EAD"),
	}
}

// Light is for light terminal backgrounds.
func Light() Palette {
	return Palette{
		Name: "light", Dark: false, Glamour: "light",
		Text:       lipgloss.Color("#2E3440"),
		Muted:      lipgloss.Color("#6B7280"),
		Accent:     lipgloss.Color("#005F87"),
		Border:     lipgloss.Color("#A0A7B4"),
		Selection:  lipgloss.Color("#DCE3EE"),
		OK:         lipgloss.Color("#2E7D32"),
		Warn:       lipgloss.Color("#9A6700"),
		Alarm:      lipgloss.Color("#C62828"),
		Info:       lipgloss.Color("#1F5FA8"),
		GaugeEmpty: lipgloss.Color("#D0D5DD"),
		User:       lipgloss.Color("#7B3FA0"),
	}
}

// HighContrast uses the 16 basic ANSI colours at full brightness on the terminal background.
func HighContrast() Palette {
	return Palette{
		Name: "high-contrast", Dark: true, Glamour: "dark",
		Text:       lipgloss.BrightWhite,
		Muted:      lipgloss.White,
		Accent:     lipgloss.BrightCyan,
		Border:     lipgloss.BrightWhite,
		Selection:  lipgloss.Blue,
		OK:         lipgloss.BrightGreen,
		Warn:       lipgloss.BrightYellow,
		Alarm:      lipgloss.BrightRed,
		Info:       lipgloss.BrightCyan,
		GaugeEmpty: lipgloss.BrightBlack,
		User:       lipgloss.BrightMagenta,
	}
}

// NoColor draws with attributes only; used for NO_COLOR and --no-color.
func NoColor() Palette {
	return Palette{Name: "no-color", Dark: true, NoColor: true, Glamour: "notty"}
}
