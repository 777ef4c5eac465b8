package financialmcp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"

	"github.com/lumodash/lumodash/internal/httpserve"
)

// Wire constants of the server.
const (
	DefaultResource   = "urn:mcp:financial-data"                // the audience lumodash exchanges tokens for
	DefaultCapability = "mcp:financial"                         // the capability a JIT grant must name
	Scope             = "financial:read"                        // the scope every request needs
	MCPPath           = "/mcp"                                  // the streamable-HTTP endpoint
	MetadataPath      = "/.well-known/oauth-protected-resource" // RFC 9728 metadata
)

// Options configure the server.
type Options struct {
	Issuer string // the authorization server's issuer; tokens must carry it (or one of Issuers) as iss
	// Issuers are further issuers of the same authorization server, signing with the same
	// keys. nil = Issuer's LumoAuth sibling: the /t/{tenant} issuer of an /orgs/{org} issuer
	// and the other way round, since LumoAuth serves one organisation under both prefixes.
	Issuers []string
	JWKSURL string // where the issuer's signing keys are published
	// Resource is the audience tokens are exchanged for ("" = DefaultResource). The server's
	// URL is its other name: metadata says resource: <URL> (RFC 9728 §3.3) and tokens for
	// either name are accepted.
	Resource string
	Now      func() time.Time
	// BaseURL is the server's public base URL (scheme://host[:port]) used to build its
	// resource URL and metadata URL; "" = derive them from each request. Start sets it.
	BaseURL string
	// HTTPClient fetches the JWKS (and introspects); nil = a client with a 10 s timeout.
	HTTPClient *http.Client
	// Introspection, when set, asks the authorization server about every token (RFC 7662),
	// so that a revoked token or one from a completed JIT task is refused before it expires.
	Introspection *Introspection
	// JITRequired are calls refused with 403 insufficient_authorization_details unless the
	// token carries a just-in-time grant of JITCapability (see jitrule.go).
	JITRequired []JITRule
	// JITCapability is the capability such a grant names ("" = DefaultCapability).
	JITCapability string
	// Timeouts bound how long a client may take to send a request (Start only).
	Timeouts httpserve.Timeouts
}

func (o *Options) normalize() error {
	if o.Issuer == "" {
		return errors.New("financialmcp: Options.Issuer is empty; set it to the authorization server's issuer URL")
	}
	u, err := url.Parse(o.JWKSURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("financialmcp: Options.JWKSURL %q is not an http(s) URL; set it to the issuer's jwks.json", o.JWKSURL)
	}
	if o.Resource == "" {
		o.Resource = DefaultResource
	}
	if o.JITCapability == "" {
		o.JITCapability = DefaultCapability
	}
	if o.Issuers == nil {
		o.Issuers = siblingIssuers(o.Issuer)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return nil
}

var lumoIssuer = regexp.MustCompile(`^(.*)/(orgs|t)/([^/]+)/api/v1$`)

// siblingIssuers is the issuer of the other LumoAuth prefix for the same organisation.
func siblingIssuers(issuer string) []string {
	m := lumoIssuer.FindStringSubmatch(issuer)
	if m == nil {
		return []string{}
	}
	other := "t"
	if m[2] == "t" {
		other = "orgs"
	}
	return []string{m[1] + "/" + other + "/" + m[3] + "/api/v1"}
}

// NewHandler returns the server's routes: the MCP endpoint at MCPPath behind the bearer-token
// checks and the JIT rules, and protected-resource metadata at MetadataPath (also at
// MetadataPath+MCPPath, RFC 9728 §3.1).
func NewHandler(opts Options) (http.Handler, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	rules, err := compileRules(opts.JITRequired)
	if err != nil {
		return nil, err
	}
	v := &tokenVerifier{issuers: append([]string{opts.Issuer}, opts.Issuers...), resource: opts.Resource,
		now: opts.Now, keys: newKeySet(opts.JWKSURL, opts.HTTPClient)}
	if opts.Introspection != nil {
		v.introspect = &introspector{conf: *opts.Introspection, http: opts.HTTPClient}
	}
	server := newMCPServer()
	streamable := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server },
		&mcp.StreamableHTTPOptions{SessionTimeout: 15 * time.Minute})
	gate := &jitGate{rules: rules, capability: opts.JITCapability, identifier: opts.Resource}
	meta := func(base string) http.Handler {
		return auth.ProtectedResourceMetadataHandler(&oauthex.ProtectedResourceMetadata{
			Resource:               base + MCPPath,
			AuthorizationServers:   []string{opts.Issuer},
			BearerMethodsSupported: []string{"header"},
			ScopesSupported:        []string{Scope},
			ResourceName:           "Acme Corp financial metrics (MCP)",
		})
	}
	mux := http.NewServeMux()
	for _, path := range []string{MetadataPath, MetadataPath + MCPPath} {
		mux.Handle(path, perBase(opts.BaseURL, meta))
	}
	mux.Handle(MCPPath, perBase(opts.BaseURL, func(base string) http.Handler {
		return protect(base, v, gate.wrap(base, streamable))
	}))
	return mux, nil
}

// perBase builds the handler for the server's base URL: once when it is known, else per
// request from the Host it was reached at.
func perBase(base string, build func(base string) http.Handler) http.Handler {
	if base != "" {
		return build(base)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		build(requestBase(r)).ServeHTTP(w, r)
	})
}

var plainHost = regexp.MustCompile(`^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$`)

// requestBase derives scheme://host from a request; an odd Host header falls back to localhost.
func requestBase(r *http.Request) string {
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if !plainHost.MatchString(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}

// Server is a running financial MCP server.
type Server struct {
	base string
	http *http.Server
	done chan struct{}
}

// Start listens on addr ("127.0.0.1:0" = a random port) and serves NewHandler(opts).
func Start(opts Options, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("financialmcp: listen on %s: %w", addr, err)
	}
	base := "http://" + ln.Addr().String()
	if opts.BaseURL == "" {
		opts.BaseURL = base
	} else {
		base = opts.BaseURL // behind a public name (serve on every interface): what clients dial
	}
	h, err := NewHandler(opts)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s := &Server{base: base, http: httpserve.Server(h, opts.Timeouts), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln)
	}()
	return s, nil
}

// URL is the MCP streamable-HTTP endpoint, e.g. http://127.0.0.1:5000/mcp: also the resource
// identifier its metadata names.
func (s *Server) URL() string { return s.base + MCPPath }

// BaseURL is scheme://host:port of the server.
func (s *Server) BaseURL() string { return s.base }

// MetadataURL is the RFC 9728 protected-resource metadata URL.
func (s *Server) MetadataURL() string { return s.base + MetadataPath }

// Close stops the server, giving open requests a moment to finish (MCP event streams never do).
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.http.Close()
	}
	<-s.done
	return err
}
