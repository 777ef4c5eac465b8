package auth

import (
	"net/http"
	"time"
)

// Config says where the authorization server is and who the agent is.
type Config struct {
	BaseURL      string // LUMOAUTH_URL, e.g. https://app.lumoauth.dev
	OrgID        string // LUMOAUTH_ORG_ID → /orgs/{id}/api/v1 (current API)
	Tenant       string // LUMOAUTH_TENANT → /t/{tenant}/api/v1 (legacy API)
	ClientID     string // AGENT_CLIENT_ID
	ClientSecret string // AGENT_CLIENT_SECRET
	Scopes       []string
	// AllowInsecureHTTP permits http:// to a non-loopback host (--insecure).
	AllowInsecureHTTP bool
	// Timeout bounds each HTTP request (default 15 s).
	Timeout time.Duration
}

// Claims are the decoded, non-secret claims of a JWT access token.
type Claims struct {
	Issuer    string    `json:"iss,omitempty"`
	Subject   string    `json:"sub,omitempty"`
	Audience  []string  `json:"aud,omitempty"`
	Scope     string    `json:"scope,omitempty"`
	ClientID  string    `json:"client_id,omitempty"`
	AgentName string    `json:"agent_name,omitempty"`
	Org       string    `json:"org,omitempty"` // tenant or organization claim
	TokenUse  string    `json:"token_use,omitempty"`
	JTI       string    `json:"jti,omitempty"`
	IssuedAt  time.Time `json:"iat,omitempty"`
	ExpiresAt time.Time `json:"exp,omitempty"`
}

// TokenSummary describes a token without revealing it.
type TokenSummary struct {
	Fingerprint string    `json:"fingerprint"` // short, one-way (e.g. first 8 hex of SHA-256)
	Claims      Claims    `json:"claims"`
	ExpiresAt   time.Time `json:"expires_at"`
	Scope       string    `json:"scope,omitempty"`
	// Type is the RFC 8693 token type of an exchanged token (issued_token_type).
	Type string `json:"token_type,omitempty"`
	// SubjectFingerprint and SubjectType name the token an exchanged token was issued for
	// (subject_token, subject_token_type): the agent's own token or a JIT grant's.
	SubjectFingerprint string `json:"subject_fingerprint,omitempty"`
	SubjectType        string `json:"subject_token_type,omitempty"`
}

// BudgetPolicy is the agent's budget as userinfo reports it. Zero max = no limit.
type BudgetPolicy struct {
	MaxTokensPerDay         int64    `json:"max_tokens_per_day"`
	TokensUsedToday         int64    `json:"tokens_used_today"`
	MaxAPICallsPerHour      int64    `json:"max_api_calls_per_hour"`
	APICallsThisHour        int64    `json:"api_calls_this_hour"`
	MaxCostPerMonthUSD      *float64 `json:"max_cost_per_month_usd,omitempty"`
	AllowedModels           []string `json:"allowed_models,omitempty"`
	RequireApprovalAboveUSD *float64 `json:"require_approval_above_usd,omitempty"`
	// Reset times: sent by the embedded server (our extension); when absent the client
	// fills in the next UTC midnight (tokens) and the next full hour (calls).
	TokensResetAt time.Time `json:"tokens_reset_at,omitzero"`
	CallsResetAt  time.Time `json:"calls_reset_at,omitzero"`
}

// Info is the agent's identity, capabilities and budget (GET {prefix}/oauth/userinfo).
type Info struct {
	Subject      string       `json:"sub"`
	Name         string       `json:"name"`
	AgentID      string       `json:"agent_id"`
	IdentityType string       `json:"identity_type"`
	Capabilities []string     `json:"capabilities"`
	Budget       BudgetPolicy `json:"budget_policy"`
	Organization string       `json:"organization"` // "tenant" on older servers
	FetchedAt    time.Time    `json:"fetched_at"`
	// JITRequestable lists capabilities the agent lacks but may request just in time, with
	// their risk (lumodash's extension "jit_requestable"; absent on a real LumoAuth, which
	// answers the JIT request itself).
	JITRequestable []JITOffer `json:"jit_requestable,omitempty"`
}

// JITOffer is one capability that may be requested just in time, and at what risk.
type JITOffer struct {
	Capability string `json:"capability"`
	Risk       string `json:"risk"` // low | medium (approved at once) | high | critical (a human decides)
}

// Credential is an access token for one audience (or the agent's own token when Audience is
// empty). The raw value is unexported: use SetAuthHeader.
type Credential struct {
	Audience string
	Summary  TokenSummary
	Cached   bool // served from the exchange cache
	raw      string
}

// SetAuthHeader sets "Authorization: Bearer <token>" on r.
func (c *Credential) SetAuthHeader(r *http.Request) { r.Header.Set("Authorization", "Bearer "+c.raw) }

// OAuthError is an error answer from the authorization server.
type OAuthError struct {
	Endpoint    string // path that failed, e.g. /t/acme/api/v1/oauth/token
	Status      int    // HTTP status (0 when the server could not be reached)
	Code        string // OAuth "error", e.g. invalid_client
	Description string // error_description / message / detail
	// Err is the underlying cause when the server could not be reached or answered nonsense
	// (e.g. context.DeadlineExceeded); errors.Is sees through it.
	Err error
}

// ReportKind names what auth did.
type ReportKind string

const (
	ReportTokenObtained    ReportKind = "token_obtained"
	ReportTokenRenewed     ReportKind = "token_renewed"
	ReportTokenFailed      ReportKind = "token_failed"
	ReportInfoRefreshed    ReportKind = "info_refreshed"
	ReportInfoFailed       ReportKind = "info_failed"
	ReportExchangeNew      ReportKind = "exchange_new"
	ReportExchangeCached   ReportKind = "exchange_cached"
	ReportExchangeFailed   ReportKind = "exchange_failed"
	ReportJITTask          ReportKind = "jit_task"
	ReportJITRequested     ReportKind = "jit_requested"
	ReportJITStatus        ReportKind = "jit_status"
	ReportJITToken         ReportKind = "jit_token"
	ReportJITCompleted     ReportKind = "jit_completed"
	ReportUsageReported    ReportKind = "usage_reported"
	ReportUsageUnsupported ReportKind = "usage_unsupported"
)

// Report is one thing auth did, for the session layer to turn into an event.
type Report struct {
	Kind     ReportKind
	At       time.Time
	Duration time.Duration
	Method   string // HTTP method and
	Endpoint string // path of the request made, if any
	Status   int    // HTTP status, if any
	Audience string
	Token    *TokenSummary // never the raw token
	Info     *Info
	Detail   string // human summary, e.g. "approved · ttl 300s"
	Err      error
}

// Hook receives Reports. It is called synchronously; it must be fast and must not block.
type Hook func(Report)

// BudgetStatus says whether and why the budget is spent.
type BudgetStatus struct {
	Exhausted bool
	Limit     string    // "tokens/day" or "calls/hour" when exhausted
	ResetsAt  time.Time // when that limit resets
	Policy    BudgetPolicy
}

// JITTask is a task that groups JIT permission requests (POST {prefix}/jit/task).
type JITTask struct {
	ID            string    `json:"task_id"`
	CAEPSessionID string    `json:"caep_session_id,omitempty"`
	ExpiresAt     time.Time `json:"expires_at,omitzero"`
}

// AuthorizationDetails is an RFC 9396 authorization_details entry of a JIT request.
type AuthorizationDetails struct {
	Type       string   `json:"type"`    // e.g. agent_capability
	Actions    []string `json:"actions"` // e.g. [mcp:financial]
	Identifier string   `json:"identifier,omitempty"`
}

// JITRequest asks for a just-in-time permission (POST {prefix}/jit/request).
type JITRequest struct {
	TaskID               string
	AuthorizationDetails AuthorizationDetails
	Justification        string
	RequestedTTL         time.Duration // ≤ 15 min; 0 = server default (5 min)
}

// JIT request states as the server reports them.
const (
	JITApproved = "approved"
	JITPending  = "pending"
	JITDenied   = "denied"
)

// JITResult is the state of a JIT request (request answer or status poll).
type JITResult struct {
	RequestID   string        `json:"request_id"`
	Status      string        `json:"status"`               // approved | pending | denied (or expired…)
	RiskLevel   string        `json:"risk_level,omitempty"` // low | medium | high | critical
	TokenURL    string        `json:"token_url,omitempty"`
	StatusURL   string        `json:"status_url,omitempty"`
	GrantedTTL  time.Duration `json:"granted_ttl_ns,omitempty"` // the wire sends seconds
	ReviewNotes string        `json:"review_notes,omitempty"`
	ReviewedBy  string        `json:"reviewed_by,omitempty"` // who decided, when the server says (an extension of the embedded server)
	HTTPStatus  int           `json:"-"`                     // 201 or 202 for a new request, 200 for status
}
