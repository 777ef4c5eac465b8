package devserver

import (
	"net/http"
	"strings"
)

func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request, _ reqCtx) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(s.keys.jwks)
}

// handleMetadata serves RFC 8414 / OpenID discovery. The issuer is the same on both prefixes
// (it is every token's iss); the endpoints use the prefix the client asked on.
func (s *Server) handleMetadata(w http.ResponseWriter, _ *http.Request, rc reqCtx) {
	base := s.url + rc.prefix
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                s.Issuer(),
		"token_endpoint":                        base + "/oauth/token",
		"jwks_uri":                              base + "/.well-known/jwks.json",
		"userinfo_endpoint":                     base + "/oauth/userinfo",
		"introspection_endpoint":                base + "/oauth/introspect",
		"grant_types_supported":                 []string{grantClientCredentials, grantTokenExchange},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic"},
		"introspection_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"response_types_supported":                      []string{"token"},
		"token_types_supported":                         []string{tokenTypeAccessToken},
		"id_token_signing_alg_values_supported":         []string{"RS256"},
		"subject_types_supported":                       []string{"public"},
		"scopes_supported":                              s.scopes(),
		"authorization_details_types_supported":         []string{"agent_capability"},
	})
}

func (s *Server) scopes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(sc string) {
		if !seen[sc] {
			seen[sc] = true
			out = append(out, sc)
		}
	}
	for _, a := range s.cfg.Agents {
		for _, c := range a.Capabilities {
			add(c)
		}
	}
	for _, r := range s.cfg.Resources {
		for _, sc := range strings.Fields(r.Scope) {
			add(sc)
		}
	}
	return out
}

// handleIntrospect is RFC 7662 for resource servers: client authentication required; any
// token of ours (including exchanged and JIT tokens) is described, anything else is inactive.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	if err := r.ParseForm(); err != nil {
		writeError(w, errBadRequest("the body is not a valid form: "+err.Error()))
		return
	}
	c, presented, oerr := s.authenticateClient(r)
	if oerr == nil && !presented {
		oerr = &oauthError{http.StatusUnauthorized, "invalid_client",
			"introspection needs client authentication (HTTP Basic client_id:client_secret)"}
	}
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	s.mu.Lock()
	c.meter.countCall(s.now())
	s.mu.Unlock()
	raw := r.PostForm.Get("token")
	if raw == "" {
		writeError(w, errBadRequest("token is missing: send token=<access token>"))
		return
	}
	claims, _, why := s.verify(raw)
	if why != "" {
		writeJSON(w, http.StatusOK, map[string]any{"active": false})
		return
	}
	body := map[string]any{
		"active": true, "scope": claims.Scope, "client_id": claims.ClientID, "sub": claims.Subject,
		"aud": claims.Audience, "iss": claims.Issuer, "exp": claims.Expiry, "iat": claims.IssuedAt,
		"jti": claims.ID, "token_type": "Bearer", "token_use": claims.TokenUse,
	}
	if claims.Act != nil {
		body["act"] = claims.Act
	}
	if len(claims.AuthorizationDetails) > 0 {
		body["authorization_details"] = claims.AuthorizationDetails
	}
	writeJSON(w, http.StatusOK, body)
}
