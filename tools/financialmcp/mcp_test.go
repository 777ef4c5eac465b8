package financialmcp

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// connect opens a real MCP client session to srv with the given bearer token.
func connect(t *testing.T, srv *Server, token string) (*mcp.ClientSession, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client := mcp.NewClient(&mcp.Implementation{Name: "financialmcp-test", Version: "0"}, nil)
	transport := &mcp.StreamableClientTransport{Endpoint: srv.URL(), MaxRetries: -1,
		HTTPClient: &http.Client{Transport: bearerTransport{token}}}
	return client.Connect(ctx, transport, nil)
}

func textOf(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func TestMCPSessionWithExchangedToken(t *testing.T) {
	as := newTestAS(t)
	srv := startServer(t, as)
	key, _ := testKeys(t)
	session, err := connect(t, srv, sign(t, key, testKID, as.claims()))
	if err != nil {
		t.Fatalf("connect with a valid token: %v", err)
	}
	defer func() { _ = session.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	tools, err := session.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"get_metric", "list_metrics"}) {
		t.Fatalf("tools = %v, want get_metric and list_metrics", names)
	}

	for _, tc := range []struct{ metric, period string }{
		{"EBITDA", "Q3 2026"}, {"revenue", ""}, {"net income", "FY2025"}, {"ARR", "2025-Q4"},
	} {
		want, err := Lookup(tc.metric, tc.period)
		if err != nil {
			t.Fatal(err)
		}
		res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "get_metric",
			Arguments: map[string]any{"metric": tc.metric, "period": tc.period}})
		if err != nil {
			t.Fatalf("get_metric(%q, %q): %v", tc.metric, tc.period, err)
		}
		if res.IsError {
			t.Fatalf("get_metric(%q, %q) is a tool error: %s", tc.metric, tc.period, textOf(t, res))
		}
		if got := textOf(t, res); got != want.Line() {
			t.Errorf("text = %q, want %q", got, want.Line())
		}
		raw, _ := json.Marshal(res.StructuredContent)
		var got Value
		if err := json.Unmarshal(raw, &got); err != nil || got != want {
			t.Errorf("structured = %+v (err %v), want %+v", got, err, want)
		}
	}
	ebitda, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "get_metric", Arguments: map[string]any{"metric": "EBITDA"}})
	if err != nil || textOf(t, ebitda) != "Acme Corp EBITDA, Q3 2026: $4.21M" {
		t.Errorf("latest EBITDA line = %q (err %v)", textOf(t, ebitda), err)
	}

	bad, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "get_metric", Arguments: map[string]any{"metric": "vibes"}})
	if err != nil {
		t.Fatalf("an unknown metric must be a tool error, not a protocol error: %v", err)
	}
	if !bad.IsError || !strings.Contains(textOf(t, bad), "valid metrics: revenue") {
		t.Errorf("unknown metric: IsError=%v text %q", bad.IsError, textOf(t, bad))
	}
	badPeriod, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "get_metric",
		Arguments: map[string]any{"metric": "revenue", "period": "Q4 2026"}})
	if err != nil || !badPeriod.IsError || !strings.Contains(textOf(t, badPeriod), "2024-Q1 … 2026-Q3") {
		t.Errorf("out-of-range period: err %v, IsError=%v text %q", err, badPeriod.IsError, textOf(t, badPeriod))
	}

	list, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "list_metrics"})
	if err != nil || list.IsError {
		t.Fatalf("list_metrics: %v", err)
	}
	raw, _ := json.Marshal(list.StructuredContent)
	var ml MetricList
	if err := json.Unmarshal(raw, &ml); err != nil || len(ml.Metrics) != 12 || len(ml.Quarters) != 11 {
		t.Errorf("list_metrics structured: %d metrics, %d quarters (err %v)", len(ml.Metrics), len(ml.Quarters), err)
	}
	if !strings.Contains(textOf(t, list), "- ebitda (EBITDA, USD)") {
		t.Errorf("list_metrics text lacks ebitda: %q", textOf(t, list))
	}
}

func TestMCPSessionRefusedWithPrimaryToken(t *testing.T) {
	as := newTestAS(t)
	srv := startServer(t, as)
	key, _ := testKeys(t)
	c := as.claims()
	c["aud"] = as.issuer()
	if session, err := connect(t, srv, sign(t, key, testKID, c)); err == nil {
		_ = session.Close()
		t.Fatal("an MCP session opened with the agent's primary token (aud = issuer)")
	}
}
