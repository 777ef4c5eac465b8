package present

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/session"
)

// Usage is token usage in full: "1,020 tokens (1,000 in, 700 resent / 20 out, 200 cached)"
// — resent: the prompt tokens that resent earlier requests of the conversation — with "est."
// when it was estimated rather than counted by the server; "0 tokens" when there is none.
func Usage(u *session.Usage) string {
	if u == nil {
		return "0 tokens"
	}
	in := numfmt.Group(u.PromptTokens) + " in"
	if u.HistoryTokens > 0 {
		in += ", " + numfmt.Group(u.HistoryTokens) + " resent"
	}
	s := fmt.Sprintf("%s tokens (%s / %s out", numfmt.Group(u.Total()), in, numfmt.Group(u.CompletionTokens))
	if u.CachedTokens > 0 {
		s += ", " + numfmt.Group(u.CachedTokens) + " cached"
	}
	s += ")"
	if u.Estimated {
		s += " est."
	}
	return s
}

// Cost is a cost as session.Cost words it ("$0.0021", "local (free)", "unpriced": usage
// without a price never reads $0.00), and "no usage" when there is none.
func Cost(c *session.Cost) string {
	if c == nil {
		return "no usage"
	}
	return c.String()
}

// Until is the time left from from to to ("4m30s", "0s" once passed), "?" when to is unknown.
func Until(from, to time.Time) string {
	if to.IsZero() {
		return "?"
	}
	return numfmt.Duration(to.Sub(from))
}

// Limit is a budget limit: the count, or ∞ when there is none (0 or less).
func Limit(n int64) string {
	if n <= 0 {
		return "∞"
	}
	return numfmt.Group(n)
}

// UsedOf is a meter as counted: "15,599 of 100,000 (16%)", its percentage rounded as every
// gauge rounds it (numfmt); "1,234 (no limit)" without one.
func UsedOf(used, limit int64) string {
	if limit <= 0 {
		return numfmt.Group(used) + " (no limit)"
	}
	return numfmt.Group(used) + " of " + numfmt.Group(limit) + " (" + numfmt.Percent(100*float64(used)/float64(limit)) + ")"
}

// Plural counts things: "1 capability", "3 capabilities".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return numfmt.Group(int64(n)) + " " + many
}

// Results counts what a tool returned (search hits, metric values): "1 result", "3 results".
func Results(n int) string { return Plural(n, "result", "results") }

// ErrText is an event's error on one line: "invalid_target: no such audience (HTTP 400)".
func ErrText(e *session.ErrorInfo) string {
	if e == nil {
		return ""
	}
	s := e.Message
	if e.Code != "" {
		s = e.Code + ": " + s
	}
	if e.Status != 0 {
		s += " (HTTP " + strconv.Itoa(e.Status) + ")"
	}
	return s
}

// PartKind says whether an outside part runs inside lumodash: "embedded" or "real".
func PartKind(p session.Part) string {
	if p.Embedded {
		return "embedded"
	}
	return "real"
}
