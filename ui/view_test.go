package ui

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/lumodash/lumodash/session"
	"time"
)

// newTestModel builds a dashboard with a fixed clock, UTC times and the given theme and size.
func newTestModel(t testing.TB, theme string, w, h int, events []session.Event) *Model {
	t.Helper()
	m, err := New(context.Background(), Options{Theme: theme, Agents: []string{"research-analyst", "junior-analyst", "capped-analyst"}, Agent: "research-analyst"})
	if err != nil {
		t.Fatal(err)
	}
	m.ctx.Now = func() time.Time { return at(3) }
	m.ctx.Location = time.UTC
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	events = slices.Clone(events)
	for i := range events { // as the bus stamps them
		events[i].Seq = int64(i + 1)
	}
	m.Update(eventsMsg(events))
	return m
}

// pinned renders the screen through a fixed colour profile (ANSI 256), so the golden files
// do not depend on the terminal the tests run in.
func pinned(t testing.TB, m *Model) string {
	t.Helper()
	return pinnedFrame(t, m.View().Content)
}

// pinnedFrame is a frame through the fixed colour profile.
func pinnedFrame(t testing.TB, frame string) string {
	t.Helper()
	var buf bytes.Buffer
	w := &colorprofile.Writer{Forward: &buf, Profile: colorprofile.ANSI256}
	if _, err := w.WriteString(frame); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// checkGeometry asserts the screen is exactly w×h cells: nothing overflows or is missing.
func checkGeometry(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Errorf("screen has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i, n, w, ansi.Strip(l))
		}
	}
}

func TestViews(t *testing.T) {
	scenarios := []struct {
		name   string
		events []session.Event
		setup  func(m *Model)
		want   []string // plain text that must be on screen
	}{
		{"first_frame", startEvents("research-analyst", "agt_7f3a", []string{"read:documents", "mcp:financial"}, budget(61_000, 100_000)), nil,
			[]string{"research-analyst", "acme-corp", "EMBEDDED", "read:documents", "tokens/day", "Search documents for Q3"}},
		{"mid_run", midRunEvents(), nil,
			[]string{"search_company_documents", "query_financial_mcp", "allowed", "XCHG", "MCP", "EBITDA"}},
		{"exchange_details", midRunEvents(), func(m *Model) {
			m.setFocus(focusLog)
			for i := 0; i < 20; i++ {
				if r, _ := m.log.Selected(); r.Label == "XCHG" {
					break
				}
				m.log.Move(-1)
			}
			press(m, tea.KeyPressMsg{Code: tea.KeyEnter}) // the call's trace
			press(m, tea.KeyPressMsg{Code: tea.KeyEnter}) // the exchange's details
		}, []string{"XCHG · details", "urn:mcp:financial-data", "financial:read", "fingerprint 9f86d081"}},
		{"denied", deniedEvents(), nil,
			[]string{"junior-analyst", "DENY", "denied", "mcp:financial", "JIT"}},
		{"budget_exhausted", exhaustedEvents(), nil,
			[]string{"Budget exhausted", "tokens/day", "Resets", "switch to another agent"}},
		{"too_small", nil, func(m *Model) { m.Update(tea.WindowSizeMsg{Width: 30, Height: 10}) },
			[]string{"Terminal too small"}},
		{"trace", finishedEvents(), func(m *Model) { openLogRow(m, "MCP"); m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}) },
			[]string{"Trace · query_financial_mcp · c2 · ✓ allowed · 61ms", "exchange", "MCP get_metric", "result", "↑↓ step"}},
		{"live_budget", pricedEvents(), nil,
			[]string{"request, turn 2", "853 tok", "its cost", "$0.0001", "burn rate", "280 tok/min", "runs out"}},
		{"exhausted_gauge", exhaustedEvents(), func(m *Model) { m.Update(tea.KeyPressMsg{Code: tea.KeyEscape}) },
			[]string{"99% STOPPED", "stopped: the next call"}},
		{"gate_filter", finishedEvents(), func(m *Model) { m.setFocus(focusLog); m.Update(tea.KeyPressMsg{Code: 't', Text: "t"}) },
			[]string{"Log · gate · 6 of 12", "#c2"}},
		{"search", finishedEvents(), func(m *Model) {
			m.setFocus(focusLog)
			m.Update(tea.KeyPressMsg{Code: '/', Text: "/"})
			for _, r := range "financial" {
				m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}, []string{"Log · all · /financial▏ · 6 of 12", "type to filter"}},
		{"junior_first_frame", startEvents("junior-analyst", "agt_2c9e", []string{"read:documents"}, budget(4_200, 50_000)), nil,
			[]string{"○ mcp:financial", "lacking · can request", "(JIT, high)"}},
	}
	for _, sc := range scenarios {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			for _, theme := range []string{"dark", "light"} {
				name := fmt.Sprintf("%s/%dx%d/%s", sc.name, size[0], size[1], theme)
				t.Run(name, func(t *testing.T) {
					m := newTestModel(t, theme, size[0], size[1], sc.events)
					if sc.setup != nil {
						sc.setup(m)
					}
					screen := pinned(t, m)
					plain := ansi.Strip(screen)
					for _, w := range sc.want {
						if !strings.Contains(plain, w) {
							t.Errorf("screen lacks %q:\n%s", w, plain)
						}
					}
					if sc.name != "too_small" {
						checkGeometry(t, screen, size[0], size[1])
					}
					golden.RequireEqual(t, screen)
				})
			}
		}
	}
}

// press sends a key and delivers the message its command answers with (one step of what
// tea.Program does, enough for the dialogs' requests to the root).
func press(m *Model, k tea.KeyPressMsg) {
	if _, cmd := m.Update(k); cmd != nil {
		if msg := cmd(); msg != nil {
			m.Update(msg)
		}
	}
}

// openLogRow focuses the log and selects its newest row labelled label.
func openLogRow(m *Model, label string) {
	m.setFocus(focusLog)
	for i := 0; i < 40; i++ {
		if r, _ := m.log.Selected(); r.Label == label {
			return
		}
		m.log.Move(-1)
	}
}

func TestStackedAndFlat(t *testing.T) {
	m := newTestModel(t, "dark", 60, 30, midRunEvents())
	checkGeometry(t, m.Render(), 60, 30)
	m.ctx.Flat = true
	screen := ansi.Strip(m.Render())
	checkGeometry(t, m.Render(), 60, 30)
	for _, bad := range []string{"╭", "│", "█", "▇"} {
		if strings.Contains(screen, bad) {
			t.Errorf("flat mode drew %q:\n%s", bad, screen)
		}
	}
	for _, want := range []string{"== Conversation", "tokens/day:", "[held] read:documents", "allowed"} {
		if !strings.Contains(screen, want) {
			t.Errorf("flat screen lacks %q:\n%s", want, screen)
		}
	}
	golden.RequireEqual(t, screen)
}

func TestNoColorHasNoColour(t *testing.T) {
	m, err := New(context.Background(), Options{NoColor: true})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m.Update(eventsMsg(exhaustedEvents()))
	m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	out := m.Render()
	if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
		t.Errorf("no-color output carries colours")
	}
	if !strings.Contains(ansi.Strip(out), "99% STOPPED") { // 99,365 of 100,000 tokens/day, and the guard stopped
		t.Errorf("no-color gauges must say their level (STOPPED) in text:\n%s", ansi.Strip(out))
	}
}

func TestUntrustedTextIsCleaned(t *testing.T) {
	ev := midRunEvents()
	ev = append(ev, session.Event{Kind: session.KindModelDelta, Time: at(2.3), Text: "\x1b]52;c;ZXZpbA==\x07\x1b[2Jowned"},
		session.Event{Kind: session.KindError, Time: at(2.4), Err: &session.ErrorInfo{Message: "bad \x1b[31mred\x1b[0m\u202e"}})
	m := newTestModel(t, "dark", 120, 40, ev)
	out := m.Render()
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\u202e", "\x07"} {
		if strings.Contains(out, bad) {
			t.Errorf("hostile sequence %q reached the screen", bad)
		}
	}
	if !strings.Contains(ansi.Strip(out), "owned") {
		t.Errorf("the cleaned text should still be shown")
	}
}
