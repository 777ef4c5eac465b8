// Package sessiontest generates realistic session transcripts for tests and benchmarks:
// the event mix of a long analyst session (prompts, streamed answers, tool calls through
// the gate, usage and budget), deterministic for a given size, written as the JSONL a
// session.TranscriptWriter writes.
package sessiontest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/session"
)

// Start is the clock of the first generated event.
var Start = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// SessionID is the session every generated event belongs to.
const SessionID = "s-bench0000001"

// WriteTranscript writes a transcript of n events into tb's temporary directory and
// returns its path.
func WriteTranscript(tb testing.TB, n int) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), fmt.Sprintf("transcript-%d.jsonl", n))
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // as session.TranscriptWriter
	for e := range Events(n) {
		if err := enc.Encode(e); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}

// Events yields n events of one session: its start, then requests (each a prompt, a model
// turn asking for two tools, the gate's checks, exchange and MCP call, a streamed answer of
// about 180 words in fragments, usage and budget), and the session's finish as the last.
// The same n always gives the same events.
func Events(n int) iter.Seq[session.Event] {
	return func(yield func(session.Event) bool) {
		g := &generator{rng: rand.New(rand.NewPCG(16, uint64(n))), n: n, yield: yield}
		g.run()
	}
}

type generator struct {
	rng   *rand.Rand
	n     int
	seq   int64
	clock time.Time
	yield func(session.Event) bool
	done  bool
}

// emit stamps e as the Bus does and yields it; the last slot is kept for session.finish.
func (g *generator) emit(e session.Event, gap time.Duration) bool {
	if g.done || (e.Kind != session.KindSessionFinish && g.seq >= int64(g.n-1)) {
		return false
	}
	g.seq++
	g.clock = g.clock.Add(gap)
	e.V, e.Seq, e.Time, e.Session = session.SchemaVersion, g.seq, g.clock, SessionID
	if !g.yield(e) {
		g.done = true
	}
	return !g.done
}

func (g *generator) run() {
	g.clock = Start
	agent := &session.AgentRef{Name: "research-analyst", ID: "agt_7f3a", ClientID: "research-analyst", Organization: "acme-corp"}
	issuer := "http://127.0.0.1:41234/orgs/acme-corp/api/v1"
	used := int64(12_000)
	ok := g.emit(session.Event{Kind: session.KindSessionStart, Agent: agent, Model: "demo-analyst", Parts: parts,
		Capabilities: []string{"mcp:financial", "read:documents"}}, 0) &&
		g.emit(session.Event{Kind: session.KindAuthToken, Status: session.TokenObtained, Token: token(issuer, "", g.clock),
			Endpoint: "POST /orgs/acme-corp/api/v1/oauth/token", HTTPStatus: 200, Duration: 12 * time.Millisecond}, 100*time.Millisecond) &&
		g.emit(session.Event{Kind: session.KindInfoRefreshed, Status: session.InfoOK, Info: &auth.Info{Name: agent.Name, AgentID: agent.ID,
			Organization: "acme-corp", Capabilities: []string{"read:documents", "mcp:financial"}, Budget: budget(used)},
			Endpoint: "GET /orgs/acme-corp/api/v1/oauth/userinfo", HTTPStatus: 200}, 20*time.Millisecond)
	for r := 1; ok; r++ {
		ok = g.request(r, &used)
	}
	g.done = false
	if g.seq < int64(g.n) {
		g.emit(session.Event{Kind: session.KindSessionFinish, Agent: agent, Outcome: session.OutcomeOK}, time.Second)
	}
}

// request emits one prompt and everything that comes of it; false once n is reached.
func (g *generator) request(r int, used *int64) bool {
	metric, period := metrics[r%len(metrics)], periods[r%len(periods)]
	c1, c2 := fmt.Sprintf("call_%d_docs", r), fmt.Sprintf("call_%d_mcp", r)
	args := fmt.Sprintf(`{"metric":%q,"period":%q}`, metric, period)
	aud := "urn:mcp:financial-data"
	tok := token(aud, "financial:read", g.clock)
	usage1 := &session.Usage{PromptTokens: 800 + int64(r%50), CompletionTokens: 41}
	steps := []struct {
		e   session.Event
		gap time.Duration
	}{
		{session.Event{Kind: session.KindPrompt, Text: fmt.Sprintf("Search documents for %s performance, then query the financial MCP for %s.", period, metric)}, 20 * time.Second},
		{session.Event{Kind: session.KindModelRequest, Model: "demo-analyst", Turn: 1, Attempt: 1, Context: &session.ContextUse{Tokens: usage1.PromptTokens, Window: 128_000}}, 5 * time.Millisecond},
		{session.Event{Kind: session.KindModelResponse, Model: "demo-analyst", Turn: 1, Usage: usage1, Cost: &session.Cost{Note: "local (free)"}, Duration: 400 * time.Millisecond, Count: 2, Status: "tool_calls"}, 400 * time.Millisecond},
		{session.Event{Kind: session.KindToolCall, CallID: c1, Tool: "search_company_documents", Args: fmt.Sprintf(`{"query":"%s performance"}`, period)}, time.Millisecond},
		{session.Event{Kind: session.KindToolCall, CallID: c2, Tool: "query_financial_mcp", Args: args}, time.Millisecond},
		{session.Event{Kind: session.KindCapabilityCheck, CallID: c1, Tool: "search_company_documents", Capability: "read:documents", Allowed: &yes, Reason: "capability held"}, time.Millisecond},
		{session.Event{Kind: session.KindCapabilityCheck, CallID: c2, Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: &yes, Reason: "capability held"}, time.Millisecond},
		{session.Event{Kind: session.KindTokenExchange, CallID: c2, Tool: "query_financial_mcp", Audience: aud, Status: session.ExchangeNew, Token: tok,
			Endpoint: "POST /orgs/acme-corp/api/v1/oauth/token", HTTPStatus: 200, Duration: 9 * time.Millisecond}, 9 * time.Millisecond},
		{session.Event{Kind: session.KindToolResult, CallID: c1, Tool: "search_company_documents", Status: "ok", Count: 3, Duration: 38 * time.Millisecond,
			Text: passages[r%len(passages)]}, 30 * time.Millisecond},
		{session.Event{Kind: session.KindMCPCall, CallID: c2, Server: "financial", Tool: "get_metric", Status: "ok", HTTPStatus: 200, Duration: 12 * time.Millisecond,
			Args: args, Text: fmt.Sprintf("Acme Corp %s, %s 2026: $%d.%02dM", metric, period, 2+r%7, r%100), Token: tok}, 12 * time.Millisecond},
		{session.Event{Kind: session.KindToolResult, CallID: c2, Tool: "query_financial_mcp", Status: "ok", Count: 1, Duration: 61 * time.Millisecond}, time.Millisecond},
		{session.Event{Kind: session.KindModelRequest, Model: "demo-analyst", Turn: 2, Attempt: 1, Context: &session.ContextUse{Tokens: usage1.PromptTokens + 220, Window: 128_000}}, time.Millisecond},
	}
	for _, s := range steps {
		if !g.emit(s.e, s.gap) {
			return false
		}
	}
	answer, ok := g.answer(metric, period)
	if !ok {
		return false
	}
	usage2 := &session.Usage{PromptTokens: usage1.PromptTokens + 220, CompletionTokens: int64(len(answer) / 4)}
	total := &session.Usage{PromptTokens: usage1.PromptTokens + usage2.PromptTokens, CompletionTokens: usage1.CompletionTokens + usage2.CompletionTokens}
	*used += total.Total()
	free := &session.Cost{Note: "local (free)"}
	return g.emit(session.Event{Kind: session.KindModelResponse, Model: "demo-analyst", Turn: 2, Text: answer, Usage: usage2, Cost: free, Duration: 2 * time.Second, Status: "stop"}, 10*time.Millisecond) &&
		g.emit(session.Event{Kind: session.KindBudgetUpdate, Budget: ptr(budget(*used))}, 5*time.Millisecond) &&
		g.emit(session.Event{Kind: session.KindRequestFinish, Outcome: session.OutcomeOK, Text: answer, Usage: total, Cost: free}, time.Millisecond) &&
		g.emit(session.Event{Kind: session.KindUsageReported, Status: session.UsageOK, Text: fmt.Sprintf("%d tokens reported", total.Total())}, 15*time.Millisecond)
}

// answer streams a Markdown answer of about 180 words as deltas of one to four words and
// returns its whole text.
func (g *generator) answer(metric, period string) (string, bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s %s summary\n\n", period, metric)
	for p := 0; p < 3; p++ {
		for s := 0; s < 4; s++ {
			b.WriteString(sentences[g.rng.IntN(len(sentences))])
			b.WriteByte(' ')
		}
		b.WriteString("\n\n")
	}
	b.WriteString("| metric | value |\n|---|---|\n| " + metric + " | **$4.1M** |\n\n- Sources: 3 documents, financial MCP.\n")
	text := b.String()
	for rest := text; rest != ""; {
		cut := 0
		for w := 1 + g.rng.IntN(4); w > 0 && cut < len(rest); w-- {
			if i := strings.IndexByte(rest[cut:], ' '); i >= 0 {
				cut += i + 1
			} else {
				cut = len(rest)
			}
		}
		if !g.emit(session.Event{Kind: session.KindModelDelta, Turn: 2, Text: rest[:cut]}, 25*time.Millisecond) {
			return "", false
		}
		rest = rest[cut:]
	}
	return text, true
}

var (
	yes     = true
	metrics = []string{"EBITDA", "revenue", "gross margin", "operating cash flow", "net income"}
	periods = []string{"Q1", "Q2", "Q3", "Q4"}
	parts   = []session.Part{
		{Role: "auth", Name: "devserver", Host: "127.0.0.1:41234", Embedded: true},
		{Role: "mcp", Name: "financialmcp", Host: "127.0.0.1:41235", Embedded: true},
		{Role: "model", Name: "demomodel", Host: "127.0.0.1:41236", Embedded: true},
	}
	sentences = []string{
		"Revenue grew **12%** year on year, driven by the enterprise segment.",
		"EBITDA was $4.1M, a margin of 18% against 16% a year earlier.",
		"Operating expenses rose 4%, mostly in research and development.",
		"The board memo notes a one-off restructuring charge of $0.3M.",
		"Cash conversion improved as receivables days fell from 52 to 47.",
		"Guidance for the next quarter is unchanged at 10–12% growth.",
		"Gross margin held at 61% despite higher cloud hosting costs.",
		"Headcount grew by 35, two thirds of it in engineering.",
	}
	passages = []string{
		"3 passages: Q3 board memo (revenue up 12%), investor letter (EBITDA margin 18%), finance review (opex +4%)",
		"3 passages: Q2 board memo (revenue up 9%), investor letter (EBITDA margin 17%), finance review (opex +3%)",
	}
)

func ptr[T any](v T) *T { return &v }

func token(aud, scope string, issued time.Time) *auth.TokenSummary {
	return &auth.TokenSummary{Fingerprint: "9f86d081",
		Claims: auth.Claims{Issuer: "http://127.0.0.1:41234/orgs/acme-corp/api/v1", Subject: "agt_7f3a", Audience: []string{aud},
			Scope: scope, ClientID: "research-analyst", Org: "acme-corp", IssuedAt: issued, ExpiresAt: issued.Add(5 * time.Minute)},
		ExpiresAt: issued.Add(5 * time.Minute), Scope: scope}
}

func budget(used int64) auth.BudgetPolicy {
	return auth.BudgetPolicy{MaxTokensPerDay: 10_000_000, TokensUsedToday: used, MaxAPICallsPerHour: 10_000, APICallsThisHour: 12,
		TokensResetAt: time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), CallsResetAt: time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)}
}
