package sidebar

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui/state"
	"github.com/lumodash/lumodash/ui/uictx"
)

// Limits are the session's own limits (0 = none), from the runner's configuration.
type Limits struct {
	MaxTokens int64
	MaxCost   float64
}

// Gauge is one budget meter.
type Gauge struct {
	Label    string
	Used     float64
	Limit    float64 // 0 = no limit
	Amount   string  // "15.6k/100k", "$0.0021", "unpriced"
	ResetsAt time.Time
}

// Percent is how full the gauge is, 0 when it has no limit.
func (g Gauge) Percent() float64 {
	if g.Limit <= 0 {
		return 0
	}
	return 100 * g.Used / g.Limit
}

// Gauges builds the four budget meters from the state. A meter without a limit says so
// ("1.1k (no cap)") instead of showing an empty bar; a cost without a price says why
// ("local (free)", "unpriced"), never $0.00.
func Gauges(s *state.State, lim Limits) []Gauge {
	b := s.Budget
	g := []Gauge{
		{Label: "tokens/day", Used: float64(b.TokensUsedToday), Limit: float64(b.MaxTokensPerDay),
			Amount: amount(b.TokensUsedToday, b.MaxTokensPerDay), ResetsAt: b.TokensResetAt},
		{Label: "calls/hour", Used: float64(b.APICallsThisHour), Limit: float64(b.MaxAPICallsPerHour),
			Amount: amount(b.APICallsThisHour, b.MaxAPICallsPerHour), ResetsAt: b.CallsResetAt},
		{Label: "session tokens", Used: float64(s.SessionUsage.Total()), Limit: float64(lim.MaxTokens),
			Amount: amount(s.SessionUsage.Total(), lim.MaxTokens)},
	}
	cost := Gauge{Label: "session cost", Limit: lim.MaxCost, Amount: session.NoteUnpriced}
	switch {
	case s.SessionCost != nil:
		cost.Amount = present.Cost(s.SessionCost)
		if s.SessionCost.Priced && s.SessionCost.Note == "" {
			cost.Used = s.SessionCost.USD
			if lim.MaxCost > 0 {
				cost.Amount += "/" + numfmt.USD(lim.MaxCost)
			}
		} else {
			cost.Limit = 0 // a local or unpriced model's cost cannot fill a gauge
		}
	case s.SessionUsage.Total() == 0:
		cost.Amount, cost.Limit = "—", 0
	}
	return append(g, cost)
}

// amount is "15.6k/100k", or "1.1k (no cap)" without a limit.
func amount(used, limit int64) string {
	if limit <= 0 {
		return numfmt.Compact(used) + " (no cap)"
	}
	return numfmt.Compact(used) + "/" + numfmt.Compact(limit)
}

// Budget renders the gauges, two lines each (wrapped text in flat mode), always with a text
// label and the reset time; colour follows the warning and alarm thresholds, and a gauge
// that is spent or that stopped the session says so in words. The request's own usage and
// the burn rate are Usage's, shown after the context gauge: on a short sidebar they go first.
func Budget(ctx *uictx.Context, s *state.State, lim Limits, width int) []string {
	st := ctx.Styles
	if !s.HaveBudget {
		return []string{st.Muted.Render("waiting for userinfo")}
	}
	var lines []string
	for _, g := range Gauges(s, lim) {
		lines = append(lines, gaugeLines(ctx, g, stopped(s, g.Label), width)...)
	}
	return lines
}

// stopped is the guard's stop on this limit, if it stopped the session.
func stopped(s *state.State, limit string) *state.Exhaustion {
	if s.Exhausted != nil && s.Exhausted.Limit == limit {
		return s.Exhausted
	}
	return nil
}

func gaugeLines(ctx *uictx.Context, g Gauge, stop *state.Exhaustion, width int) []string {
	st := ctx.Styles
	pct := g.Percent()
	level := ctx.Level(pct)
	word := map[present.Level]string{present.Warn: "WARN", present.Error: "SPENT"}[level]
	if stop != nil {
		level, word = present.Error, "STOPPED"
	}
	style := ctx.Style(level)
	pctText := ""
	if g.Limit > 0 {
		pctText = numfmt.Percent(pct)
	}
	resetAt := numfmt.HourMinute(g.ResetsAt.In(ctx.Location))
	if ctx.Flat {
		label, amount := g.Label, g.Amount
		if g.Limit <= 0 && ansi.StringWidth(label+": "+amount) > width {
			amount = strings.TrimSuffix(amount, " (no cap)")
			if ansi.StringWidth(label+": "+amount) > width {
				label = summaryLabels[g.Label]
			}
		}
		text := label + ": " + strings.TrimSpace(pctText+" "+amount+" "+word)
		if !g.ResetsAt.IsZero() {
			text += " · resets " + resetAt
		}
		out := []string{}
		for _, l := range strings.Split(ansi.Wrap(text, width-2, " "), "\n") {
			if len(out) > 0 {
				l = "  " + l
			}
			out = append(out, style.Render(ansi.Truncate(l, width, "…")))
		}
		return out
	}
	if g.Limit <= 0 {
		// No limit: a bar would say nothing; the amount is the information. When label and
		// amount do not fit on one line, "(no cap)" goes (no bar says as much), then the
		// amount goes right-aligned below.
		label, amount := g.Label, g.Amount
		fits := func() bool { return ansi.StringWidth(label)+1+ansi.StringWidth(amount) <= width }
		if !fits() {
			amount = strings.TrimSuffix(amount, " (no cap)")
		}
		if !fits() {
			label = summaryLabels[g.Label] // "session cost" → "cost"
		}
		if !fits() {
			return []string{st.Text.Render(ansi.Truncate(g.Label, width, "…")), st.Text.Render(spread("", amount, width))}
		}
		return []string{st.Text.Render(spread(label, amount, width))}
	}
	suffix := " " + fmt.Sprintf("%4s", pctText)
	if word != "" {
		suffix += " " + word
	}
	if !g.ResetsAt.IsZero() && stop == nil {
		suffix += " ↻" + resetAt
	}
	barWidth := max(width-ansi.StringWidth(suffix), 3)
	lines := []string{st.Text.Render(spread(g.Label, g.Amount, width)),
		ansi.Truncate(bar(ctx, pct/100, barWidth, level)+style.Render(suffix), width, "…")}
	if stop != nil {
		why := "stopped: the next call does not fit"
		if pct >= 100 {
			why = "stopped: the limit is spent"
		}
		if !stop.ResetsAt.IsZero() {
			why += " · ↻" + numfmt.HourMinute(stop.ResetsAt.In(ctx.Location))
			if ctx.Flat {
				why = strings.Replace(why, "↻", "resets ", 1)
			}
		}
		for _, l := range strings.Split(ansi.Wrap(why, width, " "), "\n") {
			lines = append(lines, style.Render(l))
		}
	}
	return lines
}

// Usage is the request's own tokens and cost (live while it runs) and the session's burn
// rate with when, at that rate, the daily budget runs out.
func Usage(ctx *uictx.Context, s *state.State, width int) []string {
	st := ctx.Styles
	var lines []string
	r := s.Request
	if !r.Started.IsZero() {
		label, style := "last request", st.Muted
		if !r.Done {
			label, style = fmt.Sprintf("request, turn %d", r.Turns+1), st.Text
		}
		lines = append(lines, style.Render(spread(label, numfmt.Compact(r.Usage.Total())+" tok", width)))
		if c := r.Cost; c != nil && c.Priced && c.Note == "" {
			lines = append(lines, style.Render(spread("  its cost", numfmt.USD(c.USD), width)))
		}
	}
	b := burnOf(ctx, s)
	if b.rate == "" {
		return lines
	}
	lines = append(lines, st.Text.Render(spread("burn rate", b.rate, width)))
	if b.runsOut == "" {
		return lines
	}
	style := st.Text
	switch {
	case b.afterReset:
		style = st.Muted
	case b.soon:
		style = st.Warn
	}
	return append(lines, style.Render(spread("runs out", b.runsOut, width)))
}

// burn is what the sidebar shows of the burn rate at ctx.Now().
type burn struct {
	rate       string // tokens a minute, "" when nothing was used
	runsOut    string // when the day's tokens run out, "" when it does not say
	afterReset bool   // they run out after the daily reset (so they do not)
	soon       bool   // within the hour
}

func burnOf(ctx *uictx.Context, s *state.State) burn {
	rate, out := s.BurnRate(ctx.Now())
	if rate <= 0 {
		return burn{}
	}
	b := burn{rate: numfmt.Compact(int64(rate+0.5)) + " tok/min"}
	if out.IsZero() || stopped(s, "tokens/day") != nil { // a stopped gauge has said it already
		return b
	}
	b.runsOut = numfmt.HourMinute(out.In(ctx.Location)) + " · " + numfmt.Duration(out.Sub(ctx.Now()))
	switch reset := s.Budget.TokensResetAt; {
	case !reset.IsZero() && out.After(reset):
		b.runsOut, b.afterReset = "after the reset", true
	case out.Sub(ctx.Now()) < time.Hour:
		b.soon = true
	}
	return b
}

// SideClock is all the sidebar shows of the clock (time left on just-in-time grants and
// on a pending request, the burn rate and when the tokens run out, as they read): the
// sidebar is drawn again only when this or the state changes.
func SideClock(ctx *uictx.Context, s *state.State) string {
	var b strings.Builder
	for _, c := range s.CapabilityMarks() {
		b.WriteString(grantLeft(ctx, c) + "\x00")
	}
	if s.Pending != nil {
		b.WriteString(pendingLeft(ctx, s.Pending))
	}
	br := burnOf(ctx, s) // afterReset is in runsOut's words
	b.WriteString("\x00" + br.rate + "\x00" + br.runsOut)
	if br.soon {
		b.WriteString("\x00soon")
	}
	return b.String()
}

// spread puts label on the left and value on the right of a width-cell line; when both do
// not fit, the label is shortened, never the value.
func spread(label, value string, width int) string {
	gap := width - ansi.StringWidth(label) - ansi.StringWidth(value)
	if gap >= 1 {
		return label + strings.Repeat(" ", gap) + value
	}
	if room := width - ansi.StringWidth(value) - 1; room >= 4 {
		return ansi.Truncate(label, room, "…") + " " + value
	}
	return ansi.Truncate(label+" "+value, width, "…")
}

// bar draws a gauge with bubbles' progress bar (static, no animation: the value is the truth).
func bar(ctx *uictx.Context, frac float64, width int, level present.Level) string {
	p := ctx.Styles.Palette
	pb := progress.New(progress.WithWidth(width), progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'))
	pb.FullColor, pb.EmptyColor = ctx.Color(level), p.GaugeEmpty
	if p.NoColor {
		pb.FullColor, pb.EmptyColor = nil, nil
	}
	return pb.ViewAs(min(max(frac, 0), 1))
}
