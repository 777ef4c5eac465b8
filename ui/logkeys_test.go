package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/dialog"
)

// answered is a harness after the seed prompt's answer, the log focused.
func answered(t *testing.T) *harness {
	h := newHarness(t)
	h.keys("right", "enter", "tab", "tab")
	if h.m.focus != focusLog {
		t.Fatal("the log is not focused")
	}
	return h
}

func logTitle(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, "Log · "); i >= 0 {
			return strings.TrimRight(strings.Trim(l[i:], "─╮│ "), "─")
		}
	}
	return ""
}

// TestFiltersCycleBothWays: t moves to the next filter, T to the previous, around the ends;
// the title says what is applied and how many rows it shows of how many.
func TestFiltersCycleBothWays(t *testing.T) {
	h := answered(t)
	total := h.m.log.Len()
	h.keys("t")
	if h.m.log.Filter() != "gate" || !strings.Contains(logTitle(h.screen()), "Log · gate · 6 of ") {
		t.Fatalf("t: filter %q, title %q", h.m.log.Filter(), logTitle(h.screen()))
	}
	for _, l := range strings.Split(h.screen(), "\n") {
		for _, other := range []string{" MODEL ", " AUTH ", " BUDGET "} {
			if strings.Contains(l, "09:30") && strings.Contains(l, other) {
				t.Errorf("the gate filter shows %q: %s", other, l)
			}
		}
	}
	h.keys("T", "T") // back to all, then around to the last filter
	if h.m.log.Filter() != "ERROR" {
		t.Errorf("T T from gate: filter %q, want ERROR (the last)", h.m.log.Filter())
	}
	h.keys("t")
	if h.m.log.Filter() != "" || !strings.Contains(logTitle(h.screen()), "Log · all · ") || h.m.log.Shown() != total {
		t.Errorf("t from the last: filter %q, title %q", h.m.log.Filter(), logTitle(h.screen()))
	}
}

// TestSearchFiltersAsYouType: / starts a search that filters the rows as it is typed (keys
// are text then, q included); enter keeps it, esc clears it.
func TestSearchFiltersAsYouType(t *testing.T) {
	h := answered(t)
	total := h.m.log.Len()
	h.keys("/")
	h.d.Type("get_metric q")
	if h.m.log.Query() != "get_metric q" || h.d.Quit() {
		t.Fatalf("typed into the search: %q (quit %v)", h.m.log.Query(), h.d.Quit())
	}
	if h.m.log.Shown() != 0 || !strings.Contains(h.screen(), "no row matches") {
		t.Errorf("no row holds %q, yet %d are shown", h.m.log.Query(), h.m.log.Shown())
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	h.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	if h.m.log.Query() != "get_metric" || h.m.log.Shown() != 1 || !strings.Contains(logTitle(h.screen()), "/get_metric▏ · 1 of ") {
		t.Fatalf("after backspaces: %q shows %d, title %q", h.m.log.Query(), h.m.log.Shown(), logTitle(h.screen()))
	}
	h.keys("enter")
	if h.m.log.Searching || !strings.Contains(logTitle(h.screen()), "/get_metric · 1 of ") {
		t.Errorf("enter should keep the search: title %q", logTitle(h.screen()))
	}
	if r, _ := h.m.log.Selected(); r.Label != "MCP" {
		t.Errorf("the selection is %s, not the only match", r.Label)
	}
	h.keys("esc")
	if h.m.log.Query() != "" || h.m.log.Shown() != total || h.m.focus != focusLog {
		t.Errorf("esc should clear the search and stay in the log: %q, %d of %d", h.m.log.Query(), h.m.log.Shown(), total)
	}
	h.keys("/", "x", "esc")
	if h.m.log.Query() != "" || h.m.log.Searching {
		t.Error("esc while typing should clear the search")
	}
}

// TestTraceKeyFlow: Enter on any row of a call opens its trace with that row's step chosen;
// ↑↓ move through the steps; Enter shows a step's details on top; y copies the trace and
// says so; esc closes each.
func TestTraceKeyFlow(t *testing.T) {
	h := answered(t)
	for i := 0; i < 30; i++ {
		if r, _ := h.m.log.Selected(); r.Label == "MCP" {
			break
		}
		h.keys("k")
	}
	h.keys("enter")
	tr, ok := h.m.dialogs[len(h.m.dialogs)-1].(*dialog.Trace)
	if !ok {
		t.Fatalf("enter on the MCP row opened %T", h.m.dialogs[len(h.m.dialogs)-1])
	}
	s := h.screen()
	for _, want := range []string{"Trace · query_financial_mcp · c2 · ✓ allowed", "check", "exchange", "MCP get_metric", "result", "financial get_metric → ok"} {
		if !strings.Contains(s, want) {
			t.Errorf("trace lacks %q:\n%s", want, s)
		}
	}
	h.keys("up") // from the MCP call to the exchange
	h.keys("enter")
	d, ok := h.m.dialogs[len(h.m.dialogs)-1].(*dialog.Details)
	if !ok || d.Event.Kind != session.KindTokenExchange || !strings.Contains(h.screen(), "subject token") && !strings.Contains(h.screen(), "issued token") {
		t.Fatalf("enter in the trace: %T %+v\n%s", h.m.dialogs[len(h.m.dialogs)-1], d, h.screen())
	}
	h.keys("esc")
	if h.m.dialogs[len(h.m.dialogs)-1] != tr {
		t.Fatal("esc on the details did not return to the trace")
	}
	h.keys("y")
	if f := footer(h.m); !strings.Contains(f, "copied the trace of c2 (query_financial_mcp)") || !strings.Contains(f, "OSC 52") {
		t.Errorf("footer after y: %q", f)
	}
	h.keys("esc")
	if len(h.m.dialogs) != 0 {
		t.Error("esc did not close the trace")
	}
}

// TestCopyRow: y on a log row copies it and says so; rows outside a call open their details.
func TestCopyRow(t *testing.T) {
	h := answered(t)
	h.keys("g") // the oldest row: the session start, no call
	h.keys("y")
	if f := footer(h.m); !strings.Contains(f, "copied the SESS row of 09:30:00") {
		t.Errorf("footer after y: %q", f)
	}
	h.keys("enter")
	if _, ok := h.m.dialogs[len(h.m.dialogs)-1].(*dialog.Details); !ok {
		t.Errorf("enter on a row of no call opened %T", h.m.dialogs[len(h.m.dialogs)-1])
	}
	h.m.ctx.Now = func() time.Time { return at(3).Add(flashFor) }
	if f := footer(h.m); strings.Contains(f, "copied") {
		t.Errorf("the notice outlived its time: %q", f)
	}
	h.m.onCopied(copiedMsg{what: "the trace", err: errorString("no clipboard utilities available")})
	if f := footer(h.m); !strings.Contains(f, "could not copy the trace") || !strings.Contains(f, "--clipboard osc52") {
		t.Errorf("a failed system copy: %q", f)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
