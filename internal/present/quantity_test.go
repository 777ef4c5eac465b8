package present

import (
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

func TestUsageAndCost(t *testing.T) {
	for _, c := range []struct {
		u    *session.Usage
		want string
	}{
		{nil, "0 tokens"},
		{&session.Usage{}, "0 tokens (0 in / 0 out)"},
		{&session.Usage{PromptTokens: 15_000, CompletionTokens: 599, CachedTokens: 2_000}, "15,599 tokens (15,000 in / 599 out, 2,000 cached)"},
		{&session.Usage{PromptTokens: 900, CompletionTokens: 67, Estimated: true}, "967 tokens (900 in / 67 out) est."},
		{&session.Usage{PromptTokens: -5}, "-5 tokens (-5 in / 0 out)"},
		{&session.Usage{PromptTokens: 4_000_000_000_000, CompletionTokens: 1}, "4,000,000,000,001 tokens (4,000,000,000,000 in / 1 out)"},
	} {
		if got := Usage(c.u); got != c.want {
			t.Errorf("Usage(%+v) = %q, want %q", c.u, got, c.want)
		}
	}
	for _, c := range []struct {
		c    *session.Cost
		want string
	}{
		{nil, "no usage"},
		{&session.Cost{}, "unpriced"}, // never $0.00
		{&session.Cost{USD: 0.0021, Note: session.NoteUnpriced}, "unpriced"},
		{&session.Cost{Priced: true, Note: session.NoteLocal}, "local (free)"},
		{&session.Cost{USD: 0.0021, Priced: true}, "$0.0021"},
		{&session.Cost{USD: 1234.5, Priced: true}, "$1,234.50"},
	} {
		if got := Cost(c.c); got != c.want {
			t.Errorf("Cost(%+v) = %q, want %q", c.c, got, c.want)
		}
	}
}

func TestSmallQuantities(t *testing.T) {
	at := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	if Until(at, time.Time{}) != "?" || Until(at, at.Add(-time.Minute)) != "0s" || Until(at, at.Add(90*time.Second)) != "1m30s" {
		t.Error("Until")
	}
	if Limit(0) != "∞" || Limit(-1) != "∞" || Limit(100_000) != "100,000" {
		t.Error("Limit")
	}
	if Plural(0, "capability", "capabilities") != "0 capabilities" || Plural(1, "capability", "capabilities") != "1 capability" ||
		Plural(1200, "row", "rows") != "1,200 rows" {
		t.Error("Plural")
	}
	if ErrText(nil) != "" || ErrText(&session.ErrorInfo{Message: "m"}) != "m" || ErrText(&session.ErrorInfo{Code: "c", Message: "m", Status: 503}) != "c: m (HTTP 503)" {
		t.Error("ErrText")
	}
	if PartKind(session.Part{Embedded: true}) != "embedded" || PartKind(session.Part{}) != "real" {
		t.Error("PartKind")
	}
}

func TestToolStatusAndCall(t *testing.T) {
	for _, c := range []struct {
		s          tools.Status
		full, word string
		level      Level
	}{
		{"", "… running", "running", Quiet},
		{tools.StatusOK, "✓ allowed", "allowed", OK},
		{tools.StatusDenied, "✗ denied", "denied", Error},
		{tools.StatusFailed, "! failed", "failed", Error},
		{"exotic", "? exotic", "exotic", Error}, // a status of a newer transcript
	} {
		if ToolStatus(c.s) != c.full || ToolStatusWord(c.s) != c.word || ToolStatusLevel(c.s) != c.level {
			t.Errorf("%q: %q %q %d", c.s, ToolStatus(c.s), ToolStatusWord(c.s), ToolStatusLevel(c.s))
		}
	}
	for args, want := range map[string]string{
		`{"query":"Q3 performance"}`:           `search("Q3 performance")`,
		`{"metric": "EBITDA", "period": "Q3"}`: `search(metric: "EBITDA", period: "Q3")`,
		``:                                     `search()`,
		`not json`:                             `search(not json)`,
	} {
		if got := Call("search", args); got != want {
			t.Errorf("Call(%q) = %q, want %q", args, got, want)
		}
	}
}

// TestDetails: the details use the one duration and time formats, the one verdict word, and
// never show a raw token or an escape sequence.
func TestDetails(t *testing.T) {
	at := time.Date(2026, 11, 27, 12, 28, 51, 698170645, time.UTC)
	fields := func(e session.Event) map[string]string {
		m := map[string]string{}
		for _, f := range Details(e, time.Time{}) {
			m[f.Name] = f.Value
		}
		return m
	}
	f := fields(session.Event{Kind: session.KindMCPCall, Time: at, Server: "financial", Tool: "get_metric", Status: "ok", Duration: 2781 * time.Microsecond})
	if f["duration"] != "3ms" || f["time"] != "2026-11-27 12:28:51 UTC" || f["result"] != "ok" {
		t.Errorf("mcp details %v", f)
	}
	f = fields(session.Event{Kind: session.KindJITApproved, Time: at, RequestID: "jit_1", TTL: 5 * time.Minute})
	if f["ttl"] != "5m" || f["request id"] != "jit_1" {
		t.Errorf("approval details %v", f)
	}
	f = fields(session.Event{Kind: session.KindCapabilityCheck, Allowed: no, Percent: 15.599})
	if f["decision"] != VerdictDeny || f["percent"] != "16%" {
		t.Errorf("check details %v", f)
	}
	e := session.Event{Kind: session.KindTokenExchange, Time: at, Cached: true,
		Token: &auth.TokenSummary{Fingerprint: "9f86d081", ExpiresAt: at.Add(5 * time.Minute), Claims: auth.Claims{Subject: "agent:x\x1b[31m", Scope: "financial:read"}},
		Err:   &session.ErrorInfo{Code: "invalid_target", Message: "no \x1b[31mway", Status: 400}}
	var all strings.Builder
	for _, f := range Details(e, time.Time{}) {
		all.WriteString(f.Name + "=" + f.Value + "\n")
	}
	for _, want := range []string{"error=invalid_target: no way (HTTP 400)", "issued token=fingerprint 9f86d081 (the token itself is never shown)",
		"exp=2026-11-27 12:33:51 UTC (in 5m at the time)", "scope=financial:read", "cache=cached token reused"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("details lack %q:\n%s", want, all.String())
		}
	}
	if strings.Contains(all.String(), "\x1b") {
		t.Error("details carry an escape sequence")
	}
}
