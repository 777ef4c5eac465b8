package financialmcp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/modelcontextprotocol/go-sdk/oauthex"
)

// Wire constants of the server.
const (
	DefaultResource = "urn:mcp:financial-data"                // the resource (token audience) served
	Scope           = "financial:read"                        // the scope every request needs
	MCPPath         = "/mcp"                                  // the streamable-HTTP endpoint
	MetadataPath    = "/.well-known/oauth-protected-resource" // RFC 9728 metadata
)

// Options configure the server.
type Options struct {
	Issuer   string // the authorization server's issuer; tokens must carry it as iss
	JWKSURL  string // where the issuer's signing keys are published
	Resource string // this server's resource identifier, required in aud ("" = DefaultResource)
	Now      func() time.Time
	// BaseURL is the server's public base URL (scheme://host[:port]) used to build the
	// resource_metadata URL of 401 answers; "" = derive it from each request. Start sets it.
	BaseURL string
	// HTTPClient fetches the JWKS (and introspects); nil = a client with a 10 s timeout.
	HTTPClient *http.Client
	// Introspection, when set, checks revocable (JIT-derived) tokens on every request.
	Introspection *Introspection
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
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	return nil
}

// NewHandler returns the server's routes: the MCP endpoint at MCPPath behind bearer-token
// checks, and protected-resource metadata at MetadataPath (also at MetadataPath+MCPPath).
func NewHandler(opts Options) (http.Handler, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	v := &tokenVerifier{issuer: opts.Issuer, resource: opts.Resource, now: opts.Now,
		keys: newKeySet(opts.JWKSURL, opts.HTTPClient)}
	if opts.Introspection != nil {
		v.introspect = &introspector{conf: *opts.Introspection, http: opts.HTTPClient}
	}
	server := newMCPServer()
	streamable := mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server },
		&mcp.StreamableHTTPOptions{SessionTimeout: 15 * time.Minute})

	meta := auth.ProtectedResourceMetadataHandler(&oauthex.ProtectedResourceMetadata{
		Resource:               opts.Resource,
		AuthorizationServers:   []string{opts.Issuer},
		BearerMethodsSupported: []string{"header"},
		ScopesSupported:        []string{Scope},
		ResourceName:           "Acme Corp financial metrics (MCP)",
	})
	mux := http.NewServeMux()
	mux.Handle(MetadataPath, meta)
	mux.Handle(MetadataPath+MCPPath, meta)
	mux.Handle(MCPPath, protect(opts.BaseURL, v.Verify, streamable))
	return mux, nil
}

// protect puts the SDK's bearer-token middleware (401 with resource_metadata) in front of a
// scope check of our own: the SDK's 403 lacks error="insufficient_scope" (RFC 6750 §3.1).
func protect(baseURL string, verify auth.TokenVerifier, next http.Handler) http.Handler {
	if baseURL != "" {
		return bearer(baseURL+MetadataPath, verify, next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bearer(requestBase(r)+MetadataPath, verify, next).ServeHTTP(w, r)
	})
}

func bearer(metadataURL string, verify auth.TokenVerifier, next http.Handler) http.Handler {
	return auth.RequireBearerToken(verify, &auth.RequireBearerTokenOptions{
		ResourceMetadataURL: metadataURL,
		ClockSkew:           clockSkew,
	})(requireScope(metadataURL, next))
}

func requireScope(metadataURL string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := auth.TokenInfoFromContext(r.Context())
		if info == nil || !slices.Contains(info.Scopes, Scope) {
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(
				`Bearer error="insufficient_scope", scope=%q, resource_metadata=%q, error_description="the token lacks scope %s"`,
				Scope, metadataURL, Scope))
			http.Error(w, "insufficient scope: the token lacks "+Scope, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
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
	}
	h, err := NewHandler(opts)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s := &Server{base: base, http: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln)
	}()
	return s, nil
}

// URL is the MCP streamable-HTTP endpoint, e.g. http://127.0.0.1:5000/mcp.
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
