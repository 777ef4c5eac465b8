package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// ReportApproval is an approval call (request, status, list or decision) over HTTP.
const ReportApproval ReportKind = "approval"

// Approval states as the server reports them.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalDenied   = "denied"
	ApprovalExpired  = "expired"
)

// ApprovalRequest asks a person to approve one action (POST {prefix}/agents/me/approvals,
// the SDKs' require_approval).
type ApprovalRequest struct {
	TaskID     string         // the task the action belongs to (free text), required
	Reason     string         // what the approver is asked to allow, required
	Impact     string         // low | medium (default) | high | critical
	OnBehalfOf string         // the user the agent acts for
	Meta       map[string]any // structured fields shown to the approver
}

// Approval is a push-approval request as the server reports it.
type Approval struct {
	Token       string         `json:"approval_token"`
	Status      string         `json:"status"`
	TaskID      string         `json:"task_id"`
	Impact      string         `json:"impact"`
	Reason      string         `json:"reason"`
	OnBehalfOf  string         `json:"on_behalf_of,omitempty"`
	Meta        map[string]any `json:"meta,omitempty"`
	Agent       string         `json:"agent,omitempty"`      // the requesting client (embedded server)
	AgentName   string         `json:"agent_name,omitempty"` // its display name (embedded server)
	CreatedAt   time.Time      `json:"created_at,omitzero"`
	ExpiresAt   time.Time      `json:"expires_at,omitzero"`
	RespondedAt time.Time      `json:"responded_at,omitzero"`
	ApprovedBy  *Approver      `json:"approved_by,omitempty"`
	ReviewedBy  string         `json:"reviewed_by,omitempty"`
	ReviewNotes string         `json:"review_notes,omitempty"`
}

// Approver is the person who approved.
type Approver struct {
	UserID string `json:"user_id"`
	Email  string `json:"email,omitempty"`
}

// approvalWire reads an approval answer; user_id may be a number.
type approvalWire struct {
	Token       string         `json:"approval_token"`
	Status      string         `json:"status"`
	TaskID      string         `json:"task_id"`
	Impact      string         `json:"impact"`
	Reason      string         `json:"reason"`
	OnBehalfOf  string         `json:"on_behalf_of"`
	Meta        map[string]any `json:"meta"`
	Agent       string         `json:"agent"`
	AgentName   string         `json:"agent_name"`
	CreatedAt   flexTime       `json:"created_at"`
	ExpiresAt   flexTime       `json:"expires_at"`
	RespondedAt flexTime       `json:"responded_at"`
	ApprovedBy  *struct {
		UserID json.RawMessage `json:"user_id"`
		Email  string          `json:"email"`
	} `json:"approved_by"`
	ReviewedBy  string `json:"reviewed_by"`
	ReviewNotes string `json:"review_notes"`
}

func (w approvalWire) approval() Approval {
	a := Approval{Token: w.Token, Status: strings.ToLower(strings.TrimSpace(w.Status)), TaskID: w.TaskID, Impact: w.Impact,
		Reason: w.Reason, OnBehalfOf: w.OnBehalfOf, Meta: w.Meta, Agent: w.Agent, AgentName: w.AgentName,
		CreatedAt: time.Time(w.CreatedAt), ExpiresAt: time.Time(w.ExpiresAt), RespondedAt: time.Time(w.RespondedAt),
		ReviewedBy: w.ReviewedBy, ReviewNotes: w.ReviewNotes}
	if w.ApprovedBy != nil {
		id := strings.Trim(string(w.ApprovedBy.UserID), `"`)
		a.ApprovedBy = &Approver{UserID: id, Email: w.ApprovedBy.Email}
	}
	return a
}

// RequestApproval asks a person to approve one action; the answer is pending until someone
// decides (poll ApprovalStatus).
func (a *Agent) RequestApproval(ctx context.Context, req ApprovalRequest) (Approval, error) {
	const endpoint = "/agents/me/approvals"
	if strings.TrimSpace(req.TaskID) == "" || strings.TrimSpace(req.Reason) == "" {
		return Approval{}, &OAuthError{Endpoint: a.cfg.path(endpoint), Code: "invalid_request",
			Description: "an approval request needs a task id and a reason (what the approver is asked to allow)"}
	}
	body := map[string]any{"task_id": req.TaskID, "reason": req.Reason, "impact": req.Impact,
		"on_behalf_of": req.OnBehalfOf, "meta": req.Meta}
	if req.Impact == "" {
		body["impact"] = "medium"
	}
	return a.approvalCall(ctx, http.MethodPost, endpoint, body, "requested")
}

// ApprovalStatus reads an approval's state (GET {prefix}/agents/me/approvals/{token}/status).
func (a *Agent) ApprovalStatus(ctx context.Context, token string) (Approval, error) {
	return a.approvalCall(ctx, http.MethodGet, "/agents/me/approvals/"+escape(token)+"/status", nil, "status")
}

// PendingApprovals lists the approvals waiting for a person, oldest first; the caller must
// hold jit.approve (GET {prefix}/approvals/pending, the embedded server's reviewer route).
func (a *Agent) PendingApprovals(ctx context.Context) ([]Approval, error) {
	const endpoint = "/approvals/pending"
	var w struct {
		Approvals []approvalWire `json:"approvals"`
	}
	ans, err := a.authedJSON(ctx, http.MethodGet, endpoint, nil, &w)
	list := make([]Approval, 0, len(w.Approvals))
	for _, x := range w.Approvals {
		list = append(list, x.approval())
	}
	a.reportApproval(http.MethodGet, endpoint, ans, err, fmt.Sprintf("%d pending", len(list)))
	return list, err
}

// ApproveAction approves a pending approval of another client; the caller must hold
// jit.approve. notes "" is left to the server.
func (a *Agent) ApproveAction(ctx context.Context, token, notes string) (Approval, error) {
	return a.decideApproval(ctx, "/approvals/approve/", token, notes)
}

// DenyAction denies a pending approval of another client; the caller must hold jit.approve.
func (a *Agent) DenyAction(ctx context.Context, token, notes string) (Approval, error) {
	return a.decideApproval(ctx, "/approvals/deny/", token, notes)
}

func (a *Agent) decideApproval(ctx context.Context, route, token, notes string) (Approval, error) {
	body := map[string]any{}
	if notes != "" {
		body["notes"] = notes
	}
	return a.approvalCall(ctx, http.MethodPost, route+escape(token), body, "decided")
}

func (a *Agent) approvalCall(ctx context.Context, method, endpoint string, body any, what string) (Approval, error) {
	var w approvalWire
	ans, err := a.authedJSON(ctx, method, endpoint, body, &w)
	if err == nil && w.Token == "" {
		err = a.invalidResponse(a.cfg.path(endpoint), ans.status, "the approval answer has no approval_token", nil)
	}
	res := w.approval()
	a.reportApproval(method, endpoint, ans, err, strings.TrimSpace(what+" · "+res.Status))
	return res, err
}

func (a *Agent) reportApproval(method, endpoint string, ans answer, err error, detail string) {
	a.report(Report{Kind: ReportApproval, Duration: ans.duration, Method: method, Endpoint: a.cfg.path(endpoint),
		Status: ans.status, Err: err, Detail: detail})
}
