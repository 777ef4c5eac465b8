package ui

import (
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// ReplaySource yields a recorded session's events in order and io.EOF after the last
// (*session.TranscriptReader is one). The dashboard calls Next from one command at a time,
// never from Update, and holds no more of the session than its windows keep, so a long
// transcript is played without being loaded.
type ReplaySource interface {
	Next() (session.Event, error)
}

// ReplayError is a replay that stopped at a bad line of its transcript (Err says which):
// the dashboard showed everything before it and said so.
type ReplayError struct{ Err error }

func (e *ReplayError) Error() string { return e.Err.Error() }
func (e *ReplayError) Unwrap() error { return e.Err }

// replayBatch is how many events one read hands to Update when playing at once: enough to
// amortise the message, few enough that the first frame comes at once.
const replayBatch = 512

// maxReplayGap shortens the recorded pauses, so a paused recording does not stall replay.
const maxReplayGap = 1500 * time.Millisecond

type (
	replayReadMsg struct { // events read from the source, and the error that ended the read
		events []session.Event
		err    error
	}
	replayPlayMsg struct{ e session.Event } // a paced event whose time has come
)

// replayer is the state of a replay: where the events come from and how far it got.
type replayer struct {
	src    ReplaySource
	speed  float64
	total  int // events in all when known in advance (Options.Replay); 0 otherwise
	played int
	last   time.Time // the recorded time of the last event played
	done   bool
	err    error // why it stopped early (nil at the end of the transcript)
}

type sliceSource struct {
	events []session.Event
	i      int
}

func (s *sliceSource) Next() (session.Event, error) {
	if s.i >= len(s.events) {
		return session.Event{}, io.EOF
	}
	s.i++
	return s.events[s.i-1], nil
}

func newReplayer(opts Options) *replayer {
	switch {
	case opts.ReplayFrom != nil:
		return &replayer{src: opts.ReplayFrom, speed: opts.ReplaySpeed}
	case opts.Replay != nil:
		return &replayer{src: &sliceSource{events: opts.Replay}, speed: opts.ReplaySpeed, total: len(opts.Replay)}
	}
	return nil
}

// read is the command that reads the next events: a batch when playing at once, one when
// paced (its time is known only once it is read).
func (r *replayer) read() tea.Cmd {
	n := 1
	if r.speed <= 0 {
		n = replayBatch
	}
	src := r.src
	return func() tea.Msg {
		events := make([]session.Event, 0, n)
		for len(events) < n {
			e, err := src.Next()
			if err != nil {
				return replayReadMsg{events: events, err: err}
			}
			events = append(events, e)
		}
		return replayReadMsg{events: events}
	}
}

// onReplayRead plays what was read (or schedules it at its recorded pace) and asks for more.
func (m *Model) onReplayRead(msg replayReadMsg) tea.Cmd {
	r := m.replay
	if r.speed > 0 && len(msg.events) > 0 {
		e := msg.events[0] // paced reads are one event
		d := time.Duration(0)
		if r.played > 0 {
			d = time.Duration(float64(e.Time.Sub(r.last)) / r.speed)
			d = min(max(d, 0), maxReplayGap)
		}
		if d == 0 {
			return func() tea.Msg { return replayPlayMsg{e} }
		}
		return tea.Tick(d, func(time.Time) tea.Msg { return replayPlayMsg{e} })
	}
	for _, e := range msg.events {
		m.playReplayed(e)
	}
	if msg.err != nil {
		m.endReplay(msg.err)
		return nil
	}
	return r.read()
}

func (m *Model) onReplayPlay(msg replayPlayMsg) tea.Cmd {
	m.playReplayed(msg.e)
	return m.replay.read()
}

func (m *Model) playReplayed(e session.Event) {
	m.ingest(e)
	m.replay.played++
	m.replay.last = e.Time
}

// endReplay stops the replay: at the end of the transcript, or at a bad line, which the
// conversation states (with its line number) under everything played before it. A
// transcript cut short by a crash ends where it was cut, with a warning (as export notes
// it); any other bad line is the replay's error.
func (m *Model) endReplay(err error) {
	r := m.replay
	r.done = true
	switch {
	case errors.Is(err, io.EOF):
	case errors.Is(err, session.ErrTruncated):
		m.conv.Note(present.Warn, "replay ended early: "+safetext.Line(err.Error()))
	default:
		r.err = err
		m.conv.Note(present.Error, "replay stopped: "+safetext.Line(err.Error()))
	}
}

// ReplayErr is why the replay stopped before the end of its transcript (nil otherwise).
func (m *Model) ReplayErr() error {
	if m.replay == nil || m.replay.err == nil {
		return nil
	}
	return &ReplayError{Err: m.replay.err}
}

// replayStatus is the header's word for the replay.
func (r *replayer) status() string {
	switch {
	case r.done && r.err != nil:
		return fmt.Sprintf("replay stopped · %d events", r.played)
	case r.done:
		return fmt.Sprintf("replay done · %d events", r.played)
	case r.total > 0:
		return fmt.Sprintf("replay %d/%d", r.played, r.total)
	}
	return fmt.Sprintf("replay %d…", r.played)
}

// count says how many events the transcript has, or has played so far while not known.
func (r *replayer) count() string {
	switch {
	case r.total > 0:
		return numfmt.Group(int64(r.total)) + " events"
	case r.done:
		return numfmt.Group(int64(r.played)) + " events"
	}
	return numfmt.Group(int64(r.played)) + " events so far"
}
