package devserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// JIT limits from the LumoAuth API: requested_ttl ≤ 900 s, default 300 s.
const (
	jitMaxTTL     = 900 * time.Second
	jitDefaultTTL = 300 * time.Second
)

// JIT request states.
const (
	jitPending  = "pending"
	jitApproved = "approved"
	jitDenied   = "denied"
	jitExpired  = "expired"  // a pending request nobody decided in time, or a lapsed grant
	jitRevoked  = "revoked"  // an approved grant whose task completed
	jitCanceled = "canceled" // a pending request whose task completed
)

// authorizationDetail is an RFC 9396 authorization details object.
type authorizationDetail struct {
	Type       string   `json:"type"`
	Actions    []string `json:"actions,omitempty"`
	Identifier string   `json:"identifier,omitempty"`
	Locations  []string `json:"locations,omitempty"`
}

type jitTask struct {
	id, owner, name, typ string
	expires              time.Time
	completed            bool
	result, notes        string // set by jit/task/{id}/evaluate
}

type jitRequest struct {
	id, taskID, owner, capability, risk, justification string
	details                                            []authorizationDetail
	requestedTTL, grantedTTL                           time.Duration
	status                                             string
	created, deadline, grantEnd                        time.Time
	seq                                                uint64 // arrival order, for requests made in the same instant
	reviewer, notes                                    string
}

// jitState holds tasks and requests; guarded by the Server's mutex.
type jitState struct {
	tasks    map[string]*jitTask
	requests map[string]*jitRequest
}

func newJITState() jitState {
	return jitState{tasks: map[string]*jitTask{}, requests: map[string]*jitRequest{}}
}

func (j *jitState) taskCompleted(id string) bool {
	t, ok := j.tasks[id]
	return ok && t.completed
}

// grantActive says whether request id is approved and its grant has not lapsed.
func (j *jitState) grantActive(id string, now time.Time) bool {
	r, ok := j.requests[id]
	if !ok {
		return false
	}
	r.refresh(now)
	return r.status == jitApproved
}

// refresh moves a request to expired when its decision deadline or its grant has passed.
func (r *jitRequest) refresh(now time.Time) {
	switch {
	case r.status == jitPending && !now.Before(r.deadline):
		r.status, r.notes = jitExpired, "no reviewer decided before "+rfc3339(r.deadline)
	case r.status == jitApproved && !now.Before(r.grantEnd):
		r.status = jitExpired
	}
}

func (s *Server) handleJITTask(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	var req struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	if err := decodeBody(r, &req); err != nil {
		writeError(w, err)
		return
	}
	now := s.now()
	t := &jitTask{id: randomID("task_", 8), owner: c.client.conf.ClientID, name: req.Name, typ: req.Type,
		expires: now.Add(s.cfg.JITTaskTTL)}
	s.mu.Lock()
	s.jit.tasks[t.id] = t
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"task_id": t.id, "caep_session_id": randomID("caep_", 8),
		"expires_at": rfc3339(t.expires), "name": t.name, "type": t.typ})
}

func (s *Server) handleJITRequest(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	var req struct {
		TaskID        string          `json:"task_id"`
		Details       json.RawMessage `json:"authorization_details"`
		Justification string          `json:"justification"`
		RequestedTTL  int64           `json:"requested_ttl"`
	}
	if err := decodeBody(r, &req); err != nil {
		writeError(w, err)
		return
	}
	details, oerr := parseDetails(req.Details)
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	ttl := time.Duration(req.RequestedTTL) * time.Second
	switch {
	case req.RequestedTTL == 0:
		ttl = jitDefaultTTL
	case ttl < 0 || ttl > jitMaxTTL:
		writeError(w, errBadRequest(fmt.Sprintf("requested_ttl must be between 1 and %d seconds, got %d", int(jitMaxTTL.Seconds()), req.RequestedTTL)))
		return
	}
	capability, risk, oerr := s.capabilityFor(details)
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	task, oerr := s.ownedTask(c, req.TaskID, now)
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	jr := &jitRequest{id: randomID("jit_", 8), taskID: task.id, owner: c.client.conf.ClientID, capability: capability,
		risk: risk, justification: req.Justification, details: details, requestedTTL: ttl,
		status: jitPending, created: now, deadline: now.Add(s.cfg.JITPendingTTL), seq: s.nextSeq()}
	if risk == "low" || risk == "medium" {
		jr.approve(now, ttl, "", "auto-approved: "+risk+" risk")
	}
	s.jit.requests[jr.id] = jr
	writeJSON(w, http.StatusCreated, s.requestView(jr, rc))
}

func (jr *jitRequest) approve(now time.Time, ttl time.Duration, reviewer, notes string) {
	jr.status, jr.grantedTTL, jr.grantEnd, jr.reviewer, jr.notes = jitApproved, ttl, now.Add(ttl), reviewer, notes
}

// ownedTask finds a live task of the caller. Callers hold s.mu.
func (s *Server) ownedTask(c *caller, id string, now time.Time) (*jitTask, *oauthError) {
	t, ok := s.jit.tasks[id]
	switch {
	case id == "":
		return nil, errBadRequest("task_id is missing: create a task with POST jit/task first")
	case !ok || t.owner != c.client.conf.ClientID:
		return nil, errNotFound(fmt.Sprintf("no JIT task %q for %s", id, c.client.conf.ClientID))
	case t.completed:
		return nil, errBadRequest(fmt.Sprintf("JIT task %s is already complete; create a new task", id))
	case !now.Before(t.expires):
		return nil, errBadRequest(fmt.Sprintf("JIT task %s expired at %s; create a new task", id, rfc3339(t.expires)))
	}
	return t, nil
}

// parseDetails accepts authorization_details as one object or an RFC 9396 array.
func parseDetails(raw json.RawMessage) ([]authorizationDetail, *oauthError) {
	raw = bytes.TrimSpace(raw)
	var details []authorizationDetail
	var err error
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, errBadRequest(`authorization_details is missing, e.g. {"type":"agent_capability","actions":["mcp:financial"]}`)
	case raw[0] == '[':
		err = json.Unmarshal(raw, &details)
	default:
		var one authorizationDetail
		err = json.Unmarshal(raw, &one)
		details = []authorizationDetail{one}
	}
	if err != nil || len(details) == 0 {
		return nil, &oauthError{http.StatusBadRequest, "invalid_authorization_details", "authorization_details must be an object {type, actions[], identifier?} or an array of them"}
	}
	return details, nil
}

// capabilityFor maps authorization details to the capability a JIT rule covers: an action
// naming the capability, an identifier naming a protected resource, or a type naming it.
func (s *Server) capabilityFor(details []authorizationDetail) (capability, risk string, oerr *oauthError) {
	for _, d := range details {
		candidates := append([]string{}, d.Actions...)
		for _, name := range append([]string{d.Identifier}, d.Locations...) {
			if res, ok := s.resource(name); ok {
				candidates = append(candidates, res.Capability)
			}
		}
		candidates = append(candidates, d.Type)
		for _, c := range candidates {
			if risk, ok := s.jitRisk[c]; ok {
				return c, risk, nil
			}
		}
	}
	var rules []string
	for _, c := range sortedKeys(s.jitRisk) {
		rules = append(rules, c+" ("+s.jitRisk[c]+" risk)")
	}
	return "", "", &oauthError{http.StatusBadRequest, "invalid_authorization_details",
		"no JIT rule covers the requested authorization_details; requestable capabilities: " + strings.Join(rules, ", ")}
}
