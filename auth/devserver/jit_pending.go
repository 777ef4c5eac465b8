package devserver

import (
	"fmt"
	"net/http"
)

// endTask completes t: its approved grants are revoked, its pending requests cancelled. It
// returns how many grants were revoked. Callers hold s.mu.
func (j *jitState) endTask(t *jitTask) int {
	t.completed = true
	revoked := 0
	for _, jr := range j.requests {
		if jr.taskID != t.id {
			continue
		}
		switch jr.status {
		case jitApproved:
			jr.status, revoked = jitRevoked, revoked+1
		case jitPending:
			jr.status = jitCanceled
		}
	}
	return revoked
}

// handleJITPending lists the requests waiting for a person, oldest first, for a holder of
// jit.approve. The readers differ — the OpenAPI spec says {pending_requests, count}, the
// Python SDK reads requests, the Go and JS SDKs an array or requests — so the answer carries
// all three keys: {"pending_requests": [...], "requests": [...], "count": n}.
func (s *Server) handleJITPending(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	c, ok := s.reviewer(w, r, "listing pending JIT requests")
	if !ok {
		return
	}
	s.mu.Lock()
	views := waiting(s.jit.requests, c.client.conf.ClientID, s.now(), func(jr *jitRequest) map[string]any { return s.requestView(jr, rc) })
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"pending_requests": views, "requests": views, "count": len(views)})
}

// Task outcomes of jit/task/{id}/evaluate.
var taskResults = map[string]bool{"completed": true, "failed": true, "cancelled": true}

// handleJITEvaluate closes a task with an outcome {result: completed|failed|cancelled, notes?}
// for the audit record, revoking its grants as completion does. The task's agent or a
// supervisor (a holder of jit.approve) may evaluate it, also after it completed.
func (s *Server) handleJITEvaluate(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	var req struct {
		Result string `json:"result"`
		Notes  string `json:"notes"`
	}
	if oerr := decodeBody(r, &req); oerr != nil {
		writeError(w, oerr)
		return
	}
	if req.Result == "" {
		req.Result = "completed"
	}
	if !taskResults[req.Result] {
		writeError(w, errBadRequest(fmt.Sprintf("result must be completed, failed or cancelled, got %q", req.Result)))
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	t, found := s.jit.tasks[id]
	if !found || (t.owner != c.client.conf.ClientID && !c.has("jit.approve")) {
		writeError(w, errNotFound(fmt.Sprintf("no JIT task %q visible to %s", clip(id), c.client.conf.ClientID)))
		return
	}
	revoked := s.jit.endTask(t)
	t.result, t.notes = req.Result, req.Notes
	writeJSON(w, http.StatusOK, map[string]any{"task_id": id, "status": "evaluated", "result": t.result,
		"notes": t.notes, "evaluated_by": c.client.conf.ClientID, "revoked_grants": revoked})
}
