package reliability_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli/clitest"
)

// Issue 13 item 7: `serve --addr 0.0.0.0:…` exposed the authorization server without a word
// and printed a 127.0.0.1 issuer that no other machine can use. Now it warns on stderr, and
// the issuers, LUMOAUTH_URL and the parts' URLs name an address the network can dial.
func TestAttackServeOnEveryInterfaceIsAnnounced(t *testing.T) {
	t.Parallel()
	public := ""
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && n.IP.IsGlobalUnicast() && public == "" {
			public = n.IP.String()
		}
	}
	if public == "" {
		t.Skip("this machine has no network address other than loopback")
	}
	env := clitest.NewEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &clitest.Output{}
	done := make(chan clitest.Result, 1)
	go func() { done <- env.RunContext(ctx, "", out, "serve", "--addr", "0.0.0.0:0") }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "serving; press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	printed := out.String()
	cancel()
	var res clitest.Result
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(res.Stderr, "reachable from the network") {
		t.Errorf("no warning that the authorization server is reachable from the network; stderr:\n%s", res.Stderr)
	}
	var announced int
	for _, f := range strings.Fields(printed) {
		f = strings.TrimPrefix(f, "LUMOAUTH_URL=")
		u, err := url.Parse(f)
		if err != nil || u.Scheme != "http" {
			continue
		}
		announced++
		if u.Hostname() != public {
			t.Errorf("serve announces %s; clients on the network need the host %s", f, public)
		}
	}
	if announced < 5 {
		t.Errorf("only %d URLs announced:\n%s", announced, printed)
	}
}
