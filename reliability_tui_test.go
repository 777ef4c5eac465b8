package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui"
)

// tui drives the real dashboard model (ui.Model) the way tea.Program does — Update with
// every message, commands run in goroutines, bus events delivered in order — without a
// terminal, so tests can read each frame from Render.
type tui struct {
	t       *testing.T
	m       *ui.Model
	mu      sync.Mutex
	events  []session.Event // from the bus, not yet delivered
	results chan tea.Msg
	quit    bool
	frames  []string // every rendered frame, for leak searches
	kinds   map[session.Kind]int
}

func newTUI(t *testing.T, opts ui.Options, w, h int) *tui {
	t.Helper()
	opts.Theme, opts.NoColor = "dark", true
	m, err := ui.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	d := &tui{t: t, m: m, results: make(chan tea.Msg, 64), kinds: map[session.Kind]int{}}
	if opts.Bus != nil {
		unsubscribe := opts.Bus.Subscribe(session.SinkFunc(func(e session.Event) {
			d.mu.Lock()
			d.events = append(d.events, e)
			d.mu.Unlock()
		}))
		t.Cleanup(unsubscribe)
	}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.exec(m.Init())
	return d
}

// send delivers msg and starts the commands it returns.
func (d *tui) send(msg tea.Msg) {
	if _, ok := msg.(tea.QuitMsg); ok {
		d.quit = true
		return
	}
	_, cmd := d.m.Update(msg)
	d.exec(cmd)
}

// exec runs cmd in a goroutine (batches fan out); the clock tick is not re-armed.
func (d *tui) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				d.exec(c)
			}
			return
		}
		if msg == nil || fmt.Sprintf("%T", msg) == "ui.tickMsg" {
			return
		}
		d.results <- msg
	}()
}

// pump delivers bus events and command results until cond holds (checked after each
// delivery) or the timeout passes; it records a frame after each step.
func (d *tui) pump(timeout time.Duration, cond func(screen string) bool) string {
	d.t.Helper()
	deadline := time.After(timeout)
	for {
		d.mu.Lock()
		batch := d.events
		d.events = nil
		d.mu.Unlock()
		for _, e := range batch {
			d.kinds[e.Kind]++
			d.send(e)
		}
		screen := d.screen()
		if cond(screen) {
			return screen
		}
		select {
		case msg := <-d.results:
			d.send(msg)
		case <-time.After(2 * time.Millisecond):
		case <-deadline:
			d.t.Fatalf("timed out after %s; screen:\n%s", timeout, screen)
		}
	}
}

// screen renders the current frame without styling and records it.
func (d *tui) screen() string {
	raw := d.m.Render()
	d.frames = append(d.frames, raw)
	return ansi.Strip(raw)
}

// typeText types s into the focused prompt box.
func (d *tui) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *tui) key(code rune, mod tea.KeyMod) { d.send(tea.KeyPressMsg{Code: code, Mod: mod}) }

// replayTUI plays recorded events in the dashboard (the TUI's replay path ingests events
// exactly as a live session does) at w×h, to the end.
func replayTUI(t *testing.T, events []session.Event, w, h int) *tui {
	t.Helper()
	d := newTUI(t, ui.Options{Replay: events, ReplaySpeed: 0}, w, h)
	d.pump(5*time.Second, func(s string) bool { return strings.Contains(s, "replay done") })
	return d
}

// replayScreen is replayTUI's final screen without styling.
func replayScreen(t *testing.T, events []session.Event, w, h int) string {
	t.Helper()
	return replayTUI(t, events, w, h).screen()
}

// liveWorld opens the real world (as `lumodash` does) against the fault world's proxies and
// returns the dashboard options for it.
func (fw *faultWorld) liveWorld(t *testing.T, transcript string) (*world, ui.Options, func()) {
	t.Helper()
	g, sf := flagsFor(t, "--agent", fw.agent, "--env-file", filepath.Join(fw.dir, "none.env"), "--mcp-url", fw.mcpURL(),
		"--transcript", transcript, "--model-timeout", "3s", "--model-retries", "1")
	w, err := openWorld(context.Background(), g, sf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	var mu sync.Mutex
	var runners []*session.Runner
	opts := ui.Options{Bus: w.Bus, Agent: g.agent, WarnPercent: 80, SuggestedPrompt: ui.DefaultSuggestedPrompt,
		NewRunner: func(agent string) (ui.Runner, error) {
			r, err := w.NewRunner(agent)
			if err != nil {
				return nil, err
			}
			mu.Lock()
			runners = append(runners, r)
			mu.Unlock()
			return r, nil
		}}
	closeAll := func() { // what ui.Run does when the program ends
		mu.Lock()
		defer mu.Unlock()
		for _, r := range runners {
			_ = r.Close()
		}
	}
	return w, opts, closeAll
}

func TestPrintTranscriptsNamesEachSessionAndHowToReplayIt(t *testing.T) {
	var b strings.Builder
	printTranscripts(&b, []string{"/s/a.jsonl", "", "/s/b.jsonl"})
	out := b.String()
	for _, want := range []string{"transcript: /s/a.jsonl\n", "transcript: /s/b.jsonl\n", "lumodash replay", "lumodash export"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "transcript:") != 2 {
		t.Errorf("an empty path was printed:\n%s", out)
	}
	b.Reset()
	printTranscripts(&b, nil)
	if b.Len() != 0 {
		t.Errorf("printed %q with no transcripts", b.String())
	}
}
