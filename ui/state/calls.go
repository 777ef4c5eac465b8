package state

import (
	"slices"

	"github.com/lumodash/lumodash/session"
)

// Bounds of the call index: the traces of this many recent calls are kept, each with at
// most this many events (a JIT request polled for minutes adds one per poll).
const (
	MaxCalls         = 1000
	MaxEventsPerCall = 400
)

// calls indexes the events of each tool call by call id, for its trace.
type calls struct {
	byID  map[string][]session.Event
	order []string // call ids, oldest first
}

func (c *calls) add(e session.Event) {
	if c.byID == nil {
		c.byID = map[string][]session.Event{}
	}
	evs, known := c.byID[e.CallID]
	if !known {
		c.order = append(c.order, e.CallID)
		if len(c.order) > MaxCalls {
			delete(c.byID, c.order[0])
			c.order = slices.Delete(c.order, 0, 1)
		}
	}
	if len(evs) >= MaxEventsPerCall { // keep the first steps and the latest
		evs = slices.Delete(evs, MaxEventsPerCall/2, MaxEventsPerCall/2+1)
	}
	c.byID[e.CallID] = append(evs, e)
}

// Call is what is known of the tool call with id so far, in the order it happened.
func (s *State) Call(id string) []session.Event { return slices.Clone(s.calls.byID[id]) }
