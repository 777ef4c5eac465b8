package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestPasteGoesToThePromptFromAnyPane(t *testing.T) {
	h := newHarness(t)
	h.keys("tab", "tab") // focus the log
	if h.m.focus == focusInput {
		t.Fatal("setup: focus should have left the input")
	}
	h.send(tea.PasteMsg{Content: "What was EBITDA in Q3?"})
	if h.m.focus != focusInput {
		t.Errorf("focus after paste = %v, want the input", h.m.focus)
	}
	if got := h.m.input.ti.Value(); got != "What was EBITDA in Q3?" {
		t.Errorf("prompt after paste = %q", got)
	}
}

func TestPasteOverTheLimitIsCutWithANote(t *testing.T) {
	h := newHarness(t)
	big := strings.Repeat("x", promptCharLimit+25)
	h.send(tea.PasteMsg{Content: big})
	if got := len(h.m.input.ti.Value()); got != promptCharLimit {
		t.Errorf("prompt length = %d, want the limit %d", got, promptCharLimit)
	}
	if s := h.screen(); !strings.Contains(s, "pasted text cut: 25 characters") {
		t.Errorf("no note about the cut paste on screen:\n%s", s)
	}
}
