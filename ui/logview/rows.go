// Package logview is the dashboard's log pane: one row per capability check, token,
// exchange, MCP call, model call, budget event and error, kept in a bounded ring so memory
// and rendering cost stay flat however long the session runs; details of a row on demand.
package logview

import (
	"fmt"
	"strings"

	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// Level colours a row.
type Level int

// Row levels.
const (
	LevelPlain Level = iota
	LevelOK
	LevelInfo
	LevelWarn
	LevelAlarm
)

// Row is one log line and the event it came from (kept for the details view).
type Row struct {
	Label   string // AUTH, CAP, XCHG, MCP, MODEL, BUDGET, JIT, ERROR, SESS, INFO, USAGE
	Summary string // already safe for the terminal
	Level   Level
	Event   session.Event // the latest, when polls were coalesced
	Repeat  int           // how many identical calls this row stands for (coalesced polls), 0 or 1 = one

	// The rendered line, kept while width, selection and styles stay the same.
	cache      string
	cacheWidth int
	cacheSel   bool
	cacheGen   int
}

// Labels are the kinds the filter cycles through ("" = all).
var Labels = []string{"", "AUTH", "CAP", "XCHG", "MCP", "MODEL", "BUDGET", "JIT", "ERROR"}

// RowFor turns an event into a row; ok is false for events the log does not show
// (streamed deltas, prompts and tool calls live in the conversation).
func RowFor(e session.Event) (Row, bool) {
	r := Row{Event: e}
	switch e.Kind {
	case session.KindSessionStart:
		r.Label, r.Level = "SESS", LevelInfo
		name := ""
		if e.Agent != nil {
			name = e.Agent.Name
		}
		r.Summary = fmt.Sprintf("start · %s · model %s", name, e.Model)
	case session.KindSessionFinish:
		r.Label, r.Level = "SESS", LevelInfo
		r.Summary = "finish · " + string(e.Outcome)
		if e.SessionUse != nil {
			r.Summary += fmt.Sprintf(" · %s tok", Count(e.SessionUse.Total()))
		}
	case session.KindAuthToken:
		r.Label, r.Level = "AUTH", LevelOK
		r.Summary = "client_credentials " + e.Status
		if e.Token != nil {
			r.Summary += " · fp " + e.Token.Fingerprint + " · exp " + until(e.Time, e.Token.ExpiresAt)
		}
	case session.KindInfoRefreshed:
		r.Label, r.Level = "INFO", LevelPlain
		if e.Info != nil {
			r.Summary = fmt.Sprintf("userinfo · %d capabilities · tokens %s/%s today", len(e.Info.Capabilities),
				Count(e.Info.Budget.TokensUsedToday), limitText(e.Info.Budget.MaxTokensPerDay))
		} else {
			r.Summary = "userinfo"
		}
	case session.KindCapabilityCheck:
		r.Label = "CAP"
		allowed := e.Allowed != nil && *e.Allowed
		verdict, lvl := "allow", LevelOK
		if !allowed {
			verdict, lvl = "DENY", LevelAlarm
		}
		r.Level = lvl
		r.Summary = fmt.Sprintf("%s → %s", e.Capability, verdict)
		if e.JITAvailable { // before the tool and reason, so a narrow pane still shows it
			r.Summary += " · JIT available"
		}
		r.Summary += " · " + e.Tool
		if !allowed && e.Reason != "" {
			r.Summary += " · " + e.Reason
		}
	case session.KindTokenExchange:
		r.Label, r.Level = "XCHG", LevelInfo
		how := "new"
		if e.Cached {
			how = "cached"
		}
		r.Summary = e.Audience + " · " + how
		if e.Token != nil {
			r.Summary += " · exp " + until(e.Time, e.Token.ExpiresAt)
		}
	case session.KindMCPCall:
		r.Label, r.Level = "MCP", LevelOK
		if e.Status != "ok" && e.Status != "" {
			r.Level = LevelAlarm
		}
		r.Summary = fmt.Sprintf("%s %s → %s · %s", e.Server, e.Tool, e.Status, Millis(e.Duration))
	case session.KindModelResponse:
		r.Label, r.Level = "MODEL", LevelPlain
		r.Summary = fmt.Sprintf("%s turn %d", e.Model, e.Turn)
		if e.Usage != nil {
			r.Summary += fmt.Sprintf(" · %s+%s tok", Count(e.Usage.PromptTokens), Count(e.Usage.CompletionTokens))
		}
		r.Summary += " · " + Millis(e.Duration)
		if e.Cost != nil {
			r.Summary += " · " + CostText(*e.Cost)
		}
	case session.KindModelRetry:
		r.Label, r.Level = "MODEL", LevelWarn
		r.Summary = fmt.Sprintf("retry %d in %s", e.Attempt, Duration(e.Delay))
	case session.KindModelNotice, session.KindContextTrim:
		r.Label, r.Level, r.Summary = "MODEL", LevelInfo, e.Text
	case session.KindBudgetUpdate:
		r.Label, r.Level = "BUDGET", LevelPlain
		r.Summary = "budget updated"
		if e.Budget != nil {
			r.Summary = fmt.Sprintf("tokens %s/%s today · calls %s/%s this hour", Count(e.Budget.TokensUsedToday),
				limitText(e.Budget.MaxTokensPerDay), Count(e.Budget.APICallsThisHour), limitText(e.Budget.MaxAPICallsPerHour))
		}
	case session.KindBudgetWarning:
		r.Label, r.Level = "BUDGET", LevelWarn
		r.Summary = fmt.Sprintf("%s at %.0f%%", e.Limit, e.Percent)
	case session.KindBudgetExhausted:
		r.Label, r.Level = "BUDGET", LevelAlarm
		r.Summary = e.Limit + " exhausted"
		if !e.ResetsAt.IsZero() {
			r.Summary += " · resets in " + until(e.Time, e.ResetsAt)
		}
	case session.KindJITRequested:
		r.Label, r.Level = "JIT", LevelWarn
		r.Summary = fmt.Sprintf("requested %s · risk %s · %s", e.Capability, e.Risk, e.RequestID)
	case session.KindJITPending:
		r.Label, r.Level = "JIT", LevelWarn
		r.Summary = "pending " + e.RequestID + " · decide within " + until(e.Time, e.Deadline)
	case session.KindJITApproved:
		r.Label, r.Level = "JIT", LevelOK
		r.Summary = fmt.Sprintf("approved %s · %s granted · ttl %s", e.RequestID, e.Capability, Duration(e.TTL))
		if e.Reason != "" {
			r.Summary += " · " + e.Reason
		}
	case session.KindJITDenied:
		r.Label, r.Level = "JIT", LevelAlarm
		r.Summary = strings.TrimSpace(e.Status+" "+e.RequestID) + " · " + e.Reason
	case session.KindJITCompleted:
		r.Label, r.Level = "JIT", LevelPlain
		r.Summary = "task completed · grants revoked"
	case session.KindJITCall:
		r.Label, r.Level = "JIT", LevelPlain
		r.Summary = jitCallSummary(e, 1)
	case session.KindUsageReported:
		r.Label, r.Level = "USAGE", LevelPlain
		r.Summary = "usage reported"
		if e.Status != "" {
			r.Summary += " · " + e.Status
		}
	case session.KindError:
		r.Label, r.Level = "ERROR", LevelAlarm
	default:
		return Row{}, false
	}
	if e.Err != nil {
		r.Level = LevelAlarm
		if r.Summary == "" {
			r.Summary = errText(e.Err)
		} else {
			r.Summary += " · " + errText(e.Err)
		}
	}
	r.Summary = safetext.Line(r.Summary)
	return r, true
}

// jitCallSummary puts what the call was and its HTTP status first and the long path last,
// so a narrow pane still shows the answer: "status 200 · pending · risk high ×7 · GET /…".
func jitCallSummary(e session.Event, repeat int) string {
	s := strings.TrimSpace(e.Status + " " + statusCode(e.HTTPStatus))
	if e.Text != "" {
		s += " · " + e.Text
	}
	if repeat > 1 {
		s += fmt.Sprintf(" ×%d", repeat)
	}
	if e.Endpoint != "" {
		s += " · " + e.Endpoint
	}
	return safetext.Line(strings.TrimPrefix(s, " · "))
}

// coalesces reports whether next repeats prev exactly (a JIT status poll with the same
// answer), so the log updates prev's row in place instead of adding one per poll.
func coalesces(prev Row, next session.Event) bool {
	p := prev.Event
	return p.Kind == session.KindJITCall && next.Kind == session.KindJITCall && p.Err == nil && next.Err == nil &&
		p.Status == next.Status && p.Endpoint == next.Endpoint && p.HTTPStatus == next.HTTPStatus && p.Text == next.Text
}

// statusCode renders an HTTP status for a row, "" when there is none.
func statusCode(code int) string {
	if code == 0 {
		return ""
	}
	return fmt.Sprint(code)
}
