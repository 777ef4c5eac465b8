// Package tools holds the tools the analyst agent may call and the gate every call goes
// through: capability check → token exchange (when the tool needs an audience) → call, each
// step reported. It has the document search, the financial MCP client and MCP servers that
// users add in their configuration.
package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lumodash/lumodash/auth"
)

// Tool is something the model may call.
type Tool interface {
	Name() string
	Description() string
	// Parameters is the JSON schema of the arguments object.
	Parameters() map[string]any
	// Capability is the LumoAuth capability the agent must hold ("" = none).
	Capability() string
	// Audience is the resource the tool needs an exchanged token for ("" = none).
	Audience() string
	// Call runs the tool. cred is the exchanged token for Audience() (nil when none).
	Call(ctx context.Context, args json.RawMessage, cred *auth.Credential) (Result, error)
}

// Result is what a tool returns to the model.
type Result struct {
	Text  string // what the model sees
	Count int    // hits, rows… (shown on screen), 0 when not meaningful
	// MCP is set when the tool called an MCP server.
	MCP *MCPCall
}

// MCPCall describes one MCP tools/call made by a tool: what was sent, what came back and
// which token was presented (its summary only).
type MCPCall struct {
	Server   string
	Tool     string
	Status   MCPStatus
	HTTP     int
	Duration time.Duration
	Retried  bool               // re-exchanged and retried after a 401
	Args     string             // the arguments sent, as JSON
	Result   string             // the result's text, or the error
	Token    *auth.TokenSummary // the token presented (the re-exchanged one after a retry)
}

// MCPStatus is how one MCP call ended: MCPOK, MCPError or an HTTP refusal ("http 401").
type MCPStatus string

// MCP call statuses.
const (
	MCPOK    MCPStatus = "ok"
	MCPError MCPStatus = "error" // the server could not be reached, or answered with isError
)

// MCPHTTPStatus is the status of an MCP call the server refused with an HTTP status.
func MCPHTTPStatus(code int) MCPStatus { return MCPStatus(fmt.Sprintf("http %d", code)) }

// ToolError is an error a tool reported about the request it was given (an MCP result with
// isError, such as an unknown metric): the model reads it and can ask again, unlike a
// failure to reach the tool or its server.
type ToolError struct{ Msg string }

func (e *ToolError) Error() string { return e.Msg }

// StepKind names a gate step.
type StepKind string

// Gate steps, reported in order for every call.
const (
	StepCheck    StepKind = "check"    // capability check
	StepExchange StepKind = "exchange" // token exchange (cached or new)
	StepMCP      StepKind = "mcp"      // an MCP call made by the tool
	StepResult   StepKind = "result"   // the tool's result
)

// Step is one reported gate step.
type Step struct {
	Kind         StepKind
	Tool         string
	CallID       string
	Capability   string
	Allowed      bool
	Reason       string // why allowed/denied, names the capability or OAuth error
	JITAvailable bool   // the capability can be requested just in time
	Audience     string
	Credential   *auth.TokenSummary
	Cached       bool
	MCP          *MCPCall
	Status       Status // result: as Outcome.Status
	Text         string // result text given to the model
	Count        int
	Duration     time.Duration
	Err          error
}
