package telemetrytest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// MCPProxy sits in front of an MCP server and records what each request carried: its
// traceparent (what a traced MCP server would join) and its bearer token (a secret that must
// not reach the collector).
type MCPProxy struct {
	URL string // the MCP endpoint through the proxy (the target's path kept)

	mu           sync.Mutex
	traceparents []string
	bearers      []string
}

// StartMCPProxy proxies target (an MCP endpoint URL) until the test ends.
func StartMCPProxy(t testing.TB, target string) *MCPProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &MCPProxy{}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.traceparents = append(p.traceparents, r.Header.Get("Traceparent"))
		if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			p.bearers = append(p.bearers, b)
		}
		p.mu.Unlock()
		rp.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL + u.Path
	return p
}

// Requests are the traceparent and the bearer token of each request so far ("" = none).
func (p *MCPProxy) Requests() (traceparents, bearers []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.traceparents...), append([]string(nil), p.bearers...)
}

// CheckPropagation fails the test unless every MCP request made in a tool call carried the
// trace context of mcp, the call's tools/call span (requests outside any tool call, such as
// the session's closing DELETE, carry none), and at least initialize and tools/call did.
func (p *MCPProxy) CheckPropagation(t testing.TB, mcp Span) {
	t.Helper()
	want := fmt.Sprintf("00-%s-%s-01", mcp.TraceID, mcp.SpanID)
	traceparents, _ := p.Requests()
	carried := 0
	for _, tp := range traceparents {
		if tp == "" {
			continue
		}
		carried++
		if tp != want {
			t.Errorf("MCP request carried traceparent %q, want %q", tp, want)
		}
	}
	if carried < 2 {
		t.Errorf("%d of %d MCP requests carried a traceparent", carried, len(traceparents))
	}
}
