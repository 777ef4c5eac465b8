package present

import (
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// modelFields are the details of what the model side reported: a notice's, a trim's or a
// retry's text in full (the log row cuts it short), the request's size against the context
// window and where the window comes from, and what resending earlier requests cost.
func modelFields(e session.Event) []Field {
	var f []Field
	add := func(name, value string) {
		if value != "" {
			f = append(f, Field{name, safetext.Line(value)})
		}
	}
	switch e.Kind {
	case session.KindModelNotice, session.KindContextTrim, session.KindModelRetry:
		add("text", e.Text)
	}
	if c := e.Context; c != nil {
		size := numfmt.Group(c.Tokens) + " tokens"
		if c.Window > 0 {
			size = numfmt.Group(c.Tokens) + " of " + numfmt.Group(c.Window) + " tokens (" + numfmt.Percent(100*float64(c.Tokens)/float64(c.Window)) + ")"
			if c.Tokens == 0 { // a window report, before any request is measured against it
				size = numfmt.Group(c.Window) + " tokens"
			}
		}
		if c.History > 0 {
			size += " · " + numfmt.Group(c.History) + " resent"
		}
		if c.Reserve > 0 {
			size += " · " + numfmt.Group(c.Reserve) + " kept for the answer"
		}
		add(map[bool]string{true: "window", false: "context"}[c.Tokens == 0], size)
		add("window from", c.Source)
	}
	if k := e.Cost; k != nil && k.Priced && k.Note == "" && k.HistoryUSD > 0 {
		add("resent cost", numfmt.USD(k.HistoryUSD)+" of "+numfmt.USD(k.USD))
	}
	return f
}
