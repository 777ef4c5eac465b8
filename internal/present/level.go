package present

import "github.com/lumodash/lumodash/session"

// Level says how an event went: views colour by it (a log row's label, a conversation note,
// a gauge) and the plain printer shows some kinds only when they are a problem.
type Level int

// Levels, from routine to failed.
const (
	Quiet Level = iota // routine: drawn muted
	Info               // worth noticing: a session starts, a token is exchanged
	OK                 // a check passed, a call or a grant succeeded
	Warn               // needs attention: a retry, a budget warning, a pending JIT request
	Error              // refused or failed
)

// Problem reports whether l calls for attention (Warn or Error).
func (l Level) Problem() bool { return l >= Warn }

// OutcomeLevel is how a request or a session ended, as a level: cancelled and cut short
// warn, refusals and failures are errors.
func OutcomeLevel(o session.Outcome) Level {
	switch o {
	case session.OutcomeOK:
		return OK
	case "", session.OutcomeCancelled, session.OutcomeMaxTurns, session.OutcomeTruncated:
		return Warn
	}
	return Error
}

// GaugeLevel is how full a gauge is: OK below warnAt percent, Warn from there, Error from
// 100%.
func GaugeLevel(percent, warnAt float64) Level {
	switch {
	case percent >= 100:
		return Error
	case percent >= warnAt:
		return Warn
	}
	return OK
}
