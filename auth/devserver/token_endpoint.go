package devserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	grantClientCredentials = "client_credentials"
	grantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	tokenTypeAccessToken   = "urn:ietf:params:oauth:token-type:access_token"
	tokenTypeJWT           = "urn:ietf:params:oauth:token-type:jwt"
)

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	if err := r.ParseForm(); err != nil {
		writeError(w, errBadRequest("the body is not a valid application/x-www-form-urlencoded form: "+err.Error()))
		return
	}
	switch grant := r.PostForm.Get("grant_type"); grant {
	case grantClientCredentials:
		s.clientCredentials(w, r, rc)
	case grantTokenExchange:
		s.tokenExchange(w, r, rc)
	case "":
		writeError(w, errBadRequest("grant_type is missing: send grant_type=client_credentials or "+
			grantTokenExchange+" as an application/x-www-form-urlencoded body"))
	default:
		writeError(w, &oauthError{http.StatusBadRequest, "unsupported_grant_type",
			fmt.Sprintf("grant_type %q is not supported; use client_credentials or %s", grant, grantTokenExchange)})
	}
}

// clientCredentials issues the agent's own token, or with resource (RFC 8707) a token bound to
// that resource, as a generic OAuth client (the MCP SDKs' ClientCredentialsProvider) asks.
func (s *Server) clientCredentials(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	c, presented, oerr := s.authenticateClient(r)
	if oerr == nil && !presented {
		oerr = &oauthError{http.StatusUnauthorized, "invalid_client",
			"client authentication required: send client_id and client_secret in the body or with HTTP Basic"}
	}
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	if len(r.PostForm["resource"]) > 0 {
		s.resourceToken(w, r, rc, c)
		return
	}
	scope, oerr := grantedScope(r.PostForm.Get("scope"), c.conf.Capabilities,
		"granted to "+c.conf.ClientID)
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	s.charge(w, c, false) // counted, never refused: a spent budget must still be viewable
	now := s.now()
	raw, _, err := s.mint(rc.issuer, c, jwt.Audience{rc.issuer}, scope, useAccess, now.Add(s.cfg.TokenTTL), nil)
	if err != nil {
		writeError(w, &oauthError{http.StatusInternalServerError, "server_error", err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": raw, "token_type": "Bearer",
		"expires_in": int64(s.cfg.TokenTTL / time.Second), "scope": scope})
}

// resourceToken is the client-credentials grant for one resource: the agent must hold the
// resource's capability; the token's audience is the resource's name as requested and it
// lives as long as an exchanged token.
func (s *Server) resourceToken(w http.ResponseWriter, r *http.Request, rc reqCtx, c *client) {
	names := r.PostForm["resource"]
	if len(names) != 1 {
		writeError(w, &oauthError{http.StatusBadRequest, "invalid_target", "send exactly one resource parameter: this server binds a token to one resource"})
		return
	}
	name := names[0]
	res, ok := s.resource(name)
	switch {
	case !ok:
		writeError(w, &oauthError{http.StatusBadRequest, "invalid_target",
			fmt.Sprintf("unknown resource %q; known: %s", name, strings.Join(s.resourceNames(), ", "))})
		return
	case !slices.Contains(c.conf.Capabilities, res.Capability):
		writeError(w, &oauthError{http.StatusBadRequest, "invalid_target",
			fmt.Sprintf("agent %s lacks capability %s, which %s requires", c.conf.ClientID, res.Capability, name)})
		return
	}
	scope, oerr := grantedScope(r.PostForm.Get("scope"), strings.Fields(res.Scope), "offered by "+name)
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	if !s.charge(w, c, true) {
		return
	}
	now := s.now()
	expires := now.Add(s.cfg.ExchangedTokenTTL)
	raw, _, err := s.mint(rc.issuer, c, jwt.Audience{name}, scope, useAccess, expires, nil)
	if err != nil {
		writeError(w, &oauthError{http.StatusInternalServerError, "server_error", err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": raw, "token_type": "Bearer",
		"expires_in": expiresIn(expires, now), "scope": scope})
}

// grantedScope checks a requested scope against what may be granted (all of it by default).
func grantedScope(requested string, grantable []string, whose string) (string, *oauthError) {
	req := strings.Fields(requested)
	if len(req) == 0 {
		return strings.Join(grantable, " "), nil
	}
	for _, sc := range req {
		if !slices.Contains(grantable, sc) {
			return "", &oauthError{http.StatusBadRequest, "invalid_scope",
				fmt.Sprintf("scope %q is not %s (%s)", sc, whose, strings.Join(grantable, " "))}
		}
	}
	return strings.Join(req, " "), nil
}

func (s *Server) tokenExchange(w http.ResponseWriter, r *http.Request, rc reqCtx) {
	form := r.PostForm
	authClient, presented, oerr := s.authenticateClient(r)
	if oerr != nil {
		writeError(w, oerr)
		return
	}
	subject := form.Get("subject_token")
	switch typ := form.Get("subject_token_type"); {
	case subject == "":
		writeError(w, errBadRequest("subject_token is missing: send the agent's access token"))
		return
	case typ == "":
		writeError(w, errBadRequest("subject_token_type is missing: send "+tokenTypeAccessToken))
		return
	case typ != tokenTypeAccessToken && typ != tokenTypeJWT:
		writeError(w, &oauthError{http.StatusBadRequest, "unsupported_token_type",
			fmt.Sprintf("subject_token_type %q is not supported; send %s", typ, tokenTypeAccessToken)})
		return
	}
	audience := form.Get("audience")
	if audience == "" {
		audience = form.Get("resource")
	}
	if audience == "" {
		writeError(w, errBadRequest("audience (or resource) is missing: name the protected resource, e.g. urn:mcp:financial-data"))
		return
	}
	claims, c, why := s.verify(subject)
	if why == "" && !claims.primary() {
		why = "it is an exchanged token; exchange the agent's own access token"
	}
	if why != "" {
		writeError(w, &oauthError{http.StatusBadRequest, "invalid_grant", "subject_token is not usable: " + why})
		return
	}
	if presented && authClient.conf.ClientID != c.conf.ClientID {
		writeError(w, &oauthError{http.StatusBadRequest, "invalid_grant",
			fmt.Sprintf("subject_token belongs to %s, not to the authenticated client %s", c.conf.ClientID, authClient.conf.ClientID)})
		return
	}
	res, ok := s.resource(audience)
	if !ok {
		writeError(w, &oauthError{http.StatusBadRequest, "invalid_target",
			fmt.Sprintf("unknown audience %q; known: %s", audience, strings.Join(s.resourceNames(), ", "))})
		return
	}
	if _, oerr := grantedScope(form.Get("scope"), strings.Fields(res.Scope), "offered by "+audience); oerr != nil {
		writeError(w, oerr)
		return
	}
	if !s.charge(w, c, true) {
		return
	}
	now := s.now()
	s.mu.Lock()
	jitGrant := claims.JITCapability == res.Capability && s.jit.grantActive(claims.JITRequestID, now)
	s.mu.Unlock()
	if !slices.Contains(c.conf.Capabilities, res.Capability) && !jitGrant {
		writeError(w, &oauthError{http.StatusForbidden, "delegation_not_allowed",
			fmt.Sprintf("agent %s lacks capability %s, which %s requires (request it through JIT if a rule allows)",
				c.conf.ClientID, res.Capability, audience)})
		return
	}
	// The exchanged token never outlives the token it was exchanged from.
	expires := now.Add(s.cfg.ExchangedTokenTTL)
	if subjectEnd := claims.Expiry.Time(); subjectEnd.Before(expires) {
		expires = subjectEnd
	}
	raw, _, err := s.mint(rc.issuer, c, jwt.Audience{audience}, res.Scope, useExchange, expires, func(t *tokenClaims) {
		t.Act = &actor{Subject: subjectOf(c.conf), ClientID: c.conf.ClientID}
		t.AuthorizationDetails, t.JITCapability = claims.AuthorizationDetails, claims.JITCapability
		t.TaskID, t.JITRequestID, t.ParentJTI = claims.TaskID, claims.JITRequestID, claims.ID
	})
	if err != nil {
		writeError(w, &oauthError{http.StatusInternalServerError, "server_error", err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": raw, "issued_token_type": tokenTypeAccessToken,
		"token_type": "Bearer", "expires_in": expiresIn(expires, now), "scope": res.Scope})
}

// authenticateClient checks client_secret_basic or client_secret_post credentials. presented
// is false when the request carries no secret at all (a public token-exchange request).
func (s *Server) authenticateClient(r *http.Request) (c *client, presented bool, oerr *oauthError) {
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 §2.3.1: Basic credentials are form-urlencoded first.
		if v, err := url.QueryUnescape(id); err == nil {
			id = v
		}
		if v, err := url.QueryUnescape(secret); err == nil {
			secret = v
		}
		if r.PostForm.Get("client_secret") != "" {
			return nil, true, errBadRequest("use one client authentication method: HTTP Basic or client_secret in the body, not both")
		}
		if bodyID := r.PostForm.Get("client_id"); bodyID != "" && bodyID != id {
			return nil, true, errBadRequest("client_id in the body differs from the HTTP Basic client id")
		}
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		if secret == "" {
			return nil, false, nil
		}
	}
	c, known := s.clients[id]
	expected := "\x00no such client"
	if known {
		expected = c.secret
	}
	// Compare digests in constant time, so neither the secret nor its length leaks by timing.
	got, want := sha256.Sum256([]byte(secret)), sha256.Sum256([]byte(expected))
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || !known {
		return nil, true, &oauthError{http.StatusUnauthorized, "invalid_client",
			"client authentication failed: unknown client_id or wrong client_secret"}
	}
	return c, true, nil
}
