package session

import (
	"sync"
	"time"
)

// Bus stamps events (schema version, time, sequence, session id) and fans them out to its
// subscribers in order. One Bus serves a whole program run, across agent switches.
type Bus struct {
	mu      sync.Mutex
	seq     int64
	session string
	now     func() time.Time
	subs    map[int]Sink
	nextID  int

	// Gate/auth correlation for token exchanges (see AuthHook).
	inGate []*gateCall
}

// NewBus returns a Bus with no subscribers.
func NewBus() *Bus { return &Bus{now: time.Now, subs: map[int]Sink{}} }

// SetSession sets the session id stamped on the following events.
func (b *Bus) SetSession(id string) {
	b.mu.Lock()
	b.session = id
	b.mu.Unlock()
}

// Subscribe adds s; the returned function removes it.
func (b *Bus) Subscribe(s Sink) (unsubscribe func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.nextID
	b.nextID++
	b.subs[id] = s
	return func() {
		b.mu.Lock()
		delete(b.subs, id)
		b.mu.Unlock()
	}
}

// Emit stamps e and delivers it to every subscriber. Delivery happens under the bus lock so
// that every subscriber sees events in the same order; subscribers must not block.
func (b *Bus) Emit(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	e.V = SchemaVersion
	e.Seq = b.seq
	if e.Time.IsZero() {
		e.Time = b.now()
	}
	if e.Session == "" {
		e.Session = b.session
	}
	e = e.Redacted()
	for _, s := range b.subs {
		s.Emit(e)
	}
}
