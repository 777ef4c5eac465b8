package telemetry

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// approver is the person in the loop: confirms the request and approves it.
type approver struct{}

func (approver) Confirm(context.Context, tools.JITQuestion) (bool, error) { return true, nil }
func (approver) Review(context.Context, tools.JITQuestion) (tools.JITDecision, error) {
	return tools.JITDecision{Approve: true, Notes: "for the Q3 memo"}, nil
}

// TestJITEscalationSpans: the junior analyst gets mcp:financial just in time; the request
// is a request_jit span under the tool call, with the JIT API's calls as its children, and
// the call then goes on to the exchange and the MCP server.
func TestJITEscalationSpans(t *testing.T) {
	col := telemetrytest.StartCollector(t)
	w := newWorld(t, "junior-analyst")
	id, secret, ok := w.dev.Credentials("operator")
	if !ok {
		t.Fatal("no operator client")
	}
	operator, err := auth.New(auth.Config{BaseURL: w.dev.URL(), OrgID: "acme-corp", ClientID: id, ClientSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	w.cfg.JIT = tools.JITConfig{Mode: tools.JITModeAuto, Poll: 50 * time.Millisecond, Human: approver{}, Reviewer: operator}
	n := w.export(t, Settings{OTLP: Signal{Endpoint: col.GRPC}}, session.OutcomeOK).Spans
	spans := telemetrytest.WaitFor(t, col, telemetrytest.ReadSpans, func(s []telemetrytest.Span) bool { return int64(len(s)) >= n }, "the JIT session's spans")
	var root, tool, jit telemetrytest.Span
	for _, s := range spans {
		switch {
		case strings.HasPrefix(s.Name, "invoke_agent "):
			root = s
		case s.Name == "execute_tool query_financial_mcp":
			tool = s
		case s.Name == "request_jit mcp:financial":
			jit = s
		}
	}
	tree, _ := renderTree(spans, root, 0)
	t.Logf("\n%s", tree)
	if jit.ParentSpanID != tool.SpanID || tool.SpanID == "" {
		t.Fatalf("request_jit is not a child of the tool call:\n%s", tree)
	}
	if jit.Attr("lumodash.jit.result") != "approved" || jit.Attr("lumodash.jit.request_id") == "" || jit.Attr("lumodash.jit.risk") == "" || jit.Status.Code == 2 {
		t.Errorf("request_jit attributes %v, status %d", telemetrytest.AttrMap(jit.Attributes), jit.Status.Code)
	}
	calls := 0
	for _, s := range spans {
		if strings.HasPrefix(s.Name, "jit_call ") && s.TraceID == root.TraceID {
			calls++
			if s.ParentSpanID != jit.SpanID {
				t.Errorf("%s is not under request_jit:\n%s", s.Name, tree)
			}
		}
	}
	if calls < 3 { // task, request, token at least
		t.Errorf("%d jit_call spans under request_jit:\n%s", calls, tree)
	}
	for _, want := range []string{"exchange_token urn:mcp:financial-data", "tools/call get_metric (mcp.method.name=tools/call, lumodash.mcp.status=ok)"} {
		if !strings.Contains(tree, want) {
			t.Errorf("the tree lacks %q after the grant:\n%s", want, tree)
		}
	}
}
