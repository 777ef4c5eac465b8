package devserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Server is a running authorization server. Safe for concurrent use.
type Server struct {
	cfg       Config
	now       func() time.Time
	keys      *keySet
	resources map[string]ResourceConfig
	jitRisk   map[string]string

	mu      sync.Mutex // guards clients' meters and jit
	clients map[string]*client
	jit     jitState

	ln        net.Listener
	http      *http.Server
	url       string
	closeOnce sync.Once
	closeErr  error
}

// client is a registered client with its secret for this run and its usage meter.
type client struct {
	conf   AgentConfig
	secret string
	meter  *meter
}

// Option configures a Server.
type Option func(*Server)

// WithClock sets the clock used for token times, metering windows and JIT expiry (tests).
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// Start validates cfg and serves it on addr ("127.0.0.1:0" = a random free port) until Close.
func Start(cfg Config, addr string, opts ...Option) (*Server, error) {
	cfg = cfg.clone()
	cfg.applyDefaults()
	if p := cfg.problem(); p != nil {
		return nil, fmt.Errorf("devserver configuration: %s: %s", p.key(), p.msg)
	}
	s := &Server{cfg: cfg, now: time.Now, resources: map[string]ResourceConfig{},
		jitRisk: map[string]string{}, clients: map[string]*client{}, jit: newJITState()}
	for _, o := range opts {
		o(s)
	}
	keys, err := newKeySet()
	if err != nil {
		return nil, fmt.Errorf("devserver: %w", err)
	}
	s.keys = keys
	for _, r := range cfg.Resources {
		s.resources[r.Audience] = r
	}
	for _, r := range cfg.JITRules {
		s.jitRisk[r.Capability] = r.Risk
	}
	now := s.now()
	for _, a := range cfg.Agents {
		secret := a.ClientSecret
		if secret == "" {
			secret = randomSecret()
		}
		s.clients[a.ClientID] = &client{conf: a, secret: secret, meter: newMeter(a.Budget, now)}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("devserver: listening on %s: %w (pick a free address, e.g. 127.0.0.1:0)", addr, err)
	}
	s.ln = ln
	s.url = "http://" + reachable(ln.Addr())
	s.http = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// reachable turns a listener address into host:port a client can dial: an unspecified
// host (":8787", "0.0.0.0") becomes the loopback address.
func reachable(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
}

// URL is the base URL, e.g. http://127.0.0.1:41234 (LUMOAUTH_URL for clients).
func (s *Server) URL() string { return s.url }

// Issuer is the iss of every token: {URL}/orgs/{organization}/api/v1 on both prefixes.
func (s *Server) Issuer() string { return s.url + "/orgs/" + s.cfg.Organization + "/api/v1" }

// JWKSURL is where the public signing keys are published.
func (s *Server) JWKSURL() string { return s.Issuer() + "/.well-known/jwks.json" }

// Credentials returns the client id and this run's secret of a registered client.
func (s *Server) Credentials(agent string) (clientID, secret string, ok bool) {
	c, ok := s.clients[agent]
	if !ok {
		return "", "", false
	}
	return c.conf.ClientID, c.secret, true
}

// AgentNames lists the client ids of the agents (users such as the operator excluded),
// in configuration order.
func (s *Server) AgentNames() []string {
	var names []string
	for _, a := range s.cfg.Agents {
		if a.IdentityType == "agent" {
			names = append(names, a.ClientID)
		}
	}
	return names
}

// Close stops the server, giving in-flight requests a moment to finish.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.http.Shutdown(ctx); err != nil {
			s.closeErr = errors.Join(err, s.http.Close())
		}
	})
	return s.closeErr
}

// reqCtx is what a handler knows about the prefix it was reached on.
type reqCtx struct {
	prefix string // e.g. /t/acme-corp/api/v1
	legacy bool   // reached on /t/{tenant}: userinfo says "tenant" instead of "organization"
}

type handler func(w http.ResponseWriter, r *http.Request, rc reqCtx)

type route struct {
	path    string
	methods []string
	h       handler
}

func (s *Server) routes() http.Handler {
	table := []route{
		{"oauth/token", []string{"POST"}, s.handleToken},
		{"oauth/userinfo", []string{"GET", "POST"}, s.handleUserinfo},
		{"oauth/introspect", []string{"POST"}, s.handleIntrospect},
		{".well-known/jwks.json", []string{"GET"}, s.handleJWKS},
		{".well-known/oauth-authorization-server", []string{"GET"}, s.handleMetadata},
		{".well-known/openid-configuration", []string{"GET"}, s.handleMetadata},
		{"agents/me", []string{"GET"}, s.handleAgentsMe},
		{"agents/ask", []string{"POST"}, s.handleAsk},
		{"agents/me/usage", []string{"POST"}, s.handleUsage},
		{"jit/task", []string{"POST"}, s.handleJITTask},
		{"jit/request", []string{"POST"}, s.handleJITRequest},
		{"jit/request/{id}/status", []string{"GET"}, s.handleJITStatus},
		{"jit/request/{id}/token", []string{"POST"}, s.handleJITToken},
		{"jit/task/{id}/complete", []string{"POST"}, s.handleJITComplete},
		{"jit/approve/{id}", []string{"POST"}, s.handleJITApprove},
		{"jit/deny/{id}", []string{"POST"}, s.handleJITDeny},
	}
	mux := http.NewServeMux()
	for _, rt := range table {
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
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errNotFound(fmt.Sprintf("no endpoint %s %s; the API lives under /orgs/%s/api/v1/ and /t/%s/api/v1/",
			r.Method, r.URL.Path, s.cfg.Organization, s.cfg.Organization)))
	})
	return mux
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
		rt.h(w, r, reqCtx{prefix: "/" + kind + "/" + org + "/api/v1", legacy: kind == "t"})
	})
}

// sortedKeys returns m's keys in order, for stable error messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
