package devserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/lumodash/lumodash/internal/httpserve"
)

// Server is a running authorization server. Safe for concurrent use.
type Server struct {
	cfg       Config
	now       func() time.Time
	keys      *keySet
	resources map[string]ResourceConfig // by audience
	jitRisk   map[string]string

	mu         sync.Mutex // guards the meters, jit, approvals, registrations, revoked and aliases
	clients    map[string]*client
	jit        jitState
	approvals  map[string]*approval     // by approval token
	requestSeq uint64                   // numbers JIT requests and approvals in arrival order
	registry   map[string]*registration // agents/register records, by client id
	revoked    map[string]time.Time     // revoked token ids (jti) until the token would expire
	aliases    map[string]string        // a resource's other names (its URL) → its audience

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
type Option func(*options)

type options struct {
	now      func() time.Time
	keyFile  string
	timeouts httpserve.Timeouts
	host     string
}

// WithClock sets the clock used for token times, metering windows and JIT expiry (tests).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithKeyFile keeps the RS256 signing key in path (PEM, mode 0600): read when it exists, made
// once when it does not. Tokens then stay verifiable across restarts and start-up skips the
// key generation. Without this option the key is ephemeral: new on every start, never stored.
// See DefaultKeyFile for the usual path.
func WithKeyFile(path string) Option { return func(o *options) { o.keyFile = path } }

// WithPublicHost names the host clients reach the server by when it listens on every
// interface (":8787", "0.0.0.0:8787"): its URL and issuers then use host instead of 127.0.0.1,
// so that tokens and metadata name an address other machines can reach.
func WithPublicHost(host string) Option { return func(o *options) { o.host = host } }

// WithTimeouts sets how long a client may take to send a request (defaults: httpserve).
func WithTimeouts(t httpserve.Timeouts) Option { return func(o *options) { o.timeouts = t } }

// Start validates cfg and serves it on addr ("127.0.0.1:0" = a random free port) until Close.
func Start(cfg Config, addr string, opts ...Option) (*Server, error) {
	cfg = cfg.clone()
	cfg.applyDefaults()
	if p := cfg.problem(); p != nil {
		return nil, fmt.Errorf("devserver configuration: %s: %s", p.key(), p.msg)
	}
	o := options{now: time.Now}
	for _, f := range opts {
		f(&o)
	}
	keys, err := loadKeySet(o.keyFile)
	if err != nil {
		return nil, fmt.Errorf("devserver: %w", err)
	}
	s := &Server{cfg: cfg, now: o.now, keys: keys, resources: map[string]ResourceConfig{}, jitRisk: map[string]string{},
		clients: map[string]*client{}, jit: newJITState(), approvals: map[string]*approval{},
		registry: map[string]*registration{}, revoked: map[string]time.Time{}, aliases: map[string]string{}}
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
	s.url = "http://" + reachable(ln.Addr(), o.host)
	s.http = httpserve.Server(s.routes(), o.timeouts)
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// reachable turns a listener address into host:port a client can dial: an unspecified
// host (":8787", "0.0.0.0") becomes public, else the loopback address.
func reachable(a net.Addr, public string) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	if public == "" {
		public = "127.0.0.1"
	}
	return net.JoinHostPort(public, fmt.Sprint(tcp.Port))
}

// URL is the base URL, e.g. http://127.0.0.1:41234 (LUMOAUTH_URL for clients).
func (s *Server) URL() string { return s.url }

// Issuer is the issuer of the current API, {URL}/orgs/{organization}/api/v1: the iss of the
// tokens issued there and of its metadata.
func (s *Server) Issuer() string { return s.url + "/orgs/" + s.cfg.Organization + "/api/v1" }

// LegacyIssuer is the issuer of the legacy API, {URL}/t/{organization}/api/v1. Each prefix is
// its own issuer (RFC 8414 §3.3: metadata names the URL it was fetched from), with the
// same signing keys.
func (s *Server) LegacyIssuer() string { return s.url + "/t/" + s.cfg.Organization + "/api/v1" }

// Issuers are both issuers; a resource server trusting this server accepts tokens of either.
func (s *Server) Issuers() []string { return []string{s.Issuer(), s.LegacyIssuer()} }

// JWKSURL is where the public signing keys are published (the same under both prefixes).
func (s *Server) JWKSURL() string { return s.Issuer() + "/.well-known/jwks.json" }

// KeyID is the kid of the signing key (its RFC 7638 thumbprint).
func (s *Server) KeyID() string { return s.keys.kid }

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

// Resource returns the configured resource whose audience is audience.
func (s *Server) Resource(audience string) (ResourceConfig, bool) {
	r, ok := s.resources[audience]
	return r, ok
}

// AddResourceURI gives the resource audience a second name, uri — typically the URL of the
// resource server, known only once it listens. Tokens may then be requested for either name
// (RFC 8707 resource, RFC 8693 audience) and carry the name asked for.
func (s *Server) AddResourceURI(audience, uri string) error {
	if _, ok := s.resources[audience]; !ok {
		return fmt.Errorf("devserver: no resource %q to name %q; known: %v", audience, uri, sortedKeys(s.resources))
	}
	if _, taken := s.resources[uri]; taken || uri == "" {
		return fmt.Errorf("devserver: %q cannot name resource %s: it is empty or another resource's audience", uri, audience)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if other, ok := s.aliases[uri]; ok && other != audience {
		return fmt.Errorf("devserver: %q already names resource %s", uri, other)
	}
	s.aliases[uri] = audience
	return nil
}

// resource finds a resource by any of its names.
func (s *Server) resource(name string) (ResourceConfig, bool) {
	if r, ok := s.resources[name]; ok {
		return r, true
	}
	s.mu.Lock()
	aud, ok := s.aliases[name]
	s.mu.Unlock()
	if !ok {
		return ResourceConfig{}, false
	}
	return s.resources[aud], true
}

// resourceNames lists every name of every resource, for error messages.
func (s *Server) resourceNames() []string {
	names := sortedKeys(s.resources)
	s.mu.Lock()
	for uri := range s.aliases {
		names = append(names, uri)
	}
	s.mu.Unlock()
	sort.Strings(names)
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

// sortedKeys returns m's keys in order, for stable error messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
