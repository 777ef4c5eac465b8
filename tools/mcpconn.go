package tools

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"golang.org/x/oauth2"

	"github.com/lumodash/lumodash/auth"
)

// mcpCallTimeout bounds one MCP operation when the caller's context has no deadline.
const mcpCallTimeout = 30 * time.Second

// HTTPStatusError is an MCP server's refusal at the HTTP level (401, 403), with its
// WWW-Authenticate challenge.
type HTTPStatusError struct {
	Status    int
	Challenge string // WWW-Authenticate
	Body      string // first bytes of the body, for the log
	// Details is the Insufficient-Authorization-Details header of a 403 (base64 JSON of the
	// authorization details the call lacks), "" when absent.
	Details string
}

func (e *HTTPStatusError) Error() string {
	s := fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
	if e.Challenge != "" {
		s += " (" + e.Challenge + ")"
	} else if e.Body != "" {
		s += " (" + e.Body + ")"
	}
	return s
}

// mcpConn is one MCP client session to a secured server, reused across calls. Each request
// carries the exchanged credential of the call that sent it; a 401 makes the call
// re-exchange once and retry. Safe for concurrent use.
type mcpConn struct {
	server   string // name in reports
	url      string
	audience string
	agent    *auth.Agent
	hooks    ClientHooks
	httpc    *http.Client
	progress progressCalls

	mu       sync.Mutex
	client   *mcp.Client // made on the first connect, with hooks
	session  *mcp.ClientSession
	current  atomic.Pointer[auth.Credential] // for requests made outside a call (the closing DELETE)
	sessions atomic.Int64                    // sessions opened, for tests
}

func newMCPConn(agent *auth.Agent, server, url, audience string) *mcpConn {
	c := &mcpConn{server: server, url: url, audience: audience, agent: agent}
	c.httpc = &http.Client{Transport: &bearerTransport{conn: c, base: http.DefaultTransport}}
	return c
}

// op is one MCP operation on the shared session.
type op func(ctx context.Context, s *mcp.ClientSession) error

// run performs f with cred. A 401 invalidates the cached exchange, exchanges again and retries
// once; a session the server forgot is reopened once. It returns the last HTTP status seen.
func (c *mcpConn) run(ctx context.Context, cred *auth.Credential, f op) (status int, retried bool, err error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, mcpCallTimeout)
		defer cancel()
	}
	rec := &statusRecorder{}
	ctx = context.WithValue(ctx, recorderKey{}, rec)
	err = c.attempt(ctx, cred, f)
	var he *HTTPStatusError
	if errors.As(err, &he) && he.Status == http.StatusUnauthorized && c.agent != nil {
		c.agent.InvalidateExchange(c.audience)
		fresh, xerr := c.agent.Exchange(ctx, c.audience)
		if xerr != nil {
			return int(rec.status.Load()), true, fmt.Errorf("the server refused the token (%v) and a new exchange failed: %w", he, xerr)
		}
		retried = true
		err = c.attempt(ctx, fresh, f)
	}
	return int(rec.status.Load()), retried, err
}

func (c *mcpConn) attempt(ctx context.Context, cred *auth.Credential, f op) error {
	if cred == nil {
		return errors.New("no exchanged token for " + c.audience)
	}
	c.current.Store(cred)
	ctx = context.WithValue(ctx, credKey{}, cred)
	s, err := c.sessionFor(ctx)
	if err != nil {
		return err
	}
	err = f(ctx, s)
	if errors.Is(err, mcp.ErrConnectionClosed) || errors.Is(err, mcp.ErrSessionMissing) {
		c.drop(s)
		if s, err = c.sessionFor(ctx); err != nil {
			return err
		}
		err = f(ctx, s)
	}
	return err
}

// sessionFor returns the open session, connecting first when there is none.
func (c *mcpConn) sessionFor(ctx context.Context) (*mcp.ClientSession, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session != nil {
		return c.session, nil
	}
	if c.client == nil {
		c.client = c.newClient()
	}
	// The standalone event stream stays on: servers send requests unrelated to a call
	// (roots/list after initialization) on it.
	t := &mcp.StreamableClientTransport{Endpoint: c.url, HTTPClient: c.httpc, MaxRetries: -1, OAuthHandler: refusalHandler{}}
	s, err := c.client.Connect(ctx, t, nil)
	if err != nil {
		return nil, err
	}
	c.sessions.Add(1)
	c.session = s
	return s, nil
}

// drop forgets s (if it is still the current session) and closes it.
func (c *mcpConn) drop(s *mcp.ClientSession) {
	c.mu.Lock()
	if c.session == s {
		c.session = nil
	}
	c.mu.Unlock()
	_ = s.Close()
}

// Close ends the session, if one is open.
func (c *mcpConn) Close() error {
	c.mu.Lock()
	s := c.session
	c.session = nil
	c.mu.Unlock()
	if s == nil {
		return nil
	}
	return s.Close()
}

type (
	credKey     struct{}
	recorderKey struct{}
)

// statusRecorder keeps the last HTTP status of the requests made for one operation.
type statusRecorder struct{ status atomic.Int64 }

// bearerTransport authorizes each request with the credential of the call that made it,
// sends it through the transport its context asks for (WithTransport) and records the
// response status for the call's report.
type bearerTransport struct {
	conn *mcpConn
	base http.RoundTripper
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	cred, _ := req.Context().Value(credKey{}).(*auth.Credential)
	if cred == nil {
		cred = t.conn.current.Load()
	}
	r := req.Clone(req.Context())
	if cred != nil {
		cred.SetAuthHeader(r)
	}
	resp, err := transportFor(req, t.base).RoundTrip(r)
	if rec, ok := req.Context().Value(recorderKey{}).(*statusRecorder); ok && resp != nil {
		rec.status.Store(int64(resp.StatusCode))
	}
	return resp, err
}

// refusalHandler is the transport's OAuthHandler. Authorization headers come from
// bearerTransport; this only turns a 401/403 into an *HTTPStatusError, which the SDK returns
// without breaking the session, so the caller can re-exchange and retry.
type refusalHandler struct{}

func (refusalHandler) TokenSource(context.Context) (oauth2.TokenSource, error) { return nil, nil }

func (refusalHandler) Authorize(_ context.Context, _ *http.Request, resp *http.Response) error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return &HTTPStatusError{Status: resp.StatusCode, Challenge: resp.Header.Get("WWW-Authenticate"),
		Body: strings.TrimSpace(string(body)), Details: resp.Header.Get(auth.HeaderInsufficientAuthorizationDetails)}
}

// resultText joins the text content of an MCP tool result.
func resultText(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}
