package tools

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/safetext"
)

// FinancialAudience is the resource the financial MCP server accepts tokens for.
const FinancialAudience = "urn:mcp:financial-data"

// FinancialMCP is the query_financial_mcp tool: it calls get_metric on the financial MCP
// server with a token exchanged for urn:mcp:financial-data, over one reused MCP session.
type FinancialMCP struct {
	conn *mcpConn
}

// NewFinancialMCP returns the tool for agent, talking to the MCP endpoint mcpURL. It makes
// no network call; the session opens on the first call. Close it when done.
func NewFinancialMCP(agent *auth.Agent, mcpURL string) *FinancialMCP {
	return &FinancialMCP{conn: newMCPConn(agent, "financial-data", mcpURL, FinancialAudience)}
}

// Name implements Tool.
func (f *FinancialMCP) Name() string { return "query_financial_mcp" }

// Description implements Tool.
func (f *FinancialMCP) Description() string {
	return "Query the secured financial metrics MCP server for a metric of Acme Corp (revenue, gross_profit, gross_margin, ebitda, ebitda_margin, operating_expenses, net_income, cash, headcount, arr, customers, churn) for a quarter or fiscal year."
}

// Parameters implements Tool.
func (f *FinancialMCP) Parameters() map[string]any {
	return map[string]any{
		"type": "object",
		"properties": map[string]any{
			"metric": map[string]any{"type": "string", "description": "The metric, e.g. \"EBITDA\", \"revenue\", \"net income\"."},
			"period": map[string]any{"type": "string", "description": "Optional: \"2026-Q3\", \"Q3 2026\", \"Q3\" (latest Q3), \"FY2025\"; empty = the latest quarter."},
		},
		"required":             []string{"metric"},
		"additionalProperties": false,
	}
}

// Capability implements Tool.
func (f *FinancialMCP) Capability() string { return "mcp:financial" }

// Audience implements Tool.
func (f *FinancialMCP) Audience() string { return FinancialAudience }

// Call implements Tool.
func (f *FinancialMCP) Call(ctx context.Context, raw json.RawMessage, cred *auth.Credential) (Result, error) {
	var args struct {
		Metric string `json:"metric"`
		Period string `json:"period"`
	}
	if err := json.Unmarshal(nonEmpty(raw), &args); err != nil {
		return Result{}, &ArgsError{Msg: err.Error()}
	}
	in := map[string]any{"metric": args.Metric}
	if args.Period != "" {
		in["period"] = args.Period
	}
	return callMCPTool(ctx, f.conn, cred, "get_metric", in)
}

// Close ends the MCP session.
func (f *FinancialMCP) Close() error { return f.conn.Close() }

// Sessions is how many MCP sessions this tool has opened (one, unless the server dropped it).
func (f *FinancialMCP) Sessions() int64 { return f.conn.sessions.Load() }

// callMCPTool calls tool on conn's server and turns the answer into a Result that reports
// the MCP call. A tool-level error (isError) is a failed call whose text the model sees.
func callMCPTool(ctx context.Context, conn *mcpConn, cred *auth.Credential, tool string, args map[string]any) (Result, error) {
	start := time.Now()
	var res *mcp.CallToolResult
	token := conn.progress.add(CallID(ctx), tool)
	status, retried, err := conn.run(ctx, cred, func(ctx context.Context, s *mcp.ClientSession) error {
		p := &mcp.CallToolParams{Name: tool, Arguments: args}
		p.SetProgressToken(token)
		var err error
		res, err = s.CallTool(ctx, p)
		return err
	})
	call := &MCPCall{Server: conn.server, Tool: tool, HTTP: status, Duration: time.Since(start), Retried: retried,
		Token: presented(conn, cred, retried)}
	if b, merr := json.Marshal(args); merr == nil {
		call.Args = string(b)
	}
	var he *HTTPStatusError
	switch {
	case errors.As(err, &he):
		call.Status, call.Result = MCPHTTPStatus(he.Status), safetext.Line(he.Error())
		return Result{MCP: call, Text: refusalText(conn, he)}, err
	case err != nil:
		call.Status, call.Result = MCPError, safetext.Line(err.Error())
		if status >= 400 {
			call.Status = MCPHTTPStatus(status)
		}
		return Result{MCP: call, Text: "Error: the " + conn.server + " MCP server could not be reached or failed: " + safetext.Line(err.Error())}, err
	case res.IsError:
		call.Status = MCPError
		text := safetext.Clean(resultText(res))
		call.Result = text
		return Result{MCP: call, Text: "Error: " + text}, &ToolError{Msg: safetext.Line(text)}
	}
	call.Status = MCPOK
	call.Result = safetext.Clean(resultText(res))
	return Result{MCP: call, Text: call.Result, Count: 1}, nil
}

// presented is the summary of the token the call presented: cred, or after a retry the one
// the connection exchanged afresh.
func presented(conn *mcpConn, cred *auth.Credential, retried bool) *auth.TokenSummary {
	if retried {
		if cur := conn.current.Load(); cur != nil {
			cred = cur
		}
	}
	if cred == nil {
		return nil
	}
	sum := cred.Summary
	return &sum
}

func refusalText(conn *mcpConn, he *HTTPStatusError) string {
	switch he.Status {
	case http.StatusUnauthorized:
		return "Error: the " + conn.server + " MCP server rejected the token for " + conn.audience + " even after a fresh token exchange (" + safetext.Line(he.Error()) + ")."
	case http.StatusForbidden:
		if he.Details != "" || strings.Contains(he.Challenge, "insufficient_authorization_details") {
			return "Error: the " + conn.server + " MCP server requires a just-in-time grant for this call, which was not obtained (" +
				safetext.Line(he.Error()) + "). It can be requested just in time (JIT): ask the user to approve it."
		}
		return "Error: the " + conn.server + " MCP server refused the call: the token for " + conn.audience + " lacks the needed scope (" + safetext.Line(he.Error()) + ")."
	}
	return "Error: the " + conn.server + " MCP server answered " + safetext.Line(he.Error()) + "."
}
