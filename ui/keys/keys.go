// Package keys is the dashboard's keymap. It implements help.KeyMap so the footer and the
// full help screen are generated from the same bindings the model matches against.
package keys

import "charm.land/bubbles/v2/key"

// KeyMap holds every binding of the dashboard.
type KeyMap struct {
	Send, Focus, FocusBack        key.Binding
	Up, Down, PageUp, PageDown    key.Binding
	Top, Bottom                   key.Binding
	Details, Close                key.Binding
	Follow, Filter, FilterBack    key.Binding
	Search, Copy, Clear           key.Binding
	Agent, AgentFromInput, Tools  key.Binding
	Accept, HistoryPrev, HistNext key.Binding
	Help, Quit, Cancel            key.Binding
}

// Default returns the default keymap.
func Default() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Send:           b([]string{"enter"}, "enter", "send"),
		Focus:          b([]string{"tab"}, "tab", "focus"),
		FocusBack:      b([]string{"shift+tab"}, "shift+tab", "focus back"),
		Up:             b([]string{"up", "k"}, "↑/k", "scroll up"),
		Down:           b([]string{"down", "j"}, "↓/j", "scroll down"),
		PageUp:         b([]string{"pgup", "ctrl+u"}, "pgup", "page up"),
		PageDown:       b([]string{"pgdown", "ctrl+d"}, "pgdn", "page down"),
		Top:            b([]string{"home", "g"}, "g/home", "top"),
		Bottom:         b([]string{"end", "G"}, "G/end", "bottom"),
		Details:        b([]string{"enter"}, "⏎", "trace / details"),
		Close:          b([]string{"esc"}, "esc", "close"),
		Follow:         b([]string{"f"}, "f", "follow"),
		Filter:         b([]string{"t"}, "t", "next filter"),
		FilterBack:     b([]string{"T"}, "T", "previous filter"),
		Search:         b([]string{"/"}, "/", "search (esc clears)"),
		Copy:           b([]string{"y"}, "y", "copy row / trace"),
		Clear:          b([]string{"c"}, "c", "clear log"),
		Agent:          b([]string{"a"}, "a", "agent"),
		AgentFromInput: b([]string{"ctrl+a"}, "ctrl+a", "agent"),
		Tools:          b([]string{"ctrl+t"}, "ctrl+t", "tools"),
		Accept:         b([]string{"right"}, "→", "take suggestion"),
		HistoryPrev:    b([]string{"up"}, "↑", "history"),
		HistNext:       b([]string{"down"}, "↓", "history"),
		Help:           b([]string{"?"}, "?", "help"),
		Quit:           b([]string{"q"}, "q", "quit"),
		Cancel:         b([]string{"ctrl+c"}, "ctrl+c", "cancel/quit"),
	}
}

// ShortHelp is the footer line.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Send, k.Focus, k.Up, k.Details, k.Agent, k.Help, k.Cancel}
}

// FullHelp is the '?' screen, one column per group.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Send, k.Accept, k.HistoryPrev, k.AgentFromInput, k.Focus, k.FocusBack},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Details, k.Close, k.Follow, k.Filter, k.FilterBack, k.Search, k.Copy, k.Clear},
		{k.Agent, k.Tools, k.Help, k.Quit, k.Cancel},
	}
}
