package cli_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
)

// freePort is a loopback port free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// issuers are the banner's issuer lines' URLs, in order.
func issuers(printed string) []string {
	var out []string
	for _, line := range strings.Split(printed, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "issuer" {
			out = append(out, f[1])
		}
	}
	return out
}

// The banner names the address, both prefixes' issuers (each the issuer its metadata
// reports) and the key; --model-addr puts the demo model where asked.
func TestServeBannerAndModelAddr(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	modelAddr := "127.0.0.1:" + freePort(t)
	printed, stop := startServe(t, env, "--addr", "127.0.0.1:0", "--model-addr", modelAddr)
	defer stop()
	iss := issuers(printed)
	if len(iss) != 2 || !strings.HasSuffix(iss[0], "/orgs/acme-corp/api/v1") || !strings.HasSuffix(iss[1], "/t/acme-corp/api/v1") {
		t.Fatalf("issuers %v, want the /orgs/ and the /t/ one:\n%s", iss, printed)
	}
	for _, issuer := range iss {
		var meta struct {
			Issuer string `json:"issuer"`
		}
		getJSON(t, issuer+"/.well-known/oauth-authorization-server", &meta)
		if meta.Issuer != issuer {
			t.Errorf("metadata under %s names issuer %s", issuer, meta.Issuer)
		}
	}
	if a := bannerLine(printed, "address"); a == "" || !strings.HasPrefix(iss[0], "http://"+a+"/") {
		t.Errorf("address %q does not match issuer %s", a, iss[0])
	}
	if model := urlAfter(printed, "demo model (embedded"); model != "http://"+modelAddr+"/v1" {
		t.Errorf("demo model at %s, want http://%s/v1:\n%s", model, modelAddr, printed)
	}
	var models struct {
		Data []struct{ ID string } `json:"data"`
	}
	getJSON(t, "http://"+modelAddr+"/v1/models", &models)
	if len(models.Data) == 0 {
		t.Errorf("the demo model at --model-addr lists no models")
	}

	// The port is taken now: a second serve asked for it says so and which flag to change.
	r := clitest.NewEnv(t).Run("", "serve", "--addr", "127.0.0.1:0", "--model-addr", modelAddr)
	if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "--model-addr") {
		t.Errorf("a taken --model-addr: exit %d, %s", r.Code, r.Stderr)
	}
}

// serve on every interface warns that the authorization server is reachable from the network,
// and announces an address other machines can dial, not 127.0.0.1 (issue 13 item 7): the
// issuer, the exports and the parts' URLs all use it, and whoami works through it.
func TestServeOnEveryInterfaceWarnsAndAnnouncesAReachableAddress(t *testing.T) {
	t.Parallel()
	want := ""
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && n.IP.IsGlobalUnicast() && want == "" {
			want = n.IP.String()
		}
	}
	if want == "" {
		t.Skip("this machine has no network address other than loopback")
	}
	env := clitest.NewEnv(t)
	printed, stop := startServe(t, env, "--addr", "0.0.0.0:0")
	iss := issuers(printed)
	if len(iss) != 2 {
		t.Fatalf("issuers %v:\n%s", iss, printed)
	}
	for _, u := range append(iss, urlAfter(printed, "financial MCP server (embedded)"), urlAfter(printed, "demo model (embedded")) {
		if pu, err := url.Parse(u); err != nil || pu.Hostname() != want {
			t.Errorf("%s is announced, want the host %s that the network can reach:\n%s", u, want, printed)
		}
	}
	ra := parseExports(printed)["research-analyst"]
	if !strings.HasPrefix(ra["LUMOAUTH_URL"], "http://"+want+":") {
		t.Errorf("LUMOAUTH_URL=%s, want host %s", ra["LUMOAUTH_URL"], want)
	}
	client := clitest.NewEnv(t)
	for k, v := range ra {
		client.Set(k, v)
	}
	if r := client.Run("", "whoami", "--insecure", "--mcp-url", urlAfter(printed, "financial MCP server (embedded)")); r.Code != cli.ExitOK {
		t.Errorf("whoami through %s: exit %d %s", ra["LUMOAUTH_URL"], r.Code, r.Stderr)
	}
	res := stop()
	if !strings.Contains(res.Stderr, "warning: serve listens on 0.0.0.0:0, reachable from the network") || !strings.Contains(res.Stderr, want) {
		t.Errorf("no warning about the network on stderr:\n%s", res.Stderr)
	}

	// On loopback there is nothing to warn about.
	_, stop = startServe(t, clitest.NewEnv(t), "--addr", "127.0.0.1:0")
	if res := stop(); strings.Contains(res.Stderr, "warning") {
		t.Errorf("loopback serve warns: %s", res.Stderr)
	}
}

func getJSON(t *testing.T, u string, into any) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: %d %v", u, res.StatusCode, err)
	}
}
