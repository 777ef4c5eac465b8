package devserver

import (
	"fmt"
	"net/http"
	"time"
)

// Approval states, as the SDKs read them.
const (
	approvalPending  = "pending"
	approvalApproved = "approved"
	approvalDenied   = "denied"
	approvalExpired  = "expired"
)

// approval is one push-approval request (the SDKs' require_approval): an agent asks a person
// to approve one action. Guarded by the Server's mutex.
type approval struct {
	token, owner, taskID, reason, impact, onBehalfOf string
	meta                                             map[string]any
	status                                           string
	created, expires, responded                      time.Time
	seq                                              uint64 // arrival order, for requests made in the same instant
	reviewer, notes                                  string
}

var impacts = map[string]bool{"low": true, "medium": true, "high": true, "critical": true}

// Bounds of an approval request's free text.
const (
	maxApprovalTaskID = 200
	maxApprovalReason = 2000
)

// handleApprovalCreate is POST agents/me/approvals {task_id, reason, impact?, on_behalf_of?,
// meta?}: every impact waits for a person (the jit.approve holder) until approval_ttl.
func (s *Server) handleApprovalCreate(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	var req struct {
		TaskID     string         `json:"task_id"`
		Reason     string         `json:"reason"`
		Impact     string         `json:"impact"`
		OnBehalfOf string         `json:"on_behalf_of"`
		Meta       map[string]any `json:"meta"`
	}
	if oerr := decodeBody(r, &req); oerr != nil {
		writeError(w, oerr)
		return
	}
	if req.Impact == "" {
		req.Impact = "medium"
	}
	switch {
	case req.TaskID == "" || len(req.TaskID) > maxApprovalTaskID:
		writeError(w, errBadRequest(fmt.Sprintf("task_id is required (at most %d characters): the task the action belongs to", maxApprovalTaskID)))
		return
	case req.Reason == "" || len(req.Reason) > maxApprovalReason:
		writeError(w, errBadRequest(fmt.Sprintf("reason is required (at most %d characters): what the approver is asked to allow", maxApprovalReason)))
		return
	case !impacts[req.Impact]:
		writeError(w, errBadRequest(fmt.Sprintf("impact must be low, medium, high or critical, got %q", req.Impact)))
		return
	}
	now := s.now()
	a := &approval{token: randomID("apr_", 16), owner: c.client.conf.ClientID, taskID: req.TaskID, reason: req.Reason,
		impact: req.Impact, onBehalfOf: req.OnBehalfOf, meta: req.Meta, status: approvalPending,
		created: now, expires: now.Add(s.cfg.ApprovalTTL)}
	s.mu.Lock()
	a.seq = s.nextSeq()
	s.approvals[a.token] = a
	view := s.approvalView(a)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, view)
}

// handleApprovalStatus is GET agents/me/approvals/{token}/status, for the requesting agent
// (or a reviewer).
func (s *Server) handleApprovalStatus(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, oerr := s.lookupApproval(c, r.PathValue("token"))
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	writeJSON(w, http.StatusOK, s.approvalView(a))
}

// lookupApproval finds an approval the caller may see. Callers hold s.mu.
func (s *Server) lookupApproval(c *caller, token string) (*approval, *oauthError) {
	a, ok := s.approvals[token]
	if !ok || (a.owner != c.client.conf.ClientID && !c.has("jit.approve")) {
		return nil, errNotFound(fmt.Sprintf("no approval request %q visible to %s", clip(token), c.client.conf.ClientID))
	}
	a.refresh(s.now())
	return a, nil
}

func (a *approval) refresh(now time.Time) {
	if a.status == approvalPending && !now.Before(a.expires) {
		a.status, a.notes = approvalExpired, "no one decided before "+rfc3339(a.expires)
	}
}

// approvalView is the JSON of an approval: the fields the SDKs read (approval_token, status,
// task_id, impact, reason, expires_at, responded_at, approved_by{user_id,email}) and the
// request itself for the reviewer. Callers hold s.mu.
func (s *Server) approvalView(a *approval) map[string]any {
	v := map[string]any{"approval_token": a.token, "status": a.status, "task_id": a.taskID, "impact": a.impact,
		"reason": a.reason, "on_behalf_of": a.onBehalfOf, "meta": a.meta, "agent": a.owner,
		"created_at": rfc3339(a.created), "expires_at": rfc3339(a.expires), "responded_at": nil, "approved_by": nil}
	if owner, ok := s.clients[a.owner]; ok {
		v["agent_name"] = owner.conf.Name
	}
	if !a.responded.IsZero() {
		v["responded_at"] = rfc3339(a.responded)
		v["reviewed_by"] = a.reviewer
	}
	if reviewer, ok := s.clients[a.reviewer]; ok && a.status == approvalApproved {
		by := map[string]any{"user_id": reviewer.conf.AgentID}
		if reviewer.conf.Email != "" {
			by["email"] = reviewer.conf.Email
		}
		v["approved_by"] = by
	}
	if a.notes != "" {
		v["review_notes"] = a.notes
	}
	return v
}

// clip shortens an untrusted identifier echoed in an error.
func clip(s string) string {
	if r := []rune(s); len(r) > 48 {
		return string(r[:48]) + "…"
	}
	return s
}
