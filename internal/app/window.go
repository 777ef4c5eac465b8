package app

import (
	"fmt"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/session"
)

// minContextWindow is the smallest context window lumodash accepts: below it the
// instructions, the tool definitions and an answer do not fit together.
const minContextWindow = 1024

// checkContextWindow refuses a window that is negative or too small, naming where it was set.
func checkContextWindow(where string, n int64) error {
	switch {
	case n < 0:
		return fmt.Errorf("%s must be 0 (the server's or the built-in table's window) or a number of tokens, got %d", where, n)
	case n > 0 && n < minContextWindow:
		return fmt.Errorf("%s %s is too small: the instructions, the tool definitions and an answer need at least %s tokens (a model's window is its context length, e.g. 8192 or 131072)",
			where, numfmt.Group(n), numfmt.Group(minContextWindow))
	}
	return nil
}

// setContextWindow gives the model the window the user set: --context-window, else the
// configuration file's context_windows entry for the model, else its context_window. Unset,
// the session asks the server and falls back to its built-in table.
func setContextWindow(m *session.ModelConfig, flag int64, c *Config) {
	switch {
	case flag > 0:
		m.ContextWindow, m.ContextWindowSource = flag, "--context-window"
	case c == nil:
	case c.modelWindow(m.Name) > 0:
		m.ContextWindow, m.ContextWindowSource = c.modelWindow(m.Name), "configuration file, context_windows"
	case c.ContextWindow > 0:
		m.ContextWindow, m.ContextWindowSource = c.ContextWindow, "configuration file, context_window"
	}
}

// modelWindow is the file's context_windows entry for model (names compare case-blind).
func (c *Config) modelWindow(model string) int64 {
	for name, n := range c.ContextWindows {
		if strings.EqualFold(name, model) {
			return n
		}
	}
	return 0
}

// checkWindows validates the file's context_window and context_windows.
func (c *Config) checkWindows(path string) error {
	if err := checkContextWindow("context_window", c.ContextWindow); err != nil {
		return fmt.Errorf("configuration file %s: %w", path, err)
	}
	for name, n := range c.ContextWindows {
		if err := checkContextWindow(fmt.Sprintf("context_windows[%q]", name), n); err != nil {
			return fmt.Errorf("configuration file %s: %w", path, err)
		}
	}
	return nil
}
