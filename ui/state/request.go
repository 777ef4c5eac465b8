package state

import (
	"time"

	"github.com/lumodash/lumodash/session"
)

// Request is the request being worked on (or the last one): what its model turns have used
// so far, counted live turn by turn.
type Request struct {
	Started time.Time
	Turns   int
	Usage   session.Usage
	Cost    *session.Cost
	Done    bool
}

func (r *Request) apply(e session.Event) {
	switch e.Kind {
	case session.KindPrompt:
		*r = Request{Started: e.Time}
	case session.KindModelResponse:
		r.Turns++
		if e.Usage != nil {
			r.Usage = r.Usage.Add(*e.Usage)
		}
		if e.Cost != nil {
			var c session.Cost
			if r.Cost != nil {
				c = *r.Cost
			}
			c = c.Add(*e.Cost)
			r.Cost = &c
		}
	case session.KindRequestFinish:
		r.Done = true
		if e.Usage != nil {
			r.Usage = *e.Usage
		}
		if e.Cost != nil {
			c := *e.Cost
			r.Cost = &c
		}
	}
}

// burnWindow is the shortest span a burn rate is taken over: a rate from the first seconds
// of a session would extrapolate one request to an hour.
const burnWindow = time.Minute

// BurnRate is the session's tokens per minute from its start to now (over at least its
// first minute), and when at that rate the daily token budget runs out (zero when there is
// no daily limit or nothing was used).
func (s *State) BurnRate(now time.Time) (perMinute float64, runsOut time.Time) {
	used := s.SessionUsage.Total()
	elapsed := max(now.Sub(s.SessionStarted), burnWindow)
	if used <= 0 || s.SessionStarted.IsZero() {
		return 0, time.Time{}
	}
	perMinute = float64(used) / elapsed.Minutes()
	if left := s.Budget.MaxTokensPerDay - s.Budget.TokensUsedToday; s.Budget.MaxTokensPerDay > 0 {
		runsOut = now.Add(time.Duration(float64(max(left, 0)) / perMinute * float64(time.Minute)))
	}
	return perMinute, runsOut
}
