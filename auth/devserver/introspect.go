package devserver

import (
	"fmt"
	"net/http"
)

// handleIntrospect is RFC 7662 for resource servers. Only a service client (identity type
// service: a resource server) may ask (RFC 7662 §4: the endpoint must limit who learns about
// tokens), so an agent cannot read another agent's token. Any token of ours (exchanged and
// JIT tokens included) is described; anything else, or a revoked token, is inactive.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	if err := r.ParseForm(); err != nil {
		writeError(w, errBadRequest("the body is not a valid form: "+err.Error()))
		return
	}
	c, presented, oerr := s.authenticateClient(r)
	switch {
	case oerr == nil && !presented:
		oerr = &oauthError{http.StatusUnauthorized, "invalid_client",
			"introspection needs client authentication (HTTP Basic client_id:client_secret)"}
	case oerr == nil && c.conf.IdentityType != "service":
		oerr = &oauthError{http.StatusForbidden, "access_denied", fmt.Sprintf(
			"only resource servers (clients of identity type service) may introspect tokens; %s is of type %s",
			c.conf.ClientID, c.conf.IdentityType)}
	}
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	s.charge(w, c, false)
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
