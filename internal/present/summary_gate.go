package present

import (
	"cmp"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

func authToken(e session.Event) string {
	return "client_credentials " + string(e.Status) + tokenNote(e)
}

func tokenLevel(e session.Event) Level {
	if e.Status == session.TokenFailed {
		return Error
	}
	return OK
}

// tokenNote is what may be shown of a token: its time left, fingerprint and scope.
func tokenNote(e session.Event) string {
	t := e.Token
	if t == nil {
		return ""
	}
	s := ""
	if !t.ExpiresAt.IsZero() {
		s += " · exp " + Until(e.Time, t.ExpiresAt)
	}
	s += " · fp " + t.Fingerprint
	if t.Scope != "" {
		s += " · scope " + t.Scope
	}
	return s
}

func userinfo(e session.Event) string {
	in := e.Info
	if in == nil {
		return "userinfo"
	}
	s := "userinfo · " + Plural(len(in.Capabilities), "capability", "capabilities")
	if len(in.Capabilities) > 0 {
		s += ": " + strings.Join(in.Capabilities, ", ")
	}
	if b := in.Budget; b.MaxTokensPerDay > 0 || b.TokensUsedToday > 0 {
		s += " · tokens " + numfmt.Group(b.TokensUsedToday) + "/" + Limit(b.MaxTokensPerDay) + " today"
	}
	return s
}

// Verdict words of a capability check.
const (
	VerdictAllow = "allow"
	VerdictDeny  = "DENY" // in capitals: a denial must stand out without colour
)

// Verdict is the word for a capability check's decision.
func Verdict(allowed bool) string {
	if allowed {
		return VerdictAllow
	}
	return VerdictDeny
}

// check puts the verdict and JIT availability before the tool and the reason, so a narrow
// log pane still shows them.
func check(e session.Event) string {
	s := cmp.Or(e.Capability, "no capability") + " → " + Verdict(allowed(e))
	if e.JITAvailable {
		s += " · JIT available"
	}
	s += " · " + e.Tool
	if e.Reason != "" {
		s += " · " + e.Reason
	}
	return s
}

func allowed(e session.Event) bool { return e.Allowed != nil && *e.Allowed }

func checkLevel(e session.Event) Level {
	if allowed(e) {
		return OK
	}
	return Error
}

func exchange(e session.Event) string {
	return e.Audience + " · " + string(exchangeStatus(e)) + tokenNote(e)
}

// exchangeStatus is new, cached or failed, also for an event that only says Cached.
func exchangeStatus(e session.Event) session.Status {
	switch {
	case e.Status != "":
		return e.Status
	case e.Cached:
		return session.ExchangeCached
	}
	return session.ExchangeNew
}

func exchangeLevel(e session.Event) Level {
	if e.Status == session.ExchangeFailed {
		return Error
	}
	return Info
}

func mcpCall(e session.Event) string {
	s := e.Server + " " + e.Tool + " → " + string(e.Status) + " · " + numfmt.Duration(e.Duration)
	if e.Reason != "" {
		s += " · " + e.Reason
	}
	return s
}

func mcpLevel(e session.Event) Level {
	if st := tools.MCPStatus(e.Status); st != tools.MCPOK && st != "" {
		return Error
	}
	return OK
}

func toolCall(e session.Event) string { return Call(e.Tool, e.Args) }

// toolResult is the outcome with the count, the time taken (but for a denial, which takes
// none worth showing) and, when it was not ok, the text the model was given.
func toolResult(e session.Event) string {
	st := tools.Status(e.Status)
	s := e.Tool + " " + ToolStatus(st)
	if e.Count > 0 {
		s += " · " + Results(e.Count)
	}
	if e.Duration > 0 && st != tools.StatusDenied {
		s += " · " + numfmt.Duration(e.Duration)
	}
	if st != tools.StatusOK && e.Text != "" {
		s += " · " + e.Text
	}
	return s
}

func toolResultLevel(e session.Event) Level { return ToolStatusLevel(tools.Status(e.Status)) }
