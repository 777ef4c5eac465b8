package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// PendingJITRequest is a JIT request waiting for a person, as the reviewer's list reports it.
type PendingJITRequest struct {
	JITResult
	TaskID        string
	Agent         string // the requesting client (embedded server; "" elsewhere)
	AgentName     string
	Capability    string
	Justification string
	Details       AuthorizationDetails
	RequestedTTL  time.Duration
	CreatedAt     time.Time
	ExpiresAt     time.Time // when the request expires undecided
}

type jitPendingWire struct {
	jitWire
	TaskID        string          `json:"task_id"`
	Agent         string          `json:"agent"`
	AgentName     string          `json:"agent_name"`
	Capability    string          `json:"capability"`
	Justification string          `json:"justification"`
	Details       json.RawMessage `json:"authorization_details"`
	RequestedTTL  seconds         `json:"requested_ttl"`
	CreatedAt     flexTime        `json:"created_at"`
	ExpiresAt     flexTime        `json:"expires_at"`
}

// PendingJIT lists the JIT requests waiting for a person; the caller must hold jit.approve
// (GET {prefix}/jit/pending). Servers answer an array, {requests} or {pending_requests}:
// all are read.
func (a *Agent) PendingJIT(ctx context.Context) ([]PendingJITRequest, error) {
	const endpoint = "/jit/pending"
	var raw json.RawMessage
	ans, err := a.authedJSON(ctx, http.MethodGet, endpoint, nil, &raw)
	var items []jitPendingWire
	if err == nil {
		if items, err = decodePending(raw); err != nil {
			err = a.invalidResponse(a.cfg.path(endpoint), ans.status, "the pending list is not an array, {requests} or {pending_requests}: "+err.Error(), err)
		}
	}
	list := make([]PendingJITRequest, 0, len(items))
	for _, w := range items {
		p := PendingJITRequest{JITResult: w.result(ans.status), TaskID: w.TaskID, Agent: w.Agent, AgentName: w.AgentName,
			Capability: w.Capability, Justification: w.Justification, RequestedTTL: time.Duration(w.RequestedTTL),
			CreatedAt: time.Time(w.CreatedAt), ExpiresAt: time.Time(w.ExpiresAt)}
		p.Details = firstDetails(w.Details)
		list = append(list, p)
	}
	a.reportJIT(ReportJITStatus, http.MethodGet, endpoint, ans, err, fmt.Sprintf("%d pending", len(list)))
	return list, err
}

func decodePending(raw json.RawMessage) ([]jitPendingWire, error) {
	raw = bytes.TrimSpace(raw)
	var items []jitPendingWire
	if len(raw) > 0 && raw[0] == '[' {
		return items, json.Unmarshal(raw, &items)
	}
	var env struct {
		Requests        []jitPendingWire `json:"requests"`
		PendingRequests []jitPendingWire `json:"pending_requests"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, err
	}
	if env.Requests != nil {
		return env.Requests, nil
	}
	return env.PendingRequests, nil
}

// firstDetails reads authorization_details sent as one object or an RFC 9396 array.
func firstDetails(raw json.RawMessage) AuthorizationDetails {
	var one AuthorizationDetails
	if json.Unmarshal(raw, &one) == nil {
		return one
	}
	var list []AuthorizationDetails
	if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
		return list[0]
	}
	return AuthorizationDetails{}
}
