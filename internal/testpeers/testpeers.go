// Package testpeers finds the real third-party peers (Node.js programs from npm: the MCP
// TypeScript SDK, MCP Inspector, server-everything, the openai SDK, jose) that tests talk to.
// They are installed into this folder by `npm ci --prefix internal/testpeers` (.ci/run does
// it). Without them a test skips with that command, so `go test ./...` works on a machine
// with nothing but Go; with LUMODASH_REQUIRE_PEERS=1 (set in CI) a missing peer fails it.
package testpeers

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
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

func missing(t testing.TB, what string) {
	t.Helper()
	msg := what + "; install the test peers with: npm ci --prefix internal/testpeers"
	if os.Getenv(RequireEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
