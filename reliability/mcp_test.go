package reliability_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
)

var isToolCall = faultserver.BodyContains(`"tools/call"`)

// rpcReply answers a JSON-RPC request itself with body(id) as application/json.
func rpcReply(body func(id string) string) faultserver.Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		var req struct {
			ID json.RawMessage `json:"id"`
		}
		_ = json.Unmarshal(faultserver.PeekBody(r), &req)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body(string(req.ID)))
	}
}

// toolText is a valid tools/call result carrying text.
func toolText(text string) func(string) string {
	return func(id string) string {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": json.RawMessage(id),
			"result": map[string]any{"content": []any{map[string]any{"type": "text", "text": text}}}})
		return string(b)
	}
}

func TestReliabilityMCPServerFaults(t *testing.T) {
	t.Parallel()
	mcp := func(f faultserver.Fault) func(*testing.T, *faultWorld) {
		return func(t *testing.T, fw *faultWorld) { fw.mcp.Set(f) }
	}
	financialFailed := func(status string) func(*testing.T, *faultWorld, headless) {
		return func(t *testing.T, fw *faultWorld, h headless) {
			calls := ofKind(h.events, session.KindMCPCall)
			if len(calls) == 0 || !strings.Contains(string(calls[len(calls)-1].Status), status) {
				t.Errorf("mcp events %+v, want status %q", calls, status)
			}
			var res session.Event
			for _, e := range ofKind(h.events, session.KindToolResult) {
				if e.Tool == "query_financial_mcp" {
					res = e
				}
			}
			if res.Status != "failed" {
				t.Errorf("financial tool result %q, want failed", res.Status)
			}
			if fin := lastOf(h.events, session.KindRequestFinish); fin.Text == "" {
				t.Error("no answer after the failed tool")
			}
		}
	}
	hugeText := strings.Repeat("EBITDA row ", 400_000) // ~4.4 MB
	runFaultCases(t, "research-analyst", []faultCase{
		{name: "down", code: cli.ExitToolFailed, ui: "could not be reached", want: []string{"could not be reached or failed"},
			inject: func(t *testing.T, fw *faultWorld) { fw.mcp.Down() }, check: financialFailed("error")},
		{name: "401", code: cli.ExitToolFailed, ui: "HTTP 401", want: []string{"HTTP 401"},
			inject: mcp(faultserver.Status(401, map[string]string{"WWW-Authenticate": `Bearer error="invalid_token", resource_metadata="http://x/.well-known/oauth-protected-resource"`}, `{"error":"invalid_token"}`)),
			check: func(t *testing.T, fw *faultWorld, h headless) {
				financialFailed("401")(t, fw, h)
				if n := len(ofKind(h.events, session.KindTokenExchange)); n != 2 {
					t.Errorf("%d exchanges; a 401 must re-exchange exactly once", n)
				}
			}},
		{name: "403", code: cli.ExitToolFailed, ui: "HTTP 403", want: []string{"HTTP 403", "insufficient_scope"},
			inject: mcp(faultserver.Status(403, map[string]string{"WWW-Authenticate": `Bearer error="insufficient_scope", scope="financial:read"`}, `{"error":"insufficient_scope"}`)),
			check:  financialFailed("403")},
		{name: "500", code: cli.ExitToolFailed, ui: "Internal Server Error", want: []string{"could not be reached or failed", "Internal Server Error"},
			inject: mcp(faultserver.When(isToolCall, faultserver.Status(500, map[string]string{"Content-Type": "text/plain"}, "Internal Server Error: database on fire"))),
			check:  financialFailed("500")},
		{name: "slow call", code: cli.ExitOK,
			inject: mcp(faultserver.When(isToolCall, faultserver.Delay(1500*time.Millisecond))),
			check: func(t *testing.T, fw *faultWorld, h headless) {
				calls := ofKind(h.events, session.KindMCPCall)
				if len(calls) != 1 || calls[0].Status != "ok" || calls[0].Duration < 1500*time.Millisecond {
					t.Errorf("mcp events %+v", calls)
				}
			}},
		{name: "malformed JSON-RPC reply", code: cli.ExitToolFailed, ui: "could not be reached", want: []string{"could not be reached or failed"},
			inject: mcp(faultserver.When(isToolCall, rpcReply(func(id string) string { return `{"jsonrpc":"2.0","id":` + id + `,"result":{"content":[{"type":"te` }))),
			check:  financialFailed("error")},
		{name: "huge result", code: cli.ExitOK,
			inject: mcp(faultserver.When(isToolCall, rpcReply(toolText(hugeText)))),
			check: func(t *testing.T, fw *faultWorld, h headless) {
				var kept int
				for _, e := range ofKind(h.events, session.KindToolResult) {
					if e.Tool == "query_financial_mcp" {
						kept = len(e.Text)
					}
				}
				if kept != len(hugeText) {
					t.Errorf("the transcript keeps %d of the result's %d bytes", kept, len(hugeText))
				}
				if u := lastOf(h.events, session.KindRequestFinish).Usage; u == nil || u.PromptTokens > 60_000 {
					t.Errorf("the whole result went to the model: usage %+v", u)
				}
			}},
	})
}
