package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/dialog"
)

// TestHelpListsEveryKey: the help dialog lists every binding, also at 80 columns.
func TestHelpListsEveryKey(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 36}, {160, 48}} {
		m := newTestModel(t, "dark", size[0], size[1], midRunEvents())
		m.dialogs = append(m.dialogs, &dialog.Help{Keys: m.keys})
		plain := ansi.Strip(m.Render())
		checkGeometry(t, m.Render(), size[0], size[1])
		for _, group := range m.keys.FullHelp() {
			for _, b := range group {
				if !strings.Contains(plain, b.Help().Key) || !strings.Contains(plain, b.Help().Desc) {
					t.Errorf("%dx%d: help lacks %q %q:\n%s", size[0], size[1], b.Help().Key, b.Help().Desc, plain)
				}
			}
		}
		if !strings.Contains(plain, "scrolls the focused") {
			t.Errorf("%dx%d: help note cut:\n%s", size[0], size[1], plain)
		}
	}
}

func footer(m *Model) string { l := screenLines(m); return l[len(l)-1] }

// TestFooterContextual: the footer names the keys of the focused pane or the open dialog,
// and the way out is always on it, however narrow the terminal.
func TestFooterContextual(t *testing.T) {
	m := newTestModel(t, "dark", 120, 36, midRunEvents())
	if f := footer(m); !strings.Contains(f, "enter send") || !strings.Contains(f, "→ use suggestion") || !strings.HasSuffix(strings.TrimSpace(f), "ctrl+c quit") {
		t.Errorf("prompt footer %q", f)
	}
	m.setFocus(focusLog)
	if f := footer(m); !strings.Contains(f, "⏎ trace") || !strings.Contains(f, "t/T filter") || !strings.Contains(f, "/ search") || !strings.HasSuffix(strings.TrimSpace(f), "q quit") {
		t.Errorf("log footer %q", f)
	}
	m.setFocus(focusConversation)
	if f := footer(m); !strings.Contains(f, "↑↓ scroll") || strings.Contains(f, "details") {
		t.Errorf("conversation footer %q", f)
	}
	m.dialogs = append(m.dialogs, &dialog.Help{Keys: m.keys})
	if f := footer(m); !strings.Contains(f, "esc close") || !strings.Contains(f, "ctrl+c quit") {
		t.Errorf("dialog footer %q", f)
	}
	m.dialogs = nil
	for _, w := range []int{40, 50, 60, 80} {
		m.Update(tea.WindowSizeMsg{Width: w, Height: 24})
		f := footer(m)
		if !strings.HasSuffix(strings.TrimSpace(f), "quit") || strings.Contains(f, "…") || ansi.StringWidth(f) > w {
			t.Errorf("%d cols: footer %q", w, f)
		}
	}
}

// TestLogSelectionOnlyWhenFocused: the selection bar is drawn only while the log has focus.
func TestLogSelectionOnlyWhenFocused(t *testing.T) {
	m := newTestModel(t, "dark", 120, 36, midRunEvents())
	bar := m.ctx.Styles.Selected.Render("x")
	open := bar[:strings.Index(bar, "x")]
	if strings.Contains(m.Render(), open) {
		t.Error("selection bar drawn while the prompt has focus")
	}
	m.setFocus(focusLog)
	if !strings.Contains(m.Render(), open) {
		t.Error("no selection bar while the log has focus")
	}
}

// TestTooSmallNoticeFits: every line of the notice fits, and the way out (q) is on it.
func TestTooSmallNoticeFits(t *testing.T) {
	for _, size := range [][2]int{{20, 5}, {30, 10}, {39, 13}, {12, 3}, {8, 1}} {
		m := newTestModel(t, "dark", size[0], size[1], nil)
		screen := m.Render()
		checkGeometry(t, screen, size[0], size[1])
		if plain := ansi.Strip(screen); !strings.Contains(plain, "q") || !strings.Contains(plain, "quit") {
			t.Errorf("%dx%d: notice lost the way out:\n%s", size[0], size[1], plain)
		}
	}
}

// TestStackedLayout: at 60x16 the sidebar is a two-line summary and the conversation and
// log each keep rows.
func TestStackedLayout(t *testing.T) {
	m := newTestModel(t, "dark", 60, 16, finishedEvents())
	screen := m.Render()
	checkGeometry(t, screen, 60, 16)
	plain := ansi.Strip(screen)
	for _, want := range []string{"✓ read:documents", "tokens/day 62%", "calls/h 12%", "Conversation", "Log ·"} {
		if !strings.Contains(plain, want) {
			t.Errorf("60x16 lacks %q:\n%s", want, plain)
		}
	}
	lines := strings.Split(plain, "\n")
	rows := func(title string) int {
		for i, l := range lines {
			if strings.Contains(l, "╭─ "+title) {
				for j := i + 1; j < len(lines); j++ {
					if strings.HasPrefix(lines[j], "╰") {
						return j - i - 1
					}
				}
			}
		}
		return 0
	}
	if c, l := rows("Conversation"), rows("Log"); c < 2 || l < 2 {
		t.Errorf("conversation %d rows, log %d rows; want 2+ each:\n%s", c, l, plain)
	}
}

// TestSuggestedPromptFits: a suggestion longer than the prompt box ends in an ellipsis and
// keeps the "(→ to use)" hint.
func TestSuggestedPromptFits(t *testing.T) {
	for _, w := range []int{60, 80} {
		m := newTestModel(t, "dark", w, 24, nil)
		var line string
		for _, l := range screenLines(m) {
			if strings.Contains(l, "› Search") {
				line = l
			}
		}
		if !strings.Contains(line, "…  (→ to use)") {
			t.Errorf("%d cols: prompt line %q", w, line)
		}
	}
}

// TestWideAndCombiningText: CJK and combining characters in capability names, the
// conversation and the log keep every line within the terminal, in both themes.
func TestWideAndCombiningText(t *testing.T) {
	odd := "収益 e\u0301"
	ev := startEvents("research-analyst", "agt_7f3a", []string{"read:documents", "mcp:" + odd}, budget(61_000, 100_000))
	ev = append(ev,
		session.Event{Kind: session.KindPrompt, Time: at(1), Text: "Q3 " + odd + " " + strings.Repeat(odd+" ", 20)},
		session.Event{Kind: session.KindToolCall, Time: at(1.4), CallID: "c1", Tool: "tool_" + odd, Args: `{"q":"` + odd + `"}`},
		session.Event{Kind: session.KindCapabilityCheck, Time: at(1.41), CallID: "c1", Tool: "tool_" + odd, Capability: "mcp:" + odd, Allowed: no(), Reason: strings.Repeat(odd, 12), JITAvailable: true},
		session.Event{Kind: session.KindModelDelta, Time: at(2.1), Text: strings.Repeat(odd+" 収益が伸びた。", 12)},
	)
	for _, size := range [][2]int{{80, 24}, {160, 48}, {60, 16}} {
		for _, theme := range []string{"dark", "light"} {
			m := newTestModel(t, theme, size[0], size[1], ev)
			checkGeometry(t, m.Render(), size[0], size[1])
			m.setFocus(focusLog)
			m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
			screen := m.Render()
			checkGeometry(t, screen, size[0], size[1])
			if !strings.Contains(ansi.Strip(screen), "収益") {
				t.Errorf("%dx%d %s: the text is missing:\n%s", size[0], size[1], theme, ansi.Strip(screen))
			}
		}
	}
}

// TestJITPollsCoalesceOnScreen: repeated status polls are one row with a count.
func TestJITPollsCoalesceOnScreen(t *testing.T) {
	var ev []session.Event
	for i := range 7 {
		ev = append(ev, session.Event{Kind: session.KindJITCall, Time: at(float64(i)), Status: "status", HTTPStatus: 200, Text: "pending · risk high",
			Endpoint: "GET /api/v1/tenants/acme-corp/ai/agents/jit/requests/jit_4666279581aa"})
	}
	m := newTestModel(t, "dark", 120, 36, append(startEvents("junior-analyst", "agt_2c9e", []string{"read:documents"}, budget(4120, 50_000)), ev...))
	plain := ansi.Strip(m.Render())
	if n := strings.Count(plain, "status 200 · pending"); n != 1 {
		t.Errorf("want one status row, got %d:\n%s", n, plain)
	}
	if !strings.Contains(plain, "status 200 · pending · risk high ×7") {
		t.Errorf("no coalesced count:\n%s", plain)
	}
	if !strings.Contains(m.log.Title(), fmt.Sprint(m.log.Len())+" rows") {
		t.Error(m.log.Title())
	}
	_ = time.Second
}
