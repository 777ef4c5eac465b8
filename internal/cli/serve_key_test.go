package cli_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
)

// startServe runs `lumodash serve ARGS` in env until the returned stop is called, and returns
// what it printed once it serves.
func startServe(t *testing.T, env *clitest.Env, args ...string) (printed string, stop func() clitest.Result) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &clitest.Output{}
	done := make(chan clitest.Result, 1)
	go func() { done <- env.RunContext(ctx, "", out, append([]string{"serve"}, args...)...) }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "serving; press Ctrl+C") {
		select {
		case r := <-done:
			cancel()
			t.Fatalf("serve exited %d before serving: %s\n%s", r.Code, r.Stderr, r.Stdout)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var once clitest.Result
	stopped := false
	return out.String(), func() clitest.Result {
		if !stopped {
			cancel()
			select {
			case once = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop after cancellation")
			}
			stopped = true
		}
		return once
	}
}

// bannerLine is the value after label on the banner line "  label  value".
func bannerLine(printed, label string) string {
	for _, line := range strings.Split(printed, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == label {
			return f[1]
		}
	}
	return ""
}

// analystToken is a research-analyst token from the serve that printed exports.
func analystToken(t *testing.T, printed string) string {
	t.Helper()
	ra := parseExports(printed)["research-analyst"]
	cc := clientcredentials.Config{ClientID: ra["AGENT_CLIENT_ID"], ClientSecret: ra["AGENT_CLIENT_SECRET"],
		TokenURL: bannerLine(printed, "issuer") + "/oauth/token"}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatalf("client credentials against serve: %v", err)
	}
	return tok.AccessToken
}

func userinfoStatus(t *testing.T, issuer, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", issuer+"/oauth/userinfo", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	res.Body.Close()
	return res.StatusCode
}

// The signing key is kept in the state directory (0600): a restarted serve still accepts the
// tokens issued before it; --ephemeral-key and LUMODASH_EPHEMERAL_KEY=1 do not (issue 16 item 1).
func TestServeKeepsItsSigningKeyAcrossRestarts(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	keyFile := filepath.Join(env.Dir, "state", "lumodash", "devserver-signing-key.pem")
	first, stop := startServe(t, env, "--addr", "127.0.0.1:0")
	if got := bannerLine(first, "key"); got != keyFile {
		t.Errorf("banner key = %q, want %s:\n%s", got, keyFile, first)
	}
	issuer := bannerLine(first, "issuer")
	tok := analystToken(t, first)
	stop()
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %s: %v, mode %v; want 0600", keyFile, err, fi.Mode())
	}
	addr := strings.TrimPrefix(strings.SplitN(issuer, "/orgs/", 2)[0], "http://")

	again, stop := startServe(t, env, "--addr", addr)
	if bannerLine(again, "issuer") != issuer {
		t.Fatalf("restart on %s has issuer %s, want %s", addr, bannerLine(again, "issuer"), issuer)
	}
	if st := userinfoStatus(t, issuer, tok); st != http.StatusOK {
		t.Errorf("a token issued before the restart: userinfo %d, want 200", st)
	}
	stop()

	for _, ephemeral := range [][]string{{"--ephemeral-key"}, {}} {
		e := clitest.NewEnv(t)
		e.Set("XDG_STATE_HOME", env.Getenv("XDG_STATE_HOME"))
		if len(ephemeral) == 0 {
			e.Set("LUMODASH_EPHEMERAL_KEY", "1")
		}
		printed, stop := startServe(t, e, append([]string{"--addr", addr}, ephemeral...)...)
		if got := bannerLine(printed, "key"); got != "ephemeral" {
			t.Errorf("%v: banner key = %q, want ephemeral", ephemeral, got)
		}
		if st := userinfoStatus(t, issuer, tok); st != http.StatusUnauthorized {
			t.Errorf("%v: the stored key's token on an ephemeral key: userinfo %d, want 401", ephemeral, st)
		}
		stop()
	}
}

// A key file others may read is not used: the run goes on with an ephemeral key and says why
// and what to do; a bad LUMODASH_EPHEMERAL_KEY is a configuration error that names it.
func TestEmbeddedKeyFileThatCannotBeUsed(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	env.WriteFile("state/lumodash/devserver-signing-key.pem", "not a key\n")
	keyFile := filepath.Join(env.Dir, "state", "lumodash", "devserver-signing-key.pem")
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	r := env.Run("", "whoami")
	if r.Code != cli.ExitOK || !strings.Contains(r.Stderr, "notice: the embedded server's signing key is ephemeral") ||
		!strings.Contains(r.Stderr, "chmod 600 "+keyFile) {
		t.Errorf("whoami with a 0644 key file: exit %d, stderr:\n%s", r.Code, r.Stderr)
	}
	printed, stop := startServe(t, env, "--addr", "127.0.0.1:0")
	if r := stop(); bannerLine(printed, "key") != "ephemeral" || !strings.Contains(r.Stderr, "notice:") || !strings.Contains(r.Stderr, "chmod 600") {
		t.Errorf("serve with a 0644 key file:\n%s\nstderr:\n%s", printed, r.Stderr)
	}

	env.Set("LUMODASH_EPHEMERAL_KEY", "maybe")
	if r := env.Run("", "whoami"); r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, `LUMODASH_EPHEMERAL_KEY="maybe"`) {
		t.Errorf("LUMODASH_EPHEMERAL_KEY=maybe: exit %d, %s", r.Code, r.Stderr)
	}
}
