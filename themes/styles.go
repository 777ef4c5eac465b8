package themes

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles are the lipgloss styles derived from a Palette, by role.
type Styles struct {
	Palette Palette

	Text, Muted, Bold, Title, FocusedTitle lipgloss.Style
	Pane, FocusedPane                      lipgloss.Style // bordered pane boxes
	Selected                               lipgloss.Style // selected log row
	OK, Warn, Alarm, Info, User            lipgloss.Style
	Badge                                  lipgloss.Style // EMBEDDED / REAL markers
	Dialog                                 lipgloss.Style
	Key, KeyDesc                           lipgloss.Style // help
}

// NewStyles derives Styles from p.
func NewStyles(p Palette) Styles {
	fg := func(c color.Color) lipgloss.Style {
		if p.NoColor || c == nil {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(c)
	}
	border := func(c color.Color) lipgloss.Style {
		s := lipgloss.NewStyle().Border(lipgloss.RoundedBorder())
		if !p.NoColor {
			s = s.BorderForeground(c)
		}
		return s
	}
	s := Styles{Palette: p}
	s.Text = fg(p.Text)
	s.Muted = fg(p.Muted)
	if p.NoColor {
		s.Muted = s.Muted.Faint(true)
	}
	s.Bold = fg(p.Text).Bold(true)
	s.Title = fg(p.Muted).Bold(true)
	s.FocusedTitle = fg(p.Accent).Bold(true)
	if p.NoColor {
		s.FocusedTitle = s.FocusedTitle.Underline(true)
	}
	s.Pane = border(p.Border)
	s.FocusedPane = border(p.Accent)
	if p.NoColor {
		s.FocusedPane = lipgloss.NewStyle().Border(lipgloss.ThickBorder())
	}
	s.Selected = lipgloss.NewStyle().Reverse(true)
	if !p.NoColor {
		s.Selected = lipgloss.NewStyle().Background(p.Selection).Foreground(p.Text).Bold(true)
	}
	s.OK = fg(p.OK)
	s.Warn = fg(p.Warn).Bold(true)
	s.Alarm = fg(p.Alarm).Bold(true)
	s.Info = fg(p.Info)
	s.User = fg(p.User).Bold(true)
	s.Badge = fg(p.Accent).Bold(true)
	s.Dialog = border(p.Alarm).Padding(0, 1)
	if p.NoColor {
		s.Dialog = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).Padding(0, 1)
	}
	s.Key = fg(p.Accent).Bold(true)
	s.KeyDesc = fg(p.Muted)
	return s
}
