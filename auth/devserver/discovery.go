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

// handleMetadata serves RFC 8414 / OpenID discovery for the prefix it was fetched under: that
// prefix is the issuer (RFC 8414 §3.3) and names the endpoints. It carries every field the
// official MCP SDKs' schemas require (authorization_endpoint, response_types_supported, …),
// though this server issues tokens only to clients (client credentials, token exchange): the
// authorization endpoint answers that no response type is supported.
func (s *Server) handleMetadata(w http.ResponseWriter, _ *http.Request, rc reqCtx) {
	base := rc.issuer
	clientAuth := []string{"client_secret_post", "client_secret_basic"}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                s.url + rc.prefix,
		"authorization_endpoint":                base + "/oauth/authorize",
		"token_endpoint":                        base + "/oauth/token",
		"jwks_uri":                              base + "/.well-known/jwks.json",
		"userinfo_endpoint":                     base + "/oauth/userinfo",
		"introspection_endpoint":                base + "/oauth/introspect",
		"revocation_endpoint":                   base + "/oauth/revoke",
		"grant_types_supported":                 []string{grantClientCredentials, grantTokenExchange},
		"token_endpoint_auth_methods_supported": clientAuth,
		"introspection_endpoint_auth_methods_supported": clientAuth,
		// RFC 7009 §2.1: a public client (or the holder of the token) may revoke it too.
		"revocation_endpoint_auth_methods_supported": append([]string{"none"}, clientAuth...),
		"response_types_supported":                   []string{},
		"token_types_supported":                      []string{tokenTypeAccessToken},
		"id_token_signing_alg_values_supported":      []string{"RS256"},
		"subject_types_supported":                    []string{"public"},
		"scopes_supported":                           s.scopes(),
		"authorization_details_types_supported":      []string{"agent_capability"},
	})
}

// handleAuthorize is the authorization endpoint the metadata must name. With no users to sign
// in, every request is refused; RFC 6749 §4.1.2.1: an unverified redirect_uri is never
// followed, so the error is answered directly.
func (s *Server) handleAuthorize(w http.ResponseWriter, _ *http.Request, _ reqCtx) {
	writeError(w, &oauthError{http.StatusBadRequest, "unsupported_response_type",
		"this server has no user sign-in: agents obtain tokens with the client_credentials grant at oauth/token"})
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
