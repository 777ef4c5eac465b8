package session

import "sync"

// StampAgent passes events on to s with the agent they belong to set on each (compare mode's
// printers: two sessions print into one stream): the agent session.start names, agentName
// alone before it. Events that name an agent keep theirs.
func StampAgent(s Sink, agentName string) Sink {
	return &agentStamp{next: s, ref: AgentRef{Name: agentName}}
}

type agentStamp struct {
	next Sink
	mu   sync.Mutex
	ref  AgentRef
}

func (a *agentStamp) Emit(e Event) {
	a.mu.Lock()
	switch {
	case e.Kind == KindSessionStart && e.Agent != nil:
		a.ref = *e.Agent
	case e.Agent == nil:
		ref := a.ref
		e.Agent = &ref
	}
	a.mu.Unlock()
	a.next.Emit(e)
}
