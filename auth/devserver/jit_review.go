package devserver

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

// requestView is the JSON shape of a JIT request (request, status, approve and deny answers).
// Callers hold s.mu.
func (s *Server) requestView(jr *jitRequest, rc reqCtx) map[string]any {
	base := s.url + rc.prefix + "/jit/request/" + jr.id
	v := map[string]any{"request_id": jr.id, "task_id": jr.taskID, "status": jr.status,
		"risk_level": jr.risk, "capability": jr.capability, "agent": jr.owner,
		"requested_ttl": int64(jr.requestedTTL / time.Second), "created_at": rfc3339(jr.created)}
	// One object, as the Go SDK decodes it (map[string]any); requests here name one capability.
	if len(jr.details) > 0 {
		v["authorization_details"] = jr.details[0]
	}
	if jr.justification != "" {
		v["justification"] = jr.justification
	}
	if owner, ok := s.clients[jr.owner]; ok {
		v["agent_name"] = owner.conf.Name
	}
	switch jr.status {
	case jitApproved:
		v["token_url"] = base + "/token"
		v["granted_ttl"] = int64(jr.grantedTTL / time.Second)
		v["expires_at"] = rfc3339(jr.grantEnd)
	case jitPending:
		v["status_url"] = base + "/status"
		v["expires_at"] = rfc3339(jr.deadline)
	}
	if jr.notes != "" {
		v["review_notes"] = jr.notes
	}
	if jr.reviewer != "" {
		v["reviewed_by"] = jr.reviewer
	}
	return v
}

// lookupRequest finds a request the caller may see: its own, or any when it holds jit.approve.
// Callers hold s.mu.
func (s *Server) lookupRequest(c *caller, id string, now time.Time) (*jitRequest, *oauthError) {
	jr, ok := s.jit.requests[id]
	if !ok || (jr.owner != c.client.conf.ClientID && !c.has("jit.approve")) {
		return nil, errNotFound(fmt.Sprintf("no JIT request %q visible to %s", id, c.client.conf.ClientID))
	}
	jr.refresh(now)
	return jr, nil
}

func (s *Server) handleJITStatus(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	jr, oerr := s.lookupRequest(c, r.PathValue("id"), s.now())
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	writeJSON(w, http.StatusOK, s.requestView(jr, rc))
}

// handleJITToken issues the JIT token: the agent's identity plus the granted capability, valid
// until the grant ends and revoked when the task completes. When the grant names a protected
// resource (authorization_details identifier or locations) whose capability it grants, the
// token is also for that resource, which accepts it directly (LumoAuth's JIT guide: the
// agent retries the refused call with the JIT token).
func (s *Server) handleJITToken(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	now := s.now()
	s.mu.Lock()
	jr, oerr := s.lookupRequest(c, r.PathValue("id"), now)
	if oerr == nil && jr.owner != c.client.conf.ClientID {
		oerr = &oauthError{http.StatusForbidden, "access_denied", "only the requesting agent can obtain the JIT token"}
	}
	if oerr == nil && jr.status != jitApproved {
		oerr = &oauthError{http.StatusForbidden, "access_denied", fmt.Sprintf("JIT request %s is %s, not approved", jr.id, jr.status)}
		if jr.notes != "" {
			oerr.desc += " (" + jr.notes + ")"
		}
	}
	s.mu.Unlock()
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	aud, scope := s.jitAudience(rc.issuer, jr)
	raw, _, err := s.mint(rc.issuer, c.client, aud, scope, useAccess, jr.grantEnd, func(t *tokenClaims) {
		t.AuthorizationDetails, t.JITCapability, t.TaskID, t.JITRequestID = jr.details, jr.capability, jr.taskID, jr.id
	})
	if err != nil {
		writeError(w, &oauthError{http.StatusInternalServerError, "server_error", err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": raw, "token_type": "Bearer",
		"expires_in": expiresIn(jr.grantEnd, now), "scope": scope, "authorization_details": jr.details,
		"issued_token_type": tokenTypeAccessToken,
		"task_id":           jr.taskID, "jit_request_id": jr.id})
}

// jitAudience is the JIT token's audience and scope: the issuer, plus each resource named by
// the grant's details whose capability the grant is for, with that resource's scope.
func (s *Server) jitAudience(issuer string, jr *jitRequest) (jwt.Audience, string) {
	aud, scope := jwt.Audience{issuer}, []string{jr.capability}
	for _, d := range jr.details {
		for _, name := range append([]string{d.Identifier}, d.Locations...) {
			res, ok := s.resource(name)
			if !ok || res.Capability != jr.capability || slices.Contains(aud, name) {
				continue
			}
			aud = append(aud, name)
			for _, sc := range strings.Fields(res.Scope) {
				if !slices.Contains(scope, sc) {
					scope = append(scope, sc)
				}
			}
		}
	}
	return aud, strings.Join(scope, " ")
}

// handleJITComplete ends a task: its grants are revoked and its JIT tokens stop working.
func (s *Server) handleJITComplete(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	t, found := s.jit.tasks[id]
	if !found || t.owner != c.client.conf.ClientID {
		writeError(w, errNotFound(fmt.Sprintf("no JIT task %q for %s", id, c.client.conf.ClientID)))
		return
	}
	revoked := s.jit.endTask(t)
	writeJSON(w, http.StatusOK, map[string]any{"task_id": id, "status": "completed", "revoked_grants": revoked})
}

func (s *Server) handleJITApprove(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	var req struct {
		TTL   int64  `json:"ttl"`
		Notes string `json:"notes"`
	}
	s.review(w, r, rc, &req, func(jr *jitRequest, reviewer string, now time.Time) *oauthError {
		ttl := time.Duration(req.TTL) * time.Second
		switch {
		case req.TTL == 0:
			ttl = jr.requestedTTL
		case ttl < 0 || ttl > jitMaxTTL:
			return errBadRequest(fmt.Sprintf("ttl must be between 1 and %d seconds, got %d", int(jitMaxTTL.Seconds()), req.TTL))
		}
		jr.approve(now, ttl, reviewer, req.Notes)
		return nil
	})
}

func (s *Server) handleJITDeny(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	var req struct {
		Notes string `json:"notes"`
	}
	s.review(w, r, rc, &req, func(jr *jitRequest, reviewer string, _ time.Time) *oauthError {
		jr.status, jr.reviewer, jr.notes = jitDenied, reviewer, req.Notes
		if jr.notes == "" {
			jr.notes = "denied by " + reviewer
		}
		return nil
	})
}

// review is the common part of approve and deny: a reviewer holding jit.approve decides a
// pending request of another client.
func (s *Server) review(w http.ResponseWriter, r *http.Request, rc reqCtx, body any,
	decide func(jr *jitRequest, reviewer string, now time.Time) *oauthError) {
	c, ok := s.reviewer(w, r, "deciding JIT requests")
	if !ok {
		return
	}
	if oerr := decodeBody(r, body); oerr != nil {
		writeError(w, oerr)
		return
	}
	reviewer := c.client.conf.ClientID
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	jr, oerr := s.lookupRequest(c, r.PathValue("id"), now)
	switch {
	case oerr != nil:
	case jr.owner == reviewer:
		oerr = &oauthError{http.StatusForbidden, "access_denied", "a client cannot decide its own JIT request"}
	case jr.status != jitPending:
		oerr = &oauthError{http.StatusConflict, "invalid_request", fmt.Sprintf("JIT request %s is %s; only pending requests can be decided", jr.id, jr.status)}
	default:
		oerr = decide(jr, reviewer, now)
	}
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	writeJSON(w, http.StatusOK, s.requestView(jr, rc))
}
