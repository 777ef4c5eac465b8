// Package testpeers finds the real third-party peers (Node.js programs from npm: the MCP
// TypeScript SDK, MCP Inspector, server-everything, the openai SDK, jose) that tests talk to.
// They are installed into this folder by `npm ci --prefix internal/testpeers` (.ci/run does
// it). Without them a test skips with that command, so `go test ./...` works on a machine
// with nothing but Go; with LUMODASH_REQUIRE_PEERS=1 (set in CI) a missing peer fails it.
package testpeers

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// RequireEnv, when set to 1, turns a missing peer into a test failure instead of a skip.
const RequireEnv = "LUMODASH_REQUIRE_PEERS"

// Dir is this folder: where package.json and node_modules are.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// Node returns the path of the node binary and the node_modules folder holding pkg (an npm
// package name such as "@modelcontextprotocol/sdk"), or skips (fails under RequireEnv) when
// either is missing.
func Node(t testing.TB, pkg string) (node, modules string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node is not installed")
	}
	modules = filepath.Join(Dir(), "node_modules")
	if _, err := os.Stat(filepath.Join(modules, pkg, "package.json")); err != nil {
		missing(t, "npm package "+pkg+" is not installed")
	}
	return node, modules
}

// Script copies the Node script at src into a temporary folder beside a link to modules
// (Node resolves a script's imports from the node_modules next to it) and returns its path.
func Script(t testing.TB, modules, src string) string {
	t.Helper()
	body, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(script, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	return script
}

func missing(t testing.TB, what string) {
	t.Helper()
	msg := what + "; install the test peers with: npm ci --prefix internal/testpeers"
	if os.Getenv(RequireEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Everything runs the reference MCP server (npm @modelcontextprotocol/server-everything)
// over streamable HTTP and returns its endpoint. It checks no token: what these tests show
// is lumodash's gate in front of a server that the user brings.
func Everything(t testing.TB) string {
	t.Helper()
	node, modules := Node(t, "@modelcontextprotocol/server-everything")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(node, filepath.Join(modules, "@modelcontextprotocol/server-everything/dist/index.js"), "streamableHttp")
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan string, 1)
	go func() { // the server says when it listens (transports/streamableHttp.js)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on port") {
				ready <- ""
			} else if strings.Contains(sc.Text(), "Failed to start") {
				ready <- sc.Text()
			}
		}
	}()
	select {
	case msg := <-ready:
		if msg != "" {
			t.Fatal(msg)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("server-everything did not start within 60s")
	}
	return "http://127.0.0.1:" + strconv.Itoa(port) + "/mcp"
}
