package uitest

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/lumodash/lumodash/session"
)

// logModel writes down every message it gets; "go" starts a command that emits an event on
// the bus and then returns "done", and a timer that fires long after.
type logModel struct {
	bus *session.Bus
	got []string
}

type doneMsg struct{}
type timerMsg struct{}

func (m *logModel) Init() tea.Cmd  { return nil }
func (m *logModel) Render() string { return strings.Join(m.got, " ") }
func (m *logModel) View() tea.View { return tea.NewView(m.Render()) }
func (m *logModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case session.Event:
		m.got = append(m.got, string(msg.Kind))
	case doneMsg:
		m.got = append(m.got, "done")
	case timerMsg:
		m.got = append(m.got, "timer")
	case tea.KeyPressMsg:
		m.got = append(m.got, msg.String())
		if msg.String() == "enter" {
			return m, tea.Batch(
				func() tea.Msg { m.bus.Emit(session.Event{Kind: session.KindPrompt}); return doneMsg{} },
				tea.Tick(time.Hour, func(time.Time) tea.Msg { return timerMsg{} }),
			)
		}
	}
	return m, nil
}

func TestSettleDeliversEventsBeforeTheResultAndLeavesTimers(t *testing.T) {
	m := &logModel{bus: session.NewBus()}
	d := New(t, m, Options{Bus: m.bus, Width: 80, Height: 24})
	d.Press("x", "enter")
	start := time.Now()
	d.Settle()
	if took := time.Since(start); took > time.Second {
		t.Errorf("Settle waited %s for an hour-long timer", took)
	}
	if got := d.Screen(); got != "x enter prompt done" {
		t.Errorf("delivered %q, want the key, enter, the event, then the result", got)
	}
	if d.Count(session.KindPrompt) != 1 || len(d.Frames()) != 1 {
		t.Errorf("count %d, frames %d", d.Count(session.KindPrompt), len(d.Frames()))
	}
}

func TestPumpReturnsTheScreenOnceTheConditionHolds(t *testing.T) {
	m := &logModel{bus: session.NewBus()}
	d := New(t, m, Options{Bus: m.bus, Width: 80, Height: 24})
	d.Press("enter")
	if s := d.Pump(2*time.Second, func(s string) bool { return strings.HasSuffix(s, "done") }); s != "enter prompt done" {
		t.Errorf("screen %q", s)
	}
}

func TestKeyNames(t *testing.T) {
	for name, want := range map[string]string{"enter": "enter", "tab": "tab", "esc": "esc", "up": "up", "right": "right",
		"ctrl+c": "ctrl+c", "ctrl+a": "ctrl+a", "q": "q", "漢": "漢"} {
		if got := Key(name).String(); got != want {
			t.Errorf("Key(%q) = %q", name, got)
		}
	}
}
