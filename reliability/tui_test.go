package reliability_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui"
	"github.com/lumodash/lumodash/ui/uitest"
)

// newTUI is the real dashboard model (ui.Model) of opts at w×h, in the shared test driver,
// dark and without colour.
func newTUI(t *testing.T, opts ui.Options, w, h int) *uitest.Driver {
	t.Helper()
	opts.Theme, opts.NoColor = "dark", true
	m, err := ui.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return uitest.New(t, m, uitest.Options{Bus: opts.Bus, Width: w, Height: h})
}

// replayTUI plays recorded events in the dashboard (the TUI's replay path ingests events
// exactly as a live session does) at w×h, to the end.
func replayTUI(t *testing.T, events []session.Event, w, h int) *uitest.Driver {
	t.Helper()
	d := newTUI(t, ui.Options{Replay: events, ReplaySpeed: 0}, w, h)
	d.Pump(5*time.Second, func(s string) bool { return strings.Contains(s, "replay done") })
	return d
}

// replayScreen is replayTUI's final screen without styling.
func replayScreen(t *testing.T, events []session.Event, w, h int) string {
	t.Helper()
	return replayTUI(t, events, w, h).Screen()
}

// liveWorld opens the real world (as `lumodash` does) against the fault world's proxies and
// returns the dashboard's options on it; closeAll closes the runners as ui.Run does when the
// program ends.
func (fw *faultWorld) liveWorld(t *testing.T, transcript string) (*app.World, ui.Options, func()) {
	t.Helper()
	w, err := app.Open(context.Background(), fw.settings(transcript), app.ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	opts := w.Dashboard(ui.Options{WarnPercent: 80, SuggestedPrompt: ui.DefaultSuggestedPrompt})
	var mu sync.Mutex
	var runners []ui.Runner
	newRunner := opts.NewRunner
	opts.NewRunner = func(agent string) (ui.Runner, error) {
		r, err := newRunner(agent)
		if err == nil {
			mu.Lock()
			runners = append(runners, r)
			mu.Unlock()
		}
		return r, err
	}
	closeAll := func() {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range runners {
			_ = r.Close()
		}
	}
	return w, opts, closeAll
}
