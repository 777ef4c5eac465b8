package httpserve

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// start serves h with t on a random port and returns its address.
func start(t *testing.T, h http.Handler, to Timeouts) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := Server(h, to)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// readAll reads what the server sends until it closes the connection or wait passes.
func readAll(t *testing.T, c net.Conn, wait time.Duration) (string, bool) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(wait))
	data, err := io.ReadAll(c)
	closed := err == nil // EOF: the server closed the connection
	return string(data), closed
}

func echo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "body: "+err.Error(), http.StatusRequestTimeout)
			return
		}
		fmt.Fprintf(w, "got %d bytes", len(body))
	})
}

func TestDefaults(t *testing.T) {
	srv := Server(echo(), Timeouts{})
	if srv.ReadHeaderTimeout != DefaultHeader || srv.IdleTimeout != DefaultIdle || srv.ReadTimeout != 0 || srv.WriteTimeout != 0 {
		t.Errorf("server timeouts: header %s idle %s read %s write %s", srv.ReadHeaderTimeout, srv.IdleTimeout, srv.ReadTimeout, srv.WriteTimeout)
	}
}

// A body that trickles in is cut off at the body deadline, with the connection closed.
func TestSlowBodyIsCutOff(t *testing.T) {
	addr := start(t, echo(), Timeouts{Body: 200 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab")
	out, closed := readAll(t, c, 10*time.Second)
	if !closed || !strings.Contains(out, "408") || !strings.Contains(out, "timeout") {
		t.Fatalf("closed=%v answer %q", closed, out)
	}
}

// A slow header is cut off too.
func TestSlowHeaderIsCutOff(t *testing.T) {
	addr := start(t, echo(), Timeouts{Header: 200 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\n")
	if _, closed := readAll(t, c, 10*time.Second); !closed {
		t.Fatal("the connection stayed open after the header deadline")
	}
}

// Once the body is in, the answer may stream for longer than the body deadline, and the
// request is not cancelled.
func TestStreamOutlivesBodyDeadline(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		for i := 0; i < 4; i++ {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			fmt.Fprintf(w, "chunk %d\n", i)
			http.NewResponseController(w).Flush()
		}
	})
	addr := start(t, h, Timeouts{Body: 150 * time.Millisecond})
	resp, err := http.Post("http://"+addr+"/", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 4 || lines[3] != "chunk 3" {
		t.Fatalf("streamed %q (err %v)", lines, sc.Err())
	}
}
