package present

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/session"
)

// The conversation's speakers, in the conversation pane and the plain printer.
const (
	PromptPrefix = "you ›"
	AnswerPrefix = "analyst ›"
)

func sessionStart(e session.Event) string {
	s := "start"
	if e.Agent != nil {
		s += " · " + e.Agent.Name
	}
	named := false // the parts name the model (and say whether it is embedded)
	for _, p := range e.Parts {
		named = named || p.Role == "model" && p.Name == e.Model
	}
	if !named {
		s += " · model " + e.Model
	}
	if e.Session != "" {
		s += " · session " + e.Session
	}
	for _, p := range e.Parts {
		s += " · " + p.Role + " " + p.Name
		if p.Embedded {
			s += " (embedded)"
		}
		switch p.Status {
		case "denied":
			s += " DENIED (" + p.Reason + "; its tools are offered and denied at the gate)"
		case "unreachable":
			s += " UNREACHABLE (" + p.Reason + "; left out)"
		case "reachable":
			s += " (reachable)"
		}
	}
	if n := len(e.Tools); n > 0 {
		s += " · " + Plural(n, "tool", "tools")
	}
	return s
}

func sessionFinish(e session.Event) string {
	return "finish · " + string(e.Outcome) + " · " + Usage(e.SessionUse) + " · " + Cost(e.SessionCost)
}

// sessionFinishLevel: the request that ended badly has said so already; the session's end
// only warns.
func sessionFinishLevel(e session.Event) Level {
	if e.Outcome == session.OutcomeOK {
		return Info
	}
	return Warn
}

func sessionFinishNote(e session.Event) string {
	if e.Outcome == "" || e.Outcome == session.OutcomeOK {
		return ""
	}
	return "session ended: " + string(e.Outcome)
}

func prompt(e session.Event) string { return PromptPrefix + " " + e.Text }

// requestFinish names the request's outcome, what it used and what the session has used;
// the error is left out when the budget stopped the request (its BUDGET line says why).
func requestFinish(e session.Event) string {
	s := fmt.Sprintf("%s · request %s · %s · session %s · %s", e.Outcome, Usage(e.Usage), Cost(e.Cost), Usage(e.SessionUse), Cost(e.SessionCost))
	if e.Err != nil && e.Outcome != session.OutcomeOK && e.Outcome != session.OutcomeBudgetExhausted {
		s += " · " + ErrText(e.Err)
	}
	return s
}

func requestFinishLevel(e session.Event) Level { return OutcomeLevel(e.Outcome) }

func modelRequest(e session.Event) string { return modelTurn(e) + " · request" }

// modelTurn names the model and the turn: "gpt-4o-mini turn 2".
func modelTurn(e session.Event) string {
	return strings.TrimSpace(fmt.Sprintf("%s turn %d", e.Model, e.Turn))
}

func modelDelta(e session.Event) string { return e.Text }

func modelResponse(e session.Event) string {
	s := modelTurn(e)
	if e.Usage != nil {
		s += " · " + Usage(e.Usage)
	}
	s += " · " + numfmt.Duration(e.Duration)
	if e.Cost != nil {
		s += " · " + Cost(e.Cost)
	}
	return s
}

func eventText(e session.Event) string { return e.Text }

// modelRetry names the retry and its wait, then what else the runner said of it (that the
// partial answer already shown is discarded; how much smaller the retried request is).
func modelRetry(e session.Event) string {
	s := fmt.Sprintf("turn %d · retry %d in %s", e.Turn, e.Attempt, numfmt.Duration(e.Delay))
	rest := e.Text
	if strings.HasPrefix(rest, "retrying in ") { // the wait, said above
		_, rest, _ = strings.Cut(rest, "; ")
	}
	if rest != "" {
		s += " · " + rest
	}
	return s
}

func budgetUpdate(e session.Event) string {
	b := e.Budget
	if b == nil {
		return "budget updated"
	}
	return fmt.Sprintf("tokens %s/%s today · calls %s/%s this hour", numfmt.Group(b.TokensUsedToday), Limit(b.MaxTokensPerDay),
		numfmt.Group(b.APICallsThisHour), Limit(b.MaxAPICallsPerHour))
}

// budgetWarning prefers the guard's own words, which say what was used of what.
func budgetWarning(e session.Event) string {
	return cmp.Or(e.Text, e.Limit+" at "+numfmt.Percent(e.Percent))
}

// budgetExhausted names the limit and its reset first, then the guard's reason (why the next
// call would not fit). The conversation's note says it in words: "budget exhausted: …".
func budgetExhausted(e session.Event) string { return e.Limit + " exhausted" + budgetDetail(e) }

func budgetExhaustedNote(e session.Event) string {
	return "budget exhausted: " + e.Limit + budgetDetail(e)
}

func budgetDetail(e session.Event) string {
	s := ""
	if !e.ResetsAt.IsZero() {
		s += " · resets in " + Until(e.Time, e.ResetsAt)
	}
	if why := BudgetReason(e.Text, e.Limit); why != "" {
		s += " · " + why
	}
	return s
}

// BudgetReason is the budget guard's explanation of a budget.exhausted event ("budget
// exhausted: tokens/day — the next model call needs about 967 tokens but only 635 of 100,000
// remain (…); resets at …") without what is said beside it: the prefix naming the limit and
// the reset time.
func BudgetReason(text, limit string) string {
	s := safetext.Line(text)
	s = strings.TrimPrefix(s, "budget exhausted: ")
	s = strings.TrimPrefix(s, limit+" — ")
	if i := strings.Index(s, "; resets at "); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func usageReported(e session.Event) string {
	if e.Status == session.UsageOK {
		return "usage reported"
	}
	s := "usage not reported · " + string(e.Status)
	if e.Text != "" {
		s += " · " + e.Text
	}
	return s
}

func usageLevel(e session.Event) Level {
	switch e.Status {
	case session.UsageOK:
		return Quiet
	case session.UsageUnsupported:
		return Warn
	}
	return Error
}

func errorNote(e session.Event) string {
	switch {
	case e.Err == nil:
		return ""
	case stoppedAnswer(e.Outcome):
		return e.Err.Message // "the answer was cut off …", "the model refused …"
	}
	return "error: " + e.Err.Message
}
