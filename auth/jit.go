package auth

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
)

// MaxJITTTL is the longest JIT permission the server grants.
const MaxJITTTL = 15 * time.Minute

// DefaultJITPoll is how often WaitJIT polls when given no interval (as the SDK does).
const DefaultJITPoll = 5 * time.Second

// CreateJITTask opens a task to group JIT requests (POST {prefix}/jit/task). name and typ may be "".
func (a *Agent) CreateJITTask(ctx context.Context, name, typ string) (JITTask, error) {
	const endpoint = "/jit/task"
	body := map[string]string{}
	if name != "" {
		body["name"] = name
	}
	if typ != "" {
		body["type"] = typ
	}
	var w struct {
		TaskID        string   `json:"task_id"`
		CAEPSessionID string   `json:"caep_session_id"`
		ExpiresAt     flexTime `json:"expires_at"`
	}
	ans, err := a.authedJSON(ctx, http.MethodPost, endpoint, body, &w)
	if err == nil && w.TaskID == "" {
		err = a.invalidResponse(a.cfg.path(endpoint), ans.status, "the task answer has no task_id", nil)
	}
	task := JITTask{ID: w.TaskID, CAEPSessionID: w.CAEPSessionID, ExpiresAt: time.Time(w.ExpiresAt)}
	a.reportJIT(ReportJITTask, http.MethodPost, endpoint, ans, err, "task "+task.ID)
	return task, err
}

// RequestJIT asks for a permission. Low/medium risk is usually approved at once; high and
// critical answer pending (201 or 202) until a human decides.
func (a *Agent) RequestJIT(ctx context.Context, req JITRequest) (JITResult, error) {
	const endpoint = "/jit/request"
	path := a.cfg.path(endpoint)
	if err := validateJITRequest(path, req); err != nil {
		a.reportJIT(ReportJITRequested, http.MethodPost, endpoint, answer{}, err, "")
		return JITResult{}, err
	}
	details := req.AuthorizationDetails
	if details.Actions == nil {
		details.Actions = []string{}
	}
	body := map[string]any{"task_id": req.TaskID, "authorization_details": details}
	if req.Justification != "" {
		body["justification"] = req.Justification
	}
	if req.RequestedTTL > 0 {
		body["requested_ttl"] = int64(req.RequestedTTL / time.Second)
	}
	var w jitWire
	ans, err := a.authedJSON(ctx, http.MethodPost, endpoint, body, &w)
	res := w.result(ans.status)
	if err == nil && res.RequestID == "" {
		err = a.invalidResponse(path, ans.status, "the JIT answer has no request_id", nil)
	}
	a.reportJIT(ReportJITRequested, http.MethodPost, endpoint, ans, err, describeJIT(res))
	return res, err
}

func validateJITRequest(path string, req JITRequest) error {
	problem := ""
	switch {
	case strings.TrimSpace(req.TaskID) == "":
		problem = "a JIT request needs the task_id from CreateJITTask"
	case strings.TrimSpace(req.AuthorizationDetails.Type) == "":
		problem = "a JIT request needs authorization_details.type, e.g. agent_capability with actions [mcp:financial]"
	case req.RequestedTTL < 0 || req.RequestedTTL > MaxJITTTL:
		problem = fmt.Sprintf("requested TTL %s is outside 0…%s", req.RequestedTTL, MaxJITTTL)
	}
	if problem == "" {
		return nil
	}
	return &OAuthError{Endpoint: path, Code: "invalid_request", Description: problem}
}

// JITStatus reads a request's state (GET {prefix}/jit/request/{id}/status).
func (a *Agent) JITStatus(ctx context.Context, id string) (JITResult, error) {
	res, ans, err := a.jitStatus(ctx, id)
	a.reportJIT(ReportJITStatus, http.MethodGet, statusEndpoint(id), ans, err, describeJIT(res))
	return res, err
}

func statusEndpoint(id string) string { return "/jit/request/" + escape(id) + "/status" }

func (a *Agent) jitStatus(ctx context.Context, id string) (JITResult, answer, error) {
	var w jitWire
	ans, err := a.authedJSON(ctx, http.MethodGet, statusEndpoint(id), nil, &w)
	res := w.result(ans.status)
	if res.RequestID == "" {
		res.RequestID = id
	}
	return res, ans, err
}

// WaitJIT polls the request every interval (≤ 0: 5 s) until it is no longer pending or ctx
// ends. It reports the first pending answer and the final one. When ctx ends first, it
// returns the last answer it had (pending: a request waited on is pending until it says
// otherwise), also when ctx ended during a poll.
func (a *Agent) WaitJIT(ctx context.Context, id string, every time.Duration) (JITResult, error) {
	if every <= 0 {
		every = DefaultJITPoll
	}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	last := JITResult{RequestID: id, Status: JITPending}
	for polls := 0; ; polls++ {
		res, ans, err := a.jitStatus(ctx, id)
		if err != nil && ctx.Err() != nil {
			// The caller stopped waiting (its timeout or cancel): not a failure of the server.
			return last, a.stoppedWaiting(id, ctx.Err())
		}
		if err == nil {
			last = res
		}
		if err != nil || res.Status != JITPending || polls == 0 {
			a.reportJIT(ReportJITStatus, http.MethodGet, statusEndpoint(id), ans, err, describeJIT(res))
		}
		if err != nil || res.Status != JITPending {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, a.stoppedWaiting(id, ctx.Err())
		case <-ticker.C:
		}
	}
}

func (a *Agent) stoppedWaiting(id string, cause error) *OAuthError {
	err := a.transportError(a.cfg.path(statusEndpoint(id)), cause)
	err.Description = "stopped waiting for the JIT decision: " + err.Description
	return err
}

// JITToken fetches the token of an approved request (403 while it is not approved).
func (a *Agent) JITToken(ctx context.Context, id string) (*Credential, error) {
	endpoint := "/jit/request/" + escape(id) + "/token"
	var w struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   flexInt `json:"expires_in"`
		Scope       string  `json:"scope"`
	}
	ans, err := a.authedJSON(ctx, http.MethodPost, endpoint, nil, &w)
	if err == nil && w.AccessToken == "" {
		err = a.invalidResponse(a.cfg.path(endpoint), ans.status, "the JIT token answer has no access_token", nil)
	}
	if err != nil {
		a.reportJIT(ReportJITToken, http.MethodPost, endpoint, ans, err, "")
		return nil, err
	}
	now := a.now()
	expiry := expiryOf(now, float64(w.ExpiresIn), w.AccessToken)
	summary := summarize(w.AccessToken, expiry, w.Scope)
	cred := &Credential{Summary: summary, raw: w.AccessToken}
	if len(summary.Claims.Audience) > 0 {
		cred.Audience = summary.Claims.Audience[0]
	}
	a.report(Report{Kind: ReportJITToken, Duration: ans.duration, Method: http.MethodPost, Endpoint: a.cfg.path(endpoint),
		Status: ans.status, Token: &summary, Detail: "JIT token · expires in " + numfmt.Duration(expiry.Sub(now))})
	return cred, nil
}

// CompleteJITTask ends a task; the server revokes its JIT tokens.
func (a *Agent) CompleteJITTask(ctx context.Context, taskID string) error {
	endpoint := "/jit/task/" + escape(taskID) + "/complete"
	ans, err := a.authedJSON(ctx, http.MethodPost, endpoint, nil, nil)
	a.reportJIT(ReportJITCompleted, http.MethodPost, endpoint, ans, err, "task "+taskID+" completed")
	return err
}

// ApproveJIT approves a pending request; the agent's token must hold jit.approve. ttl 0 and
// notes "" are left to the server.
func (a *Agent) ApproveJIT(ctx context.Context, id string, ttl time.Duration, notes string) error {
	endpoint := "/jit/approve/" + escape(id)
	body := map[string]any{}
	if ttl > 0 {
		body["ttl"] = int64(ttl / time.Second)
	}
	if notes != "" {
		body["notes"] = notes
	}
	ans, err := a.authedJSON(ctx, http.MethodPost, endpoint, body, nil)
	a.reportJIT(ReportJITStatus, http.MethodPost, endpoint, ans, err, "approved "+id)
	return err
}

// DenyJIT denies a pending request; the agent's token must hold jit.approve.
func (a *Agent) DenyJIT(ctx context.Context, id, notes string) error {
	endpoint := "/jit/deny/" + escape(id)
	body := map[string]any{}
	if notes != "" {
		body["notes"] = notes
	}
	ans, err := a.authedJSON(ctx, http.MethodPost, endpoint, body, nil)
	a.reportJIT(ReportJITStatus, http.MethodPost, endpoint, ans, err, "denied "+id)
	return err
}

func (a *Agent) reportJIT(kind ReportKind, method, endpoint string, ans answer, err error, detail string) {
	a.report(Report{Kind: kind, Duration: ans.duration, Method: method, Endpoint: a.cfg.path(endpoint),
		Status: ans.status, Err: err, Detail: detail})
}

// jitWire is a JIT request or status answer.
type jitWire struct {
	RequestID   string  `json:"request_id"`
	Status      string  `json:"status"`
	RiskLevel   string  `json:"risk_level"`
	TokenURL    string  `json:"token_url"`
	StatusURL   string  `json:"status_url"`
	GrantedTTL  seconds `json:"granted_ttl"`
	ReviewNotes string  `json:"review_notes"`
	ReviewedBy  string  `json:"reviewed_by"`
}

func (w jitWire) result(httpStatus int) JITResult {
	status := strings.ToLower(strings.TrimSpace(w.Status))
	if status == "" && httpStatus == http.StatusAccepted {
		status = JITPending
	}
	return JITResult{RequestID: w.RequestID, Status: status, RiskLevel: w.RiskLevel, TokenURL: w.TokenURL,
		StatusURL: w.StatusURL, GrantedTTL: time.Duration(w.GrantedTTL), ReviewNotes: w.ReviewNotes, ReviewedBy: w.ReviewedBy, HTTPStatus: httpStatus}
}

func describeJIT(r JITResult) string {
	s := r.Status
	if r.RiskLevel != "" {
		s += " · risk " + r.RiskLevel
	}
	if r.GrantedTTL > 0 {
		s += " · ttl " + numfmt.Duration(r.GrantedTTL)
	}
	return strings.TrimPrefix(s, " · ")
}
