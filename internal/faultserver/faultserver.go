// Package faultserver puts a fault-injecting reverse proxy on 127.0.0.1 in front of a real
// server (the devserver, the financial MCP server, the demo model), for the reliability
// tests: per-request faults (status answers, delays, hangs, dropped connections, rewritten
// bodies), going down mid-session, and a record of every access token the server issued, so
// that tests can search outputs for them.
package faultserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Fault handles one request instead of (or around) the real server; next forwards it.
type Fault func(w http.ResponseWriter, r *http.Request, next http.Handler)

// Proxy is a reverse proxy on a loopback port whose behaviour can be changed at any time.
type Proxy struct {
	srv    *httptest.Server
	target *url.URL
	rp     *httputil.ReverseProxy

	mu     sync.Mutex
	fault  Fault
	tokens []string
	hits   map[string]int // requests per path
	down   bool
}

// New starts a proxy in front of target (a base URL); it is closed with the test.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{target: &url.URL{Scheme: u.Scheme, Host: u.Host}, hits: map[string]int{}}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        func(r *httputil.ProxyRequest) { r.SetURL(p.target); r.Out.Host = r.In.Host },
		ModifyResponse: p.capture,
		FlushInterval:  -1,
		ErrorLog:       nil,
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.Close)
	return p
}

// URL is the proxy's base URL (same paths as the target's).
func (p *Proxy) URL() string { return p.srv.URL }

// Set replaces the fault (nil = forward everything unchanged).
func (p *Proxy) Set(f Fault) {
	p.mu.Lock()
	p.fault = f
	p.mu.Unlock()
}

// Hits is how many requests reached the proxy on paths containing part.
func (p *Proxy) Hits(part string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for path, c := range p.hits {
		if strings.Contains(path, part) {
			n += c
		}
	}
	return n
}

// Tokens are the access tokens seen in the server's JSON answers, in order.
func (p *Proxy) Tokens() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.tokens...)
}

// Down makes the server unreachable from now on: the listener closes (new connections are
// refused) and open keep-alive connections are dropped.
func (p *Proxy) Down() {
	p.mu.Lock()
	already := p.down
	p.down = true
	p.mu.Unlock()
	if !already {
		_ = p.srv.Listener.Close()
		p.srv.CloseClientConnections()
	}
}

// Close stops the proxy.
func (p *Proxy) Close() {
	p.Down()
	p.srv.Close()
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.hits[r.URL.Path]++
	f := p.fault
	p.mu.Unlock()
	if f == nil {
		p.rp.ServeHTTP(w, r)
		return
	}
	f(w, r, p.rp)
}

// capture records access tokens from JSON answers (never changing the body).
func (p *Proxy) capture(resp *http.Response) error {
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return nil
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return err
	}
	var m map[string]any
	if json.Unmarshal(body, &m) == nil {
		if tok, ok := m["access_token"].(string); ok && tok != "" {
			p.mu.Lock()
			p.tokens = append(p.tokens, tok)
			p.mu.Unlock()
		}
	}
	return nil
}

// ClosedURL is an http:// base URL on which nothing listens (connection refused).
func ClosedURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

// PeekBody returns the request body and puts it back for the next handler.
func PeekBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.ContentLength = int64(len(b))
	r.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return b
}
