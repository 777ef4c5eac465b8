package session

import (
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools"
)

// SchemaVersion is the version of the Event JSON shape. Bump it on incompatible changes.
const SchemaVersion = 1

// Kind names an Event. The string values are stable: they appear in transcripts and NDJSON.
type Kind string

// The event vocabulary shared by the TUI, the headless printer and the transcript.
const (
	KindSessionStart  Kind = "session.start"  // Agent, Model, Parts, Capabilities (what the tools need)
	KindSessionFinish Kind = "session.finish" // Outcome, Usage, Cost, Err
	KindPrompt        Kind = "prompt"         // Text: the user's prompt
	KindRequestFinish Kind = "request.finish" // Outcome, Text (final answer), Usage/Cost of the request, SessionUse/SessionCost, Err

	KindAuthToken     Kind = "auth.token" // Status: obtained|renewed|failed; Token; Err
	KindInfoRefreshed Kind = "auth.info"  // Status: ok|failed; Info (capabilities, budget); Err on failure

	KindCapabilityCheck Kind = "gate.check"    // Tool, Capability, Allowed, Reason, JITAvailable
	KindTokenExchange   Kind = "gate.exchange" // Audience, Status: new|cached|failed, Cached, Token (summary), Err
	KindMCPCall         Kind = "gate.mcp"      // Server, Tool (the MCP tool), Status (tools.MCPStatus), HTTPStatus, Duration, Args (sent), Text (result or error), Token (presented), Reason, Err
	KindToolCall        Kind = "tool.call"     // CallID, Tool, Args
	KindToolResult      Kind = "tool.result"   // CallID, Tool, Status (tools.Status: ok|denied|failed), Text, Count, Duration
	KindMCPProgress     Kind = "gate.progress" // CallID, Tool (the MCP tool), Server, Percent (0 when the total is unknown), Count (progress so far), Text (the server's message)
	KindMCPMessage      Kind = "mcp.message"   // Server, Endpoint (notifications/message or the request's method), Status (log level, or answered|accepted|declined), Text

	KindModelRequest  Kind = "model.request"   // Model, Turn, Attempt, Context (tokens in this request / the window)
	KindModelDelta    Kind = "model.delta"     // Text: streamed content (or refusal) fragment
	KindModelResponse Kind = "model.response"  // Model, Turn, Usage, Cost, Duration, Text (full content or refusal), Count (tool calls), Status (finish reason)
	KindModelRetry    Kind = "model.retry"     // Attempt, Delay, Err
	KindModelNotice   Kind = "model.notice"    // Status: Notice*; Text says what lumodash did about it
	KindContextTrim   Kind = "context.trimmed" // Text: what was left out of the request to fit the window; Count (messages left out); Context

	KindBudgetUpdate    Kind = "budget.update"    // Budget snapshot
	KindBudgetWarning   Kind = "budget.warning"   // Budget, Limit, Percent
	KindBudgetExhausted Kind = "budget.exhausted" // Budget, Limit, ResetsAt

	KindJITRequested Kind = "jit.requested" // Tool, CallID, Capability, RequestID, Risk, Text (justification)
	KindJITPending   Kind = "jit.pending"   // Capability, RequestID, Risk, Deadline (when waiting stops)
	KindJITApproved  Kind = "jit.approved"  // Capability, RequestID, TTL, Deadline (grant end), Reason (notes), Approver
	KindJITDenied    Kind = "jit.denied"    // Capability, RequestID, Status (tools.JITStage: denied|expired|timeout|declined|failed), Reason (+ reviewer's notes)
	KindJITCompleted Kind = "jit.completed" // the session's JIT task ended: its grants are revoked; Err on failure
	KindJITCall      Kind = "jit.call"      // one HTTP call of the JIT API (Endpoint, HTTPStatus, Text, Token summary of a JIT token)

	KindUsageReported Kind = "usage.reported" // Status: ok|failed|unsupported, Text; Err
	KindError         Kind = "error"          // Err
)

// Kinds lists every Kind, so that what must cover each of them (the presentation layer) can
// be tested against it. A new Kind goes here too.
var Kinds = []Kind{
	KindSessionStart, KindSessionFinish, KindPrompt, KindRequestFinish,
	KindAuthToken, KindInfoRefreshed,
	KindCapabilityCheck, KindTokenExchange, KindMCPCall, KindToolCall, KindToolResult, KindMCPProgress, KindMCPMessage,
	KindModelRequest, KindModelDelta, KindModelResponse, KindModelRetry, KindModelNotice, KindContextTrim,
	KindBudgetUpdate, KindBudgetWarning, KindBudgetExhausted,
	KindJITRequested, KindJITPending, KindJITApproved, KindJITDenied, KindJITCompleted, KindJITCall,
	KindUsageReported, KindError,
}

// Status is an event's status word. Which words a kind uses is said with its Kind; the
// values are stable (they are in transcripts). tool.result carries a tools.Status, gate.mcp
// a tools.MCPStatus and the jit.* events a tools.JITStage, converted where they are emitted.
type Status string

// Statuses of auth.token.
const (
	TokenObtained Status = "obtained"
	TokenRenewed  Status = "renewed"
	TokenFailed   Status = "failed"
)

// Statuses of auth.info.
const (
	InfoOK     Status = "ok"
	InfoFailed Status = "failed"
)

// Statuses of gate.exchange.
const (
	ExchangeNew    Status = "new"
	ExchangeCached Status = "cached"
	ExchangeFailed Status = "failed"
)

// Statuses of model.notice: what the model or its server did that lumodash worked around.
const (
	NoticeTextToolCalls Status = "text_tool_calls" // tool calls written as text
	NoticeStreamOptions Status = "stream_options"  // the server rejects stream_options
	NoticeContextWindow Status = "context_window"  // the context window and where it comes from
)

// Statuses of usage.reported.
const (
	UsageOK          Status = "ok"
	UsageFailed      Status = "failed"
	UsageUnsupported Status = "unsupported" // the server has no usage endpoint
)

// Outcome is how a request or a session ended.
type Outcome string

// Outcomes of a session.finish event.
const (
	OutcomeOK              Outcome = "ok"
	OutcomeCancelled       Outcome = "cancelled"
	OutcomeBudgetExhausted Outcome = "budget_exhausted"
	OutcomeDenied          Outcome = "denied"
	OutcomeToolFailed      Outcome = "tool_failed" // a tool failed (exchange, server or tool error); the answer lacks that part
	OutcomeModelError      Outcome = "model_error"
	OutcomeAuthError       Outcome = "auth_error"
	OutcomeMaxTurns        Outcome = "max_turns" // the model kept calling tools past --max-turns
	OutcomeTruncated       Outcome = "truncated" // the answer (or a tool call's arguments) was cut at the output limit: finish_reason length
	OutcomeFiltered        Outcome = "filtered"  // the provider's content filter withheld the answer: finish_reason content_filter
	OutcomeRefused         Outcome = "refused"   // the model refused (delta.refusal); Text carries the refusal
	OutcomeError           Outcome = "error"
)

// Usage is token usage of one model turn or a whole session.
type Usage struct {
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
	CachedTokens     int64 `json:"cached_tokens,omitempty"`
	ReasoningTokens  int64 `json:"reasoning_tokens,omitempty"` // part of CompletionTokens (o-series)
	// HistoryTokens is the part of PromptTokens spent resending earlier requests.
	HistoryTokens int64 `json:"history_tokens,omitempty"`
	Estimated     bool  `json:"estimated,omitempty"` // counted by an estimate, not the server
}

// ContextUse is how full the model's context window is: Tokens of the request being sent
// (the dashboard's context gauge is Tokens/Window), Window 0 when it is not known.
type ContextUse struct {
	Tokens  int64  `json:"tokens"`
	Window  int64  `json:"window,omitempty"`
	Source  string `json:"source,omitempty"`  // where the window comes from (configured, a server report, the built-in table)
	Reserve int64  `json:"reserve,omitempty"` // tokens kept free for the answer
	History int64  `json:"history,omitempty"` // of Tokens, those resending earlier requests
}

// Total is prompt plus completion tokens.
func (u Usage) Total() int64 { return u.PromptTokens + u.CompletionTokens }

// Cost is a price in USD, or the reason there is none. Never render an unpriced cost as $0.00.
type Cost struct {
	USD    float64 `json:"usd"`
	Priced bool    `json:"priced"`
	Note   string  `json:"note,omitempty"` // "unpriced", "local (free)"
	// HistoryUSD is the part of USD spent resending earlier requests (priced costs only).
	HistoryUSD float64 `json:"history_usd,omitempty"`
}

// Part describes one outside party (authorization server, MCP server, model).
type Part struct {
	Role     string `json:"role"` // "auth", "mcp", "model"
	Name     string `json:"name"`
	Host     string `json:"host"`
	Embedded bool   `json:"embedded"`
	// Status is an MCP server's discovery state (tools.ServerState: reachable, denied,
	// unreachable), "" for parts not discovered; Reason says why denied or unreachable.
	Status string `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// ErrorInfo is an error made safe for display and JSON: a code and a message, no stack.
type ErrorInfo struct {
	Code    string `json:"code,omitempty"` // e.g. invalid_client, http_429, timeout
	Message string `json:"message"`
	Status  int    `json:"status,omitempty"`
}

// Event is one thing that happened in a session. Only the fields its Kind names are set.
// Events never carry a raw token or secret: only auth.TokenSummary.
type Event struct {
	V       int       `json:"v"`
	Time    time.Time `json:"time"`
	Kind    Kind      `json:"kind"`
	Session string    `json:"session,omitempty"`
	Seq     int64     `json:"seq"`
	Turn    int       `json:"turn,omitempty"`

	Agent *AgentRef `json:"agent,omitempty"`
	Model string    `json:"model,omitempty"`
	Parts []Part    `json:"parts,omitempty"`
	// Capabilities are those the session's tools require (session.start), so a view can say
	// what the agent lacks before a call is refused.
	Capabilities []string `json:"capabilities,omitempty"`
	// Tools are the tools offered to the model (session.start): name, server, capability,
	// description and whether the server is reachable or denied.
	Tools []tools.Listing `json:"tools,omitempty"`

	Text   string `json:"text,omitempty"`
	Status Status `json:"status,omitempty"`

	Tool         string             `json:"tool,omitempty"`
	CallID       string             `json:"call_id,omitempty"`
	Args         string             `json:"args,omitempty"`
	Capability   string             `json:"capability,omitempty"`
	Allowed      *bool              `json:"allowed,omitempty"`
	Reason       string             `json:"reason,omitempty"`
	JITAvailable bool               `json:"jit_available,omitempty"`
	Audience     string             `json:"audience,omitempty"`
	Cached       bool               `json:"cached,omitempty"`
	Token        *auth.TokenSummary `json:"token,omitempty"`
	Server       string             `json:"server,omitempty"`
	Endpoint     string             `json:"endpoint,omitempty"` // request target, e.g. POST /t/acme/api/v1/oauth/token
	HTTPStatus   int                `json:"http_status,omitempty"`
	Count        int                `json:"count,omitempty"`
	Duration     time.Duration      `json:"duration_ns,omitempty"`

	Info     *auth.Info         `json:"info,omitempty"`
	Budget   *auth.BudgetPolicy `json:"budget,omitempty"`
	Limit    string             `json:"limit,omitempty"` // tokens/day, calls/hour, session tokens, session cost
	Percent  float64            `json:"percent,omitempty"`
	ResetsAt time.Time          `json:"resets_at,omitzero"`

	Usage       *Usage `json:"usage,omitempty"`
	Cost        *Cost  `json:"cost,omitempty"`
	SessionUse  *Usage `json:"session_usage,omitempty"`
	SessionCost *Cost  `json:"session_cost,omitempty"`

	Context *ContextUse `json:"context,omitempty"`

	Attempt int           `json:"attempt,omitempty"`
	Delay   time.Duration `json:"delay_ns,omitempty"`

	RequestID string        `json:"request_id,omitempty"`
	Risk      string        `json:"risk,omitempty"`
	Approver  string        `json:"approver,omitempty"`
	TTL       time.Duration `json:"ttl_ns,omitempty"`
	Deadline  time.Time     `json:"deadline,omitzero"`

	Outcome Outcome    `json:"outcome,omitempty"`
	Err     *ErrorInfo `json:"error,omitempty"`
}

// AgentRef names the agent a session runs as.
type AgentRef struct {
	Name         string `json:"name"`
	ID           string `json:"id"`
	ClientID     string `json:"client_id"`
	Organization string `json:"organization"`
}

// Sink receives events. Implementations must be safe for concurrent use and must not block
// for long: the TUI, the headless printer and the transcript writer are Sinks.
type Sink interface {
	Emit(Event)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(Event)

// Emit calls f(e).
func (f SinkFunc) Emit(e Event) { f(e) }
