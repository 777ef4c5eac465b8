// Package uitest drives a Bubble Tea dashboard model the way tea.Program does — Update with
// every message, commands run in goroutines, bus events delivered in order — without a
// terminal, so that tests can read every frame. It is for tests only: the ui package's tests
// and the reliability suite share it.
package uitest

import (
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/lumodash/lumodash/session"
)

// Model is what the driver needs of a dashboard; *ui.Model is one.
type Model interface {
	Init() tea.Cmd
	Update(tea.Msg) (tea.Model, tea.Cmd)
	Render() string
}

// Options configure a Driver.
type Options struct {
	Bus           *session.Bus // its events are delivered to the model (nil: none)
	Width, Height int          // the first WindowSizeMsg
	// Ignore drops the command results it matches instead of delivering them (e.g. the
	// clock tick, so that it is not re-armed).
	Ignore func(tea.Msg) bool
	// Routes are further buses whose events reach the model as the message Wrap makes of
	// each (compare mode: one bus per side, each event wrapped for its side).
	Routes []Route
}

// Route is a bus whose events are delivered wrapped.
type Route struct {
	Bus  *session.Bus
	Wrap func(session.Event) tea.Msg
}

// settleAge is how long Settle waits for a command: one still running after it is a timer
// or a blocked request, left to run as the program would.
const settleAge = 50 * time.Millisecond

// Driver runs one model. Update is only called from the test's goroutine.
type Driver struct {
	t      testing.TB
	m      Model
	ignore func(tea.Msg) bool

	mu       sync.Mutex
	events   []routed // from the buses, not yet delivered
	running  map[int]time.Time
	nextID   int
	results  chan result
	quit     bool
	frames   []string // every recorded frame, for leak searches
	kinds    map[session.Kind]int
	screen   string
	rendered bool
}

// routed is a bus event and how to wrap it (nil: delivered as it is).
type routed struct {
	e    session.Event
	wrap func(session.Event) tea.Msg
}

type result struct {
	id  int
	msg tea.Msg
}

// New subscribes to the bus, sends the window size and runs the model's Init.
func New(t testing.TB, m Model, opts Options) *Driver {
	t.Helper()
	d := &Driver{t: t, m: m, ignore: opts.Ignore, running: map[int]time.Time{},
		results: make(chan result, 64), kinds: map[session.Kind]int{}}
	routes := opts.Routes
	if opts.Bus != nil {
		routes = append([]Route{{Bus: opts.Bus}}, routes...)
	}
	for _, r := range routes {
		unsubscribe := r.Bus.Subscribe(session.SinkFunc(func(e session.Event) {
			d.mu.Lock()
			d.events = append(d.events, routed{e, r.Wrap})
			d.mu.Unlock()
		}))
		t.Cleanup(unsubscribe)
	}
	d.Send(tea.WindowSizeMsg{Width: opts.Width, Height: opts.Height})
	d.exec(m.Init())
	return d
}

// Send delivers msg and starts the commands it returns.
func (d *Driver) Send(msg tea.Msg) {
	if _, ok := msg.(tea.QuitMsg); ok {
		d.quit = true
		return
	}
	_, cmd := d.m.Update(msg)
	d.rendered = false
	d.exec(cmd)
}

// exec runs cmd in a goroutine; a batch fans out into one goroutine per command.
func (d *Driver) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	d.mu.Lock()
	id := d.nextID
	d.nextID++
	d.running[id] = time.Now()
	d.mu.Unlock()
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				d.exec(c)
			}
			msg = nil
		}
		d.results <- result{id: id, msg: msg}
	}()
}

// deliver hands a command's result to the model, after the bus events that were emitted
// before it (the command emitted them before it returned).
func (d *Driver) deliver(r result) {
	d.mu.Lock()
	delete(d.running, r.id)
	d.mu.Unlock()
	d.flush()
	if r.msg == nil || (d.ignore != nil && d.ignore(r.msg)) {
		return
	}
	d.Send(r.msg)
}

// flush delivers the bus events received so far, one message each, as the program's event
// pump does.
func (d *Driver) flush() {
	d.mu.Lock()
	batch := d.events
	d.events = nil
	d.mu.Unlock()
	for _, r := range batch {
		d.kinds[r.e.Kind]++
		if r.wrap != nil {
			d.Send(r.wrap(r.e))
			continue
		}
		d.Send(r.e)
	}
}

// Pump delivers bus events and command results until cond holds (checked after each
// delivery, on the screen without styling) and returns that screen; after timeout the test
// fails. Each screen rendered is recorded (Frames).
func (d *Driver) Pump(timeout time.Duration, cond func(screen string) bool) string {
	d.t.Helper()
	deadline := time.After(timeout)
	for {
		d.flush()
		screen := d.current()
		if cond(screen) {
			return screen
		}
		select {
		case r := <-d.results:
			d.deliver(r)
		case <-time.After(2 * time.Millisecond):
		case <-deadline:
			d.t.Fatalf("timed out after %s; screen:\n%s", timeout, screen)
		}
	}
}

// Settle delivers events and results until nothing is waiting and every command still
// running has run longer than settleAge.
func (d *Driver) Settle() {
	for {
		d.flush()
		select {
		case r := <-d.results:
			d.deliver(r)
			continue
		default:
		}
		wait := d.youngest()
		if wait <= 0 {
			d.mu.Lock()
			idle := len(d.events) == 0
			d.mu.Unlock()
			if idle {
				return
			}
			continue
		}
		select {
		case r := <-d.results:
			d.deliver(r)
		case <-time.After(wait):
		}
	}
}

// youngest is how long until every running command is older than settleAge (≤ 0: already).
func (d *Driver) youngest() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	var wait time.Duration
	for _, started := range d.running {
		wait = max(wait, settleAge-time.Since(started))
	}
	return wait
}

// current is the screen as of the last delivery, rendered (and recorded) only when
// something was delivered since.
func (d *Driver) current() string {
	if !d.rendered {
		d.screen = d.Screen()
	}
	return d.screen
}

// Screen renders the current frame, records it and returns it without styling.
func (d *Driver) Screen() string {
	raw := d.m.Render()
	d.frames = append(d.frames, raw)
	d.screen, d.rendered = ansi.Strip(raw), true
	return d.screen
}

// Frame is the current frame with its styling, not recorded.
func (d *Driver) Frame() string { return d.m.Render() }

// Frames is every frame Screen and Pump rendered, with styling.
func (d *Driver) Frames() []string { return d.frames }

// Quit reports whether the model asked the program to quit.
func (d *Driver) Quit() bool { return d.quit }

// Count is how many events of kind k were delivered.
func (d *Driver) Count(k session.Kind) int { return d.kinds[k] }

// Waiting is how many command results wait for delivery.
func (d *Driver) Waiting() int { return len(d.results) }
