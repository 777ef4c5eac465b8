package dialog

// Hint is one key and what it does, for the footer while a dialog is open.
type Hint struct{ Key, Desc string }

// Hints are the footer hints of the dialog on top (most important first); the footer adds
// the way out (ctrl+c) itself.
func Hints(d Dialog) []Hint {
	switch d := d.(type) {
	case *JIT:
		if d.Review {
			return []Hint{{"a", "approve"}, {"d", "deny"}, {"←/→", "grant length"}}
		}
		return []Hint{{"y", "send request"}, {"n", "do not send"}}
	case *Budget:
		if d.CanSwitch {
			return []Hint{{"esc", "close"}, {"a", "switch agent"}}
		}
		return []Hint{{"esc", "close"}}
	case *Details:
		return []Hint{{"esc", "close"}, {"↑↓", "scroll"}, {"y", "copy"}}
	case *Trace:
		return []Hint{{"esc", "close"}, {"↑↓", "step"}, {"⏎", "details"}, {"y", "copy"}}
	case *AgentPicker:
		return []Hint{{"enter", "switch"}, {"↑↓", "choose"}, {"esc", "cancel"}}
	}
	return []Hint{{"esc", "close"}}
}
