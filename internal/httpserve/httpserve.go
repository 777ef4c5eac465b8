// Package httpserve builds the http.Server of lumodash's embedded servers (the devserver, the
// financial MCP server, the demo model) with the timeouts a server on a shared port needs: a
// client that sends its headers or its body slowly, or keeps an idle connection open, is cut
// off instead of holding a connection and a goroutine for ever.
//
// The body gets its own deadline rather than http.Server.ReadTimeout: that one keeps running
// while the handler streams its answer, and when it fires it cancels the request, which would
// end the long-lived event streams (MCP, chat-completion SSE) these servers send.
package httpserve

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// Timeouts bound how long a client may take. Zero fields take the defaults.
type Timeouts struct {
	Header time.Duration // request line and headers (default 10 s)
	Body   time.Duration // the whole request body, from the end of the headers (default 30 s)
	Idle   time.Duration // an idle keep-alive connection (default 2 min)
}

// Defaults of Timeouts.
const (
	DefaultHeader = 10 * time.Second
	DefaultBody   = 30 * time.Second
	DefaultIdle   = 2 * time.Minute
)

func (t Timeouts) withDefaults() Timeouts {
	if t.Header <= 0 {
		t.Header = DefaultHeader
	}
	if t.Body <= 0 {
		t.Body = DefaultBody
	}
	if t.Idle <= 0 {
		t.Idle = DefaultIdle
	}
	return t
}

// Server returns an http.Server serving h with the timeouts t.
func Server(h http.Handler, t Timeouts) *http.Server {
	t = t.withDefaults()
	return &http.Server{Handler: BoundBody(t.Body, h), ReadHeaderTimeout: t.Header, IdleTimeout: t.Idle}
}

// BoundBody gives each request with a body d to deliver all of it; the deadline is lifted
// once the whole body has been read, so the answer may stream as long as it needs. A body
// that fails keeps the deadline: the server then closes the connection instead of waiting
// for the rest.
func BoundBody(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(d)) == nil {
			r.Body = &deadlineBody{ReadCloser: r.Body, lift: func() { _ = rc.SetReadDeadline(time.Time{}) }}
		}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the read deadline at the end of the body.
type deadlineBody struct {
	io.ReadCloser
	once sync.Once
	lift func()
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(b.lift)
	}
	return n, err
}
