// Package record keeps, in order, what concurrent code reports through a callback — auth
// hooks, gate steps, JIT reports, session events — for tests to read back.
package record

import "sync"

// Log is a goroutine-safe list of reported values. The zero Log is ready to use.
type Log[T any] struct {
	mu    sync.Mutex
	items []T
}

// Emit keeps v. The name makes a *Log[session.Event] a session.Sink; the method value
// (log.Emit) is an auth.Hook or a gate's step callback.
func (l *Log[T]) Emit(v T) {
	l.mu.Lock()
	l.items = append(l.items, v)
	l.mu.Unlock()
}

// All is a copy of everything kept so far.
func (l *Log[T]) All() []T {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]T(nil), l.items...)
}

// Len is how many values were kept.
func (l *Log[T]) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.items)
}

// Where is the values for which keep is true, in order.
func (l *Log[T]) Where(keep func(T) bool) []T {
	var out []T
	for _, v := range l.All() {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
}
