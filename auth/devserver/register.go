package devserver

import (
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// registration is what an agent said about itself with agents/register.
type registration struct {
	name, description, jwksURI string
	declared                   []string
	updated                    time.Time
}

// handleRegister is POST agents/register {client_id, name, description?, capabilities?,
// jwks_uri?}: the calling agent creates or updates its directory record. An agent registers
// only itself, and declared capabilities are recorded, never granted: what it may do stays
// what the organisation configured.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	c, ok := s.bearer(w, r, true)
	if !ok {
		return
	}
	var req struct {
		ClientID     string   `json:"client_id"`
		Name         string   `json:"name"`
		Description  string   `json:"description"`
		Capabilities []string `json:"capabilities"`
		JWKSURI      string   `json:"jwks_uri"`
	}
	if oerr := decodeBody(r, &req); oerr != nil {
		writeError(w, oerr)
		return
	}
	me := c.client.conf
	if req.ClientID == "" {
		req.ClientID = me.ClientID
	}
	if oerr := checkRegistration(me.ClientID, req.ClientID, req.Name, req.JWKSURI, req.Capabilities); oerr != nil {
		writeError(w, oerr)
		return
	}
	reg := &registration{name: req.Name, description: req.Description, jwksURI: req.JWKSURI,
		declared: append([]string{}, req.Capabilities...), updated: s.now()}
	s.mu.Lock()
	_, existed := s.registry[me.ClientID]
	s.registry[me.ClientID] = reg
	s.mu.Unlock()
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"agent_id": me.AgentID, "client_id": me.ClientID, "name": reg.name,
		"description": reg.description, "jwks_uri": reg.jwksURI, "status": "active",
		"capabilities": nonNil(me.Capabilities), "declared_capabilities": reg.declared, "updated_at": rfc3339(reg.updated)})
}

func checkRegistration(self, clientID, name, jwksURI string, capabilities []string) *oauthError {
	if clientID != self {
		return &oauthError{http.StatusForbidden, "access_denied",
			fmt.Sprintf("%s may register only itself, not %q", self, clip(clientID))}
	}
	if name == "" || len(name) > 200 {
		return errBadRequest("name is required (at most 200 characters), e.g. \"Research Analyst\"")
	}
	if jwksURI != "" {
		if u, err := url.Parse(jwksURI); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return errBadRequest(fmt.Sprintf("jwks_uri %q is not an http(s) URL", clip(jwksURI)))
		}
	}
	for _, c := range capabilities {
		if !isToken(c) {
			return errBadRequest(fmt.Sprintf("capability %q is not a capability slug (one word, no spaces)", clip(c)))
		}
	}
	return nil
}
