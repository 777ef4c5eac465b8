package state

import "github.com/lumodash/lumodash/session"

// Context is how full the model's context window is, for the context gauge: the size of
// the latest model call against the window (from model.request), what trimming left out,
// and what resending the conversation cost in that call (from its model.response; the
// request's own total is in its usage).
type Context struct {
	Use        session.ContextUse // the latest request's size, window, its source, history part
	Known      bool               // a request has been measured
	LeftOut    int                // messages the latest trim left out of the request (0 = none)
	Trimmed    string             // what it left out, in words
	Resent     int64              // prompt tokens of this request spent resending earlier ones
	ResentCost session.Cost       // the cost of the request's responses; its HistoryUSD is theirs
}

func (c *Context) apply(e session.Event) {
	switch e.Kind {
	case session.KindModelRequest:
		if e.Context != nil {
			c.Use, c.Known = *e.Context, true
		}
	case session.KindModelNotice:
		if e.Status == session.NoticeContextWindow && e.Context != nil { // the window, learnt after the first answer
			c.Use.Window, c.Use.Source = e.Context.Window, e.Context.Source
		}
	case session.KindContextTrim:
		c.LeftOut, c.Trimmed = e.Count, e.Text
		if e.Context != nil {
			c.Use, c.Known = *e.Context, true
		}
	case session.KindModelResponse:
		if e.Usage != nil {
			c.Resent = e.Usage.HistoryTokens
		}
		if e.Cost != nil {
			c.ResentCost = *e.Cost
		}
	}
}
