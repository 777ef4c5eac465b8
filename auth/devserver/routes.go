package devserver

import (
	"fmt"
	"net/http"
	"strings"
)

// reqCtx is what a handler knows about the prefix it was reached on.
type reqCtx struct {
	prefix string // e.g. /t/acme-corp/api/v1
	issuer string // the prefix's issuer, e.g. http://127.0.0.1:8787/t/acme-corp/api/v1
	legacy bool   // reached on /t/{tenant}: userinfo says "tenant" instead of "organization"
}

type handler func(w http.ResponseWriter, r *http.Request, rc reqCtx)

type route struct {
	path    string
	methods []string
	h       handler
}

// routeTable is the agent API, served under both prefixes. The SDKs' route tables also name
// RBAC, ABAC, Zanzibar and AAuth endpoints and the browser login; those answer a 404 that
// says so (see notServed).
func (s *Server) routeTable() []route {
	return []route{
		{"oauth/token", []string{"POST"}, s.handleToken},
		{"oauth/authorize", []string{"GET"}, s.handleAuthorize},
		{"oauth/userinfo", []string{"GET", "POST"}, s.handleUserinfo},
		{"oauth/introspect", []string{"POST"}, s.handleIntrospect},
		{"oauth/revoke", []string{"POST"}, s.handleRevoke},
		{".well-known/jwks.json", []string{"GET"}, s.handleJWKS},
		{".well-known/oauth-authorization-server", []string{"GET"}, s.handleMetadata},
		{".well-known/openid-configuration", []string{"GET"}, s.handleMetadata},
		{"agents/me", []string{"GET"}, s.handleAgentsMe},
		{"agents/ask", []string{"POST"}, s.handleAsk},
		{"agents/register", []string{"POST"}, s.handleRegister},
		{"agents/me/usage", []string{"POST"}, s.handleUsage},
		{"agents/me/approvals", []string{"POST"}, s.handleApprovalCreate},
		{"agents/me/approvals/{token}/status", []string{"GET"}, s.handleApprovalStatus},
		{"approvals/pending", []string{"GET"}, s.handleApprovalsPending},
		{"approvals/approve/{token}", []string{"POST"}, s.handleApprovalApprove},
		{"approvals/deny/{token}", []string{"POST"}, s.handleApprovalDeny},
		{"jit/task", []string{"POST"}, s.handleJITTask},
		{"jit/task/{id}/complete", []string{"POST"}, s.handleJITComplete},
		{"jit/task/{id}/evaluate", []string{"POST"}, s.handleJITEvaluate},
		{"jit/request", []string{"POST"}, s.handleJITRequest},
		{"jit/request/{id}/status", []string{"GET"}, s.handleJITStatus},
		{"jit/request/{id}/token", []string{"POST"}, s.handleJITToken},
		{"jit/pending", []string{"GET"}, s.handleJITPending},
		{"jit/approve/{id}", []string{"POST"}, s.handleJITApprove},
		{"jit/deny/{id}", []string{"POST"}, s.handleJITDeny},
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		for _, kind := range []string{"orgs", "t"} {
			mux.Handle("/"+kind+"/{org}/api/v1/"+rt.path, s.wrap(kind, rt))
		}
	}
	// RFC 8414 §3.1 path-inserted metadata, e.g. /.well-known/oauth-authorization-server/t/acme-corp/api/v1.
	for _, doc := range []string{"oauth-authorization-server", "openid-configuration"} {
		for _, kind := range []string{"orgs", "t"} {
			mux.Handle("/.well-known/"+doc+"/"+kind+"/{org}/api/v1",
				s.wrap(kind, route{doc, []string{"GET"}, s.handleMetadata}))
		}
	}
	mux.HandleFunc("/", s.notServed)
	return mux
}

// notServed answers a path outside the agent API with a 404 naming what is served.
func (s *Server) notServed(w http.ResponseWriter, r *http.Request) {
	org := s.cfg.Organization
	what := fmt.Sprintf("no endpoint %s %s", r.Method, r.URL.Path)
	for _, family := range []string{"/authz/", "/abac/", "/aauth/", "aauth-", "/oauth/logout", "/oauth/login", "/check-email", "/magic-link"} {
		if strings.Contains(r.URL.Path, family) {
			what += "; lumodash serve is a stand-in for LumoAuth's agent API and does not offer RBAC, ABAC, Zanzibar, AAuth or browser sign-in"
			break
		}
	}
	writeError(w, errNotFound(what+fmt.Sprintf("; the API lives under /orgs/%s/api/v1/ and /t/%s/api/v1/", org, org)))
}

// wrap checks the organisation and the method, bounds the body and calls the handler.
func (s *Server) wrap(kind string, rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		org := r.PathValue("org")
		if org != s.cfg.Organization {
			writeError(w, errNotFound(fmt.Sprintf("unknown organisation %q; this server serves %q", org, s.cfg.Organization)))
			return
		}
		allowed := false
		for _, m := range rt.methods {
			allowed = allowed || r.Method == m
		}
		if !allowed {
			w.Header().Set("Allow", strings.Join(rt.methods, ", "))
			writeError(w, &oauthError{http.StatusMethodNotAllowed, "invalid_request",
				fmt.Sprintf("%s needs %s, not %s", rt.path, strings.Join(rt.methods, " or "), r.Method)})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		prefix := "/" + kind + "/" + org + "/api/v1"
		rt.h(w, r, reqCtx{prefix: prefix, issuer: s.url + prefix, legacy: kind == "t"})
	})
}

// ours says whether iss is one of this server's issuers.
func (s *Server) ours(iss string) bool { return iss == s.Issuer() || iss == s.LegacyIssuer() }
