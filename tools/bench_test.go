package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/lumodash/lumodash/auth"
)

// staticBearer authorizes every request with one fixed credential.
type staticBearer struct{ cred *auth.Credential }

func (s staticBearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	s.cred.SetAuthHeader(r)
	return http.DefaultTransport.RoundTrip(r)
}

// directSession is a plain SDK session to the financial MCP server with a static token.
func directSession(b *testing.B, w *testWorld, agent *auth.Agent) *mcp.ClientSession {
	ctx := context.Background()
	cred, err := agent.Exchange(ctx, FinancialAudience)
	if err != nil {
		b.Fatal(err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "bench", Version: "1"}, nil)
	s, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: w.mcpURL,
		HTTPClient: &http.Client{Transport: staticBearer{cred}}, DisableStandaloneSSE: true}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

var (
	benchMetric   = map[string]any{"metric": "EBITDA", "period": "2026-Q3"}
	benchMetricJS = json.RawMessage(`{"metric":"EBITDA","period":"2026-Q3"}`)
)

func callDirect(b *testing.B, s *mcp.ClientSession) {
	res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_metric", Arguments: benchMetric})
	if err != nil || res.IsError {
		b.Fatal(err, res)
	}
}

// gatedFinancial is the financial tool behind a gate, warmed up (info, token, session).
func gatedFinancial(b *testing.B, w *testWorld, agent *auth.Agent) (*Gate, *FinancialMCP) {
	fin := NewFinancialMCP(agent, w.mcpURL)
	b.Cleanup(func() { fin.Close() })
	steps := 0
	gate := NewGate(agent, func(Step) { steps++ })
	callGated(b, gate, fin)
	return gate, fin
}

func callGated(b *testing.B, gate *Gate, fin *FinancialMCP) {
	if out := gate.Call(context.Background(), fin, "c", benchMetricJS); out.Status != StatusOK {
		b.Fatal(out.Text)
	}
}

// BenchmarkMCPDirect is the baseline: a plain SDK session calling get_metric with a static
// token, no gate.
func BenchmarkMCPDirect(b *testing.B) {
	w := startWorld(b)
	s := directSession(b, w, w.agent(b, "research-analyst"))
	for b.Loop() {
		callDirect(b, s)
	}
}

// BenchmarkMCPGated is the same call through the gate: capability check on cached info,
// cached exchanged token, reused session, steps reported.
func BenchmarkMCPGated(b *testing.B) {
	w := startWorld(b)
	gate, fin := gatedFinancial(b, w, w.agent(b, "research-analyst"))
	for b.Loop() {
		callGated(b, gate, fin)
	}
	if fin.Sessions() != 1 {
		b.Errorf("sessions = %d", fin.Sessions())
	}
}

// BenchmarkMCPGatedVsDirect runs a direct and a gated call against the same server in one
// loop, so that both see the same machine load, and reports the ratio of their total
// times. alternating swaps which goes first on every iteration (the second call of a pair
// finds connections and caches the first warmed); direct-first is the order it used to
// keep, for comparison.
func BenchmarkMCPGatedVsDirect(b *testing.B) {
	w := startWorld(b)
	agent := w.agent(b, "research-analyst")
	s := directSession(b, w, agent)
	gate, fin := gatedFinancial(b, w, agent)
	for _, order := range []string{"direct-first", "alternating"} {
		b.Run(order, func(b *testing.B) {
			var direct, gated time.Duration
			timed := func(call func()) time.Duration { t0 := time.Now(); call(); return time.Since(t0) }
			for i := 0; b.Loop(); i++ {
				if order == "alternating" && i%2 == 1 {
					gated += timed(func() { callGated(b, gate, fin) })
					direct += timed(func() { callDirect(b, s) })
				} else {
					direct += timed(func() { callDirect(b, s) })
					gated += timed(func() { callGated(b, gate, fin) })
				}
			}
			b.ReportMetric(float64(direct.Nanoseconds())/float64(b.N), "direct-ns/call")
			b.ReportMetric(float64(gated.Nanoseconds())/float64(b.N), "gated-ns/call")
			b.ReportMetric(float64(gated)/float64(direct), "gated/direct")
		})
	}
}

func BenchmarkSearchCorpus(b *testing.B) {
	s, _, err := NewDocumentSearch("")
	if err != nil {
		b.Fatal(err)
	}
	args := json.RawMessage(`{"query":"Q3 performance"}`)
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Call(context.Background(), args, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearch10k(b *testing.B) {
	dir := b.TempDir()
	writeGeneratedDocs(b, dir, 10_000)
	s, notices, err := NewDocumentSearch(dir)
	if err != nil || len(notices) != 0 || s.Len() != 10_000 {
		b.Fatalf("index: %v %v %d", err, notices, s.Len())
	}
	queries := []string{"Q3 performance", "ebitda margin guidance", "customer churn renewal", "headcount hiring plan"}
	args := make([]json.RawMessage, len(queries))
	for i, q := range queries {
		args[i] = json.RawMessage(`{"query":` + quote(q) + `,"max_results":10}`)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := s.Call(context.Background(), args[i%len(args)], nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkIndex10k measures building the index of 10,000 documents.
func BenchmarkIndex10k(b *testing.B) {
	dir := b.TempDir()
	writeGeneratedDocs(b, dir, 10_000)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := NewDocumentSearch(dir); err != nil {
			b.Fatal(err)
		}
	}
}

var benchWords = strings.Fields(`revenue growth quarter performance ebitda margin customer churn renewal
	pipeline headcount hiring plan cash runway board update guidance forecast region europe americas
	product launch pricing discount partner channel support ticket latency incident security audit
	compliance vendor contract budget travel policy onboarding training review memo strategy roadmap`)

// writeGeneratedDocs writes n Markdown documents of ~150 words drawn from benchWords.
func writeGeneratedDocs(tb testing.TB, dir string, n int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		var sb strings.Builder
		fmt.Fprintf(&sb, "# Memo %d: %s %s\n\n", i, benchWords[rng.IntN(len(benchWords))], benchWords[rng.IntN(len(benchWords))])
		for j := range 150 {
			sb.WriteString(benchWords[rng.IntN(len(benchWords))])
			if j%12 == 11 {
				sb.WriteString(". Q" + fmt.Sprint(1+rng.IntN(4)) + " ")
			} else {
				sb.WriteByte(' ')
			}
		}
		sub := filepath.Join(dir, fmt.Sprintf("d%02d", i%100))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("memo-%05d.md", i)), []byte(sb.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
