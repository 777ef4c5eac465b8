package devserver

import (
	"fmt"
	"net/http"
	"sort"
	"time"
)

// The operator's side of push approvals, mirroring the JIT review routes (LumoAuth sends
// these to the approver's phone; here a jit.approve holder decides them over HTTP):
// GET approvals/pending, POST approvals/approve/{token}, POST approvals/deny/{token}.

// handleApprovalsPending lists the approvals waiting for a person, oldest first:
// {"approvals": [...], "count": n}.
func (s *Server) handleApprovalsPending(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.reviewer(w, r, "listing pending approvals")
	if !ok {
		return
	}
	s.mu.Lock()
	views := waiting(s.approvals, c.client.conf.ClientID, s.now(), s.approvalView)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"approvals": views, "count": len(views)})
}

// decidable is a request a person decides: a JIT request or a push approval.
type decidable interface {
	*approval | *jitRequest
	refresh(now time.Time)
	waitingFor(reviewer string) bool // pending, and not the reviewer's own
	createdAt() time.Time
	arrival() uint64
}

func (a *approval) waitingFor(reviewer string) bool {
	return a.status == approvalPending && a.owner != reviewer
}
func (a *approval) createdAt() time.Time { return a.created }
func (a *approval) arrival() uint64      { return a.seq }

func (jr *jitRequest) waitingFor(reviewer string) bool {
	return jr.status == jitPending && jr.owner != reviewer
}
func (jr *jitRequest) createdAt() time.Time { return jr.created }
func (jr *jitRequest) arrival() uint64      { return jr.seq }

// nextSeq numbers a request in arrival order. Callers hold s.mu.
func (s *Server) nextSeq() uint64 {
	s.requestSeq++
	return s.requestSeq
}

// waiting renders the requests in m that wait for reviewer, oldest first. Callers hold s.mu.
func waiting[T decidable](m map[string]T, reviewer string, now time.Time, view func(T) map[string]any) []map[string]any {
	var pending []T
	for _, x := range m {
		if x.refresh(now); x.waitingFor(reviewer) {
			pending = append(pending, x)
		}
	}
	sort.Slice(pending, func(i, j int) bool {
		if a, b := pending[i].createdAt(), pending[j].createdAt(); !a.Equal(b) {
			return a.Before(b)
		}
		return pending[i].arrival() < pending[j].arrival()
	})
	views := make([]map[string]any, 0, len(pending))
	for _, x := range pending {
		views = append(views, view(x))
	}
	return views
}

func (s *Server) handleApprovalApprove(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	s.decideApproval(w, r, approvalApproved)
}

func (s *Server) handleApprovalDeny(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	s.decideApproval(w, r, approvalDenied)
}

// decideApproval records a reviewer's decision {notes?} on a pending approval of another client.
func (s *Server) decideApproval(w http.ResponseWriter, r *http.Request, status string) {
	c, ok := s.reviewer(w, r, "deciding approvals")
	if !ok {
		return
	}
	var req struct {
		Notes string `json:"notes"`
	}
	if oerr := decodeBody(r, &req); oerr != nil {
		writeError(w, oerr)
		return
	}
	reviewer := c.client.conf.ClientID
	s.mu.Lock()
	defer s.mu.Unlock()
	a, oerr := s.lookupApproval(c, r.PathValue("token"))
	switch {
	case oerr != nil:
	case a.owner == reviewer:
		oerr = &oauthError{http.StatusForbidden, "access_denied", "a client cannot decide its own approval request"}
	case a.status != approvalPending:
		oerr = &oauthError{http.StatusConflict, "invalid_request",
			fmt.Sprintf("approval %s is %s; only pending approvals can be decided", clip(a.token), a.status)}
	}
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	a.status, a.reviewer, a.notes, a.responded = status, reviewer, req.Notes, s.now()
	if a.notes == "" {
		a.notes = status + " by " + reviewer
	}
	writeJSON(w, http.StatusOK, s.approvalView(a))
}

// reviewer authenticates a holder of jit.approve; on false the answer is written.
func (s *Server) reviewer(w http.ResponseWriter, r *http.Request, doing string) (*caller, bool) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return nil, false
	}
	if !c.has("jit.approve") {
		writeError(w, &oauthError{http.StatusForbidden, "access_denied",
			fmt.Sprintf("%s needs capability jit.approve, which %s lacks", doing, c.client.conf.ClientID)})
		return nil, false
	}
	return c, true
}
