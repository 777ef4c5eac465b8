package sidebar

import (
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// ContextGauge is the context meter: tokens of the latest model call against the model's
// context window (trimming keeps the next one within it).
func ContextGauge(s *state.State) Gauge {
	u := s.Context.Use
	g := Gauge{Label: "context", Used: float64(u.Tokens), Limit: float64(u.Window)}
	switch {
	case u.Window > 0:
		g.Amount = numfmt.Compact(u.Tokens) + "/" + numfmt.Compact(u.Window)
	case embeddedModel(s):
		g.Amount = numfmt.Compact(u.Tokens) + " (no window)" // the demo model has none
	default:
		g.Amount = numfmt.Compact(u.Tokens) + " (window unknown)"
	}
	return g
}

func embeddedModel(s *state.State) bool {
	for _, p := range s.Parts {
		if p.Role == "model" {
			return p.Embedded
		}
	}
	return false
}

// summaryGauges are the meters of the one-line summary: the budget's, then the context's
// once a request has been measured.
func summaryGauges(s *state.State, lim Limits) []Gauge {
	g := Gauges(s, lim)
	if s.Context.Known {
		g = append(g, ContextGauge(s))
	}
	return g
}

// Context renders the context gauge below the budget, drawn as the budget's gauges are
// (label, bar, percentage, warning colours), then where the window comes from, what
// trimming left out of the request, and what resending the conversation cost in the latest
// model call. Nothing before the first request is measured.
func Context(ctx *uictx.Context, s *state.State, width int) []string {
	c := s.Context
	if !c.Known {
		return nil
	}
	st := ctx.Styles
	line := func(text string) string { return ansi.Truncate(text, width, "…") }
	lines := gaugeLines(ctx, ContextGauge(s), nil, width)
	if src := safetext.Line(c.Use.Source); src != "" {
		lines = append(lines, st.Muted.Render(line("from "+src))) // where the window comes from
	}
	if c.LeftOut > 0 {
		lines = append(lines, st.Warn.Render(line("left out: "+present.Plural(c.LeftOut, "message", "messages"))))
	}
	if c.Resent > 0 {
		value := numfmt.Compact(c.Resent)
		if k := c.ResentCost; k.Priced && k.Note == "" {
			value += " · " + numfmt.USD(k.HistoryUSD)
		}
		lines = append(lines, st.Muted.Render(spread("resent", value, width)))
	}
	return lines
}
