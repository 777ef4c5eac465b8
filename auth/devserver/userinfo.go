package devserver

import (
	"fmt"
	"net/http"
	"time"
)

// handleUserinfo answers the agent's identity, capabilities and budget. It is served even when
// the budget is spent, so a dashboard can show why.
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	c, ok := s.bearer(w, r, false)
	if !ok {
		return
	}
	now := s.now()
	s.mu.Lock()
	policy := c.client.meter.policy(c.client.conf.Budget, now)
	s.mu.Unlock()
	a := c.client.conf
	body := map[string]any{
		"sub": subjectOf(a), "name": a.Name, "agent_id": a.AgentID, "identity_type": a.IdentityType,
		"capabilities": nonNil(a.Capabilities), "budget_policy": policy,
		"jit_requestable": s.jitOffers(c),
	}
	// Legacy /t/ servers say "tenant"; current /orgs/ servers say "organization".
	if rc.legacy {
		body["tenant"] = s.cfg.Organization
	} else {
		body["organization"] = s.cfg.Organization
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handleAgentsMe(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	c, ok := s.bearer(w, r, false)
	if !ok {
		return
	}
	a := c.client.conf
	writeJSON(w, http.StatusOK, map[string]any{
		"identity":     map[string]string{"id": a.AgentID, "type": a.IdentityType, "tenant": s.cfg.Organization, "name": a.Name},
		"capabilities": nonNil(a.Capabilities),
		"workspace":    map[string]string{"slug": s.cfg.Organization, "name": s.cfg.OrganizationName, "api_base": s.url + rc.prefix},
	})
}

// handleAsk answers whether the agent may perform an action: an exact capability match.
func (s *Server) handleAsk(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	var req struct {
		Action  string         `json:"action"`
		Context map[string]any `json:"context"`
	}
	if err := decodeBody(r, &req); err != nil {
		writeError(w, err)
		return
	}
	if req.Action == "" {
		writeError(w, errBadRequest(`action is missing: send {"action":"read:documents"}`))
		return
	}
	allowed := c.has(req.Action)
	reason := fmt.Sprintf("capability %s is granted to %s", req.Action, c.client.conf.ClientID)
	if !allowed {
		reason = fmt.Sprintf("agent %s lacks capability %s", c.client.conf.ClientID, req.Action)
		if risk, ok := s.jitRisk[req.Action]; ok {
			reason += fmt.Sprintf(" (it may be requested through JIT at %s risk)", risk)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"allowed": allowed, "action": req.Action, "reason": reason,
		"audit_id": randomID("aud_", 8), "context": req.Context})
}

// maxReportedTokens bounds one usage report: more than any model turn spends.
const maxReportedTokens = 100_000_000

// handleUsage is lumodash's extension: the agent reports model tokens spent elsewhere, which
// count against its daily token budget.
func (s *Server) handleUsage(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	var req struct {
		Model            string `json:"model"`
		PromptTokens     int64  `json:"prompt_tokens"`
		CompletionTokens int64  `json:"completion_tokens"`
	}
	if err := decodeBody(r, &req); err != nil {
		writeError(w, err)
		return
	}
	// Each count is bounded before anything is added, so no sum can wrap around.
	if req.PromptTokens < 0 || req.CompletionTokens < 0 {
		writeError(w, errBadRequest("prompt_tokens and completion_tokens must not be negative"))
		return
	}
	if req.PromptTokens > maxReportedTokens || req.CompletionTokens > maxReportedTokens ||
		req.PromptTokens+req.CompletionTokens > maxReportedTokens {
		writeError(w, errBadRequest(fmt.Sprintf("a single report of more than %d tokens is not plausible", int64(maxReportedTokens))))
		return
	}
	now := s.now()
	s.mu.Lock()
	c.client.meter.addTokens(now, req.PromptTokens+req.CompletionTokens)
	policy := c.client.meter.policy(c.client.conf.Budget, now)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"model": req.Model,
		"recorded_tokens": req.PromptTokens + req.CompletionTokens, "budget_policy": policy})
}

// jitOffers lists the JIT rules for capabilities the caller lacks (lumodash's extension), so
// a client knows before asking what it could request and at what risk.
func (s *Server) jitOffers(c *caller) []map[string]string {
	offers := []map[string]string{}
	for _, capability := range sortedKeys(s.jitRisk) {
		if !c.has(capability) {
			offers = append(offers, map[string]string{"capability": capability, "risk": s.jitRisk[capability]})
		}
	}
	return offers
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// rfc3339 formats t in UTC for JSON answers.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
