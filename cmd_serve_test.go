package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth/devserver"
)

// lockedBuffer is a bytes.Buffer safe for a writer goroutine and a reading test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// parseExports returns, per client id, the variables of its export block.
func parseExports(out string) map[string]map[string]string {
	blocks := map[string]map[string]string{}
	var cur map[string]string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		kv, ok := strings.CutPrefix(line, "export ")
		if !ok {
			cur = nil
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		v = strings.Trim(v, "'")
		if cur == nil {
			cur = map[string]string{}
		}
		cur[k] = v
		if k == "AGENT_CLIENT_ID" {
			blocks[v] = cur
		}
	}
	return blocks
}

func TestServePrintsExportsThatWhoamiCanUse(t *testing.T) {
	dir := isolate(t)
	var extraStarted, extraStopped bool
	saved := serveExtras
	serveExtras = append(serveExtras, func(_ context.Context, _ *globalFlags, _ *fileConfig, dev *devserver.Server, out io.Writer) (func(), error) {
		extraStarted = dev.URL() != ""
		io.WriteString(out, "extra part ready\n")
		return func() { extraStopped = true }, nil
	})
	t.Cleanup(func() { serveExtras = saved })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	g := &globalFlags{envFile: filepath.Join(dir, "none.env")}
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, g, &serveFlags{addr: "127.0.0.1:0"}, out) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "serving; press Ctrl+C") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	printed := out.String()
	if !extraStarted || !strings.Contains(printed, "extra part ready") {
		t.Error("serveExtras were not started")
	}
	exports := parseExports(printed)
	for _, name := range []string{"research-analyst", "junior-analyst", "capped-analyst", "operator"} {
		vars := exports[name]
		for _, k := range []string{"LUMOAUTH_URL", "LUMOAUTH_TENANT", "LUMOAUTH_ORG_ID", "AGENT_CLIENT_SECRET"} {
			if vars[k] == "" {
				t.Errorf("%s: no export %s in:\n%s", name, k, printed)
			}
		}
	}
	ra := exports["research-analyst"]
	for k, v := range ra {
		t.Setenv(k, v)
	}
	whoami, code, err := runCLI(t, "whoami", "--env-file", g.envFile, "--audience", "urn:mcp:financial-data")
	if code != exitOK {
		t.Fatalf("whoami against serve: exit %d %v\n%s", code, err, whoami)
	}
	if !strings.Contains(whoami, "Research Analyst") || !strings.Contains(whoami, "mcp:financial") ||
		!strings.Contains(whoami, "LumoAuth · "+strings.TrimPrefix(ra["LUMOAUTH_URL"], "http://")) {
		t.Errorf("whoami output:\n%s", whoami)
	}
	if strings.Contains(whoami, ra["AGENT_CLIENT_SECRET"]) || jwtPattern.MatchString(whoami) {
		t.Error("whoami reveals the secret or a raw token")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
	if !extraStopped {
		t.Error("serveExtras were not stopped")
	}
	if _, err := http.Get(ra["LUMOAUTH_URL"]); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

func TestServeBadAddressAndFile(t *testing.T) {
	dir := isolate(t)
	g := &globalFlags{envFile: filepath.Join(dir, "none.env")}
	if err := runServe(context.Background(), g, &serveFlags{addr: "256.0.0.1:99999"}, io.Discard); err == nil {
		t.Error("serve accepted an impossible address")
	}
	err := runServe(context.Background(), g, &serveFlags{addr: "127.0.0.1:0", devserver: filepath.Join(dir, "missing.yaml")}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing devserver file: %v", err)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"abc-1_2": "abc-1_2", "http://127.0.0.1:8787": "http://127.0.0.1:8787",
		"it's": `'it'\''s'`, "a b": "'a b'", "": "''", "$(rm)": "'$(rm)'"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}
