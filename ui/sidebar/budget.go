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

// Budget renders the gauges, two lines each (one in flat mode), always with a text label
// and the reset time; colour follows the warning and alarm thresholds.
func Budget(ctx *uictx.Context, s *state.State, lim Limits, width int) []string {
	st := ctx.Styles
	if !s.HaveBudget {
		return []string{st.Muted.Render("waiting for userinfo")}
	}
	var lines []string
	for _, g := range Gauges(s, lim) {
		lines = append(lines, gaugeLines(ctx, g, width)...)
	}
	return lines
}

// gaugeLines draws one gauge: label and amount, then the bar with its percentage, level word
// and reset time (one line in flat mode; label and amount only without a limit).
func gaugeLines(ctx *uictx.Context, g Gauge, width int) []string {
	st := ctx.Styles
	pct := g.Percent()
	level := ctx.Level(pct)
	style := ctx.Style(level)
	word := map[present.Level]string{present.Warn: " WARN", present.Error: " LIMIT"}[level]
	pctText := "  —"
	if g.Limit > 0 {
		pctText = fmt.Sprintf("%4s", numfmt.Percent(pct))
	}
	resetAt := numfmt.HourMinute(g.ResetsAt.In(ctx.Location))
	reset := ""
	if !g.ResetsAt.IsZero() {
		reset = " ↻" + resetAt
	}
	if ctx.Flat {
		text := fmt.Sprintf("%s: %s %s%s", g.Label, strings.TrimSpace(pctText), g.Amount, word)
		if g.Limit <= 0 {
			text = g.Label + ": " + g.Amount
		}
		if reset != "" {
			text += ", resets " + resetAt
		}
		return []string{style.Render(ansi.Truncate(text, width, "…"))}
	}
	if g.Limit <= 0 {
		// No limit: a bar would say nothing; the amount is the information. When label
		// and amount do not fit on one line, the amount goes right-aligned below.
		if ansi.StringWidth(g.Label)+1+ansi.StringWidth(g.Amount) > width {
			return []string{st.Text.Render(ansi.Truncate(g.Label, width, "…")), st.Text.Render(spread("", g.Amount, width))}
		}
		return []string{st.Text.Render(spread(g.Label, g.Amount, width))}
	}
	suffix := " " + pctText + word + reset
	barWidth := max(width-ansi.StringWidth(suffix), 3)
	return []string{st.Text.Render(spread(g.Label, g.Amount, width)),
		ansi.Truncate(bar(ctx, pct/100, barWidth, level)+style.Render(suffix), width, "…")}
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
