package session

import "github.com/lumodash/lumodash/internal/redact"

// Redacted returns e with every token, secret and token-shaped text taken out of its text
// fields (internal/redact). The Bus applies it to every event before any subscriber sees it,
// and transcripts are read through it, so screens, --plain, --json, transcripts, replays and
// exports all show the same redacted text whoever put a token in a message.
func (e Event) Redacted() Event {
	r, _ := e.redacted()
	return r
}

// redacted is Redacted, also saying whether it took anything out.
func (e Event) redacted() (Event, bool) {
	changed := false
	for _, f := range []*string{&e.Text, &e.Args, &e.Reason, &e.Tool, &e.Capability, &e.Audience,
		&e.Server, &e.Endpoint, &e.Model, &e.Limit, &e.Approver, &e.RequestID, &e.Risk} {
		if r := redact.String(*f); r != *f {
			*f, changed = r, true
		}
	}
	if e.Err != nil {
		ei := *e.Err
		ei.Message, ei.Code = redact.String(ei.Message), redact.String(ei.Code)
		changed = changed || ei != *e.Err
		e.Err = &ei
	}
	return e, changed
}
