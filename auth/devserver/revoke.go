package devserver

import (
	"fmt"
	"net/http"
)

// handleRevoke is RFC 7009 token revocation. The SDKs send the token in a form, with client
// credentials in the body, as a bearer, or not at all; holding a token is enough to give it
// up, so client authentication is optional — but when presented it must be valid and the
// token must be that client's (§2.1). A token that is not ours, expired or already revoked
// is answered 200 like any other (§2.2). Revoking a token also revokes the tokens exchanged
// from it; resource servers learn of it by introspection.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request, _ reqCtx) {
	if err := r.ParseForm(); err != nil {
		writeError(w, errBadRequest("the body is not a valid application/x-www-form-urlencoded form: "+err.Error()))
		return
	}
	c, presented, oerr := s.authenticateClient(r)
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	raw := r.PostForm.Get("token")
	if raw == "" {
		writeError(w, errBadRequest("token is missing: send token=<the access token to revoke>"))
		return
	}
	var claims tokenClaims
	if s.keys.parse(raw, &claims) == nil && s.ours(claims.Issuer) && claims.ID != "" && claims.Expiry != nil {
		if presented && c.conf.ClientID != claims.ClientID {
			writeError(w, &oauthError{http.StatusBadRequest, "unauthorized_client",
				fmt.Sprintf("the token belongs to %s, not to the authenticated client %s", claims.ClientID, c.conf.ClientID)})
			return
		}
		s.revoke(claims)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// revoke records the token's id until the token would have expired anyway.
func (s *Server) revoke(claims tokenClaims) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for jti, exp := range s.revoked {
		if !now.Before(exp) {
			delete(s.revoked, jti)
		}
	}
	if exp := claims.Expiry.Time(); now.Before(exp) {
		s.revoked[claims.ID] = exp
	}
}
