package present

import (
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// callEvents is one gated call that needed a JIT grant: call, denied check, JIT request,
// a 4-second human wait, the grant, an allowing check, the exchange, the MCP call, the result.
func callEvents() []session.Event {
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	tok := &auth.TokenSummary{Fingerprint: "ab12cd34", ExpiresAt: at(300_000), Scope: "financial:read", Type: auth.TokenTypeAccessToken,
		SubjectFingerprint: "99ffee00", SubjectType: auth.TokenTypeAccessToken, Claims: auth.Claims{IssuedAt: at(0), Audience: []string{"urn:mcp:financial-data"}}}
	ev := []session.Event{
		{Kind: session.KindToolCall, Time: at(0), Turn: 1, CallID: "call_1_2", Tool: "query_financial_mcp", Args: `{"metric":"ebitda"}`},
		{Kind: session.KindCapabilityCheck, Time: at(2), CallID: "call_1_2", Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: no, Reason: "agent lacks 'mcp:financial'"},
		{Kind: session.KindJITRequested, Time: at(10), CallID: "call_1_2", Tool: "query_financial_mcp", Capability: "mcp:financial", Risk: "high", RequestID: "jit_1"},
		{Kind: session.KindJITPending, Time: at(11), CallID: "call_1_2", Capability: "mcp:financial", RequestID: "jit_1", Deadline: at(600_000)},
		{Kind: session.KindJITApproved, Time: at(4011), CallID: "call_1_2", Capability: "mcp:financial", RequestID: "jit_1", TTL: 5 * time.Minute, Approver: "operator"},
		{Kind: session.KindCapabilityCheck, Time: at(4012), CallID: "call_1_2", Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: yes},
		{Kind: session.KindTokenExchange, Time: at(4030), Duration: 15 * time.Millisecond, CallID: "call_1_2", Tool: "query_financial_mcp", Audience: "urn:mcp:financial-data", Status: session.ExchangeNew, Token: tok},
		{Kind: session.KindMCPCall, Time: at(4050), Duration: 18 * time.Millisecond, CallID: "call_1_2", Server: "financial-data", Tool: "get_metric", Status: "ok", HTTPStatus: 200,
			Args: `{"metric":"ebitda"}`, Text: "Acme Corp EBITDA, Q3 2026: $4.21M", Token: tok},
		{Kind: session.KindToolResult, Time: at(4052), Duration: 4052 * time.Millisecond, CallID: "call_1_2", Tool: "query_financial_mcp", Status: session.Status(tools.StatusOK), Count: 1},
	}
	for i := range ev {
		ev[i].Seq = int64(i + 1)
	}
	return ev
}

// TestTraceLaysOutTheCall: the steps keep their order, start relative to the call and last
// as long as they took (the human wait as long as it took to decide); the bars sit where the
// steps start and are as long as they last.
func TestTraceLaysOutTheCall(t *testing.T) {
	tr := NewTrace(callEvents())
	if tr.Tool != "query_financial_mcp" || tr.CallID != "call_1_2" || tr.Status != tools.StatusOK || tr.Total != 4052*time.Millisecond {
		t.Fatalf("trace %+v", tr)
	}
	names := []string{}
	for _, s := range tr.Steps {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "call,check,JIT request,JIT pending,JIT decision,check,exchange,MCP get_metric,result" {
		t.Errorf("steps %s", got)
	}
	pending, exchange := tr.Steps[3], tr.Steps[6]
	if pending.Duration != 4*time.Second || exchange.Start != 4015*time.Millisecond || exchange.Duration != 15*time.Millisecond {
		t.Errorf("pending %v, exchange +%v for %v", pending.Duration, exchange.Start, exchange.Duration)
	}
	w := tr.Layout(70, false)
	if !strings.HasSuffix(strings.TrimRight(w.Head, " "), "4.1s") {
		t.Errorf("axis %q does not end at the call's length", w.Head)
	}
	barOf := func(i int) (from, n int) {
		b := []rune(w.Rows[i].Bar)
		for from < len(b) && b[from] == ' ' {
			from++
		}
		return from, len(b) - from
	}
	barW := len([]rune(w.Head)) - len([]rune(w.Rows[0].Text))
	if from, n := barOf(8); from != 0 || n != barW {
		t.Errorf("the result spans the call: bar at %d, %d cells of %d", from, n, barW)
	}
	if from, n := barOf(3); from != 0 || n < barW*9/10 {
		t.Errorf("the human wait fills most of the axis: at %d, %d cells", from, n)
	}
	if from, n := barOf(7); from < barW*9/10 || n != 1 {
		t.Errorf("the MCP call is a short bar at the end: at %d, %d cells", from, n)
	}
	if !strings.Contains(w.Rows[6].Text, "new · fp ab12cd34") || !strings.Contains(w.Rows[1].Text, "DENY mcp:financial") {
		t.Errorf("statuses:\n%s\n%s", w.Rows[6].Text, w.Rows[1].Text)
	}
	for _, r := range w.Rows {
		if n := len([]rune(r.Text + r.Bar)); n > 70 {
			t.Errorf("row is %d cells, more than 70: %q", n, r.Text+r.Bar)
		}
	}
	text := tr.Text(100)
	for _, want := range []string{"Trace query_financial_mcp · call_1_2 · ✓ allowed · 4.1s", `arguments {"metric":"ebitda"}`, "|", "==",
		"approved jit_1 · mcp:financial granted for 5m by operator", "financial-data get_metric → ok"} {
		if !strings.Contains(text, want) {
			t.Errorf("trace text lacks %q:\n%s", want, text)
		}
	}
}

// TestGateDetails: the MCP call says what was sent, what came back, where and with which
// token; the exchange names the subject token and the token types; times count live or
// say they are as they were.
func TestGateDetails(t *testing.T) {
	ev := callEvents()
	fields := func(e session.Event, now time.Time) map[string]string {
		m := map[string]string{}
		for _, f := range Details(e, now) {
			m[f.Name] = f.Value
		}
		return m
	}
	mcp := fields(ev[7], time.Time{})
	if mcp["sent"] != `{"metric":"ebitda"}` || mcp["returned"] != "Acme Corp EBITDA, Q3 2026: $4.21M" || mcp["server"] != "financial-data" ||
		!strings.HasPrefix(mcp["token presented"], "fingerprint ab12cd34") {
		t.Errorf("mcp details %v", mcp)
	}
	x := fields(ev[6], t0.Add(time.Minute))
	if x["subject token"] != "fingerprint 99ffee00 · "+auth.TokenTypeAccessToken || x["issued type"] != auth.TokenTypeAccessToken ||
		x["audience"] != "urn:mcp:financial-data" || x["scope"] != "financial:read" || x["lifetime"] != "5m" {
		t.Errorf("exchange details %v", x)
	}
	if !strings.HasSuffix(x["exp"], "(in 4m)") || !strings.HasSuffix(x["time"], "(56s ago)") {
		t.Errorf("live times: exp %q, time %q", x["exp"], x["time"])
	}
	if got := fields(ev[6], time.Time{})["exp"]; !strings.HasSuffix(got, "(in 4m56s at the time)") {
		t.Errorf("exp at the time: %q", got)
	}
	if got := fields(ev[4], time.Time{})["approver"]; got != "operator" {
		t.Errorf("approver %q", got)
	}
}

func TestCallTagAndSummary(t *testing.T) {
	if got := CallTag("call_1_2"); got != "#call_1_2" {
		t.Errorf("short id: %q", got)
	}
	if got := CallTag("call_X8Ab3kLmNoPqRsTuVwXyZ012"); got != "#…XyZ012" {
		t.Errorf("long id: %q", got)
	}
	mcp := callEvents()[7]
	if got := CallSummary(mcp, "query_financial_mcp"); got != "financial-data get_metric → ok · 18ms · query_financial_mcp" {
		t.Errorf("mcp row %q", got)
	}
	check := callEvents()[1]
	if got := CallSummary(check, "query_financial_mcp"); strings.Count(got, "query_financial_mcp") != 1 {
		t.Errorf("check row names its tool twice: %q", got)
	}
}

// TestAnswerIsMarkdownInTheReport: the answer keeps its Markdown, but cannot take the
// report apart: headings go below the report's, HTML is escaped outside code, an open fence
// is closed.
func TestAnswerIsMarkdownInTheReport(t *testing.T) {
	got := answerMarkdown("## Q3 summary\n\n- EBITDA was **$4.21M** <script>x</script>\n  - nested `<b>`\n```\n<raw>\n\x1b[2J")
	for _, want := range []string{"##### Q3 summary", "- EBITDA was **$4.21M** &lt;script>x&lt;/script>", "  - nested `<b>`", "```\n<raw>\n```"} {
		if !strings.Contains(got, want) {
			t.Errorf("answer lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, `\*\*`) || strings.Contains(got, "\x1b") {
		t.Errorf("answer escaped or unsanitised:\n%s", got)
	}
}

// TestReportNamesTheJITApprover: a call that needed a JIT grant says in the report who
// approved which request.
func TestReportNamesTheJITApprover(t *testing.T) {
	ev := append([]session.Event{{Kind: session.KindPrompt, Text: "EBITDA?"}}, callEvents()...)
	ev = append(ev, session.Event{Kind: session.KindRequestFinish, Outcome: session.OutcomeOK, Text: "EBITDA was **$4.21M**."})
	md := Markdown(session.Summarize(ev))
	for _, want := range []string{"- Just in time: requested mcp:financial for query\\_financial\\_mcp · risk high · jit\\_1",
		"- Just in time: approved jit\\_1 · mcp:financial granted for 5m by operator", "EBITDA was **$4.21M**."} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}
