// Package clitest runs lumodash's command line in tests, black-box and in parallel: every
// run gets an environment of its own (nothing of the process's) with a private home, config
// and state directory. It is for tests only (internal/cli's and the reliability suite's).
package clitest

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/session"
)

// SeedPrompt is the seed example's prompt.
const SeedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."

// JWT matches anything shaped like a raw JWT.
var JWT = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.`)

// Env is the environment of the runs of one test.
type Env struct {
	Dir string // HOME and XDG_CONFIG_HOME; XDG_STATE_HOME is Dir/state

	t    testing.TB
	mu   sync.Mutex
	vars map[string]string
}

// NewEnv is an empty environment but for HOME, XDG_CONFIG_HOME and XDG_STATE_HOME in a new
// temporary directory.
func NewEnv(t testing.TB) *Env {
	dir := t.TempDir()
	return &Env{Dir: dir, t: t, vars: map[string]string{
		"HOME": dir, "XDG_CONFIG_HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state")}}
}

// Set sets an environment variable of the following runs.
func (e *Env) Set(k, v string) {
	e.mu.Lock()
	e.vars[k] = v
	e.mu.Unlock()
}

// Getenv looks a variable up, as os.Getenv does in the process.
func (e *Env) Getenv(k string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.vars[k]
}

// NoEnvFile is a dotenv path that does not exist, so the working directory's .env is not read.
func (e *Env) NoEnvFile() string { return filepath.Join(e.Dir, "none.env") }

// Transcripts are the transcript files in the state directory.
func (e *Env) Transcripts() []string {
	files, _ := filepath.Glob(filepath.Join(e.Dir, "state", "lumodash", "sessions", "*.jsonl"))
	return files
}

// Result is what one run left.
type Result struct {
	Stdout, Stderr string
	Code           int
	Took           time.Duration
}

// Run runs `lumodash ARGS` with stdin, adding --env-file NoEnvFile unless args name a dotenv file.
func (e *Env) Run(stdin string, args ...string) Result {
	return e.RunContext(context.Background(), stdin, nil, args...)
}

// RunContext is Run with ctx (cancel it to stop `serve`), writing stdout to out as it goes
// (nil: a new Output).
func (e *Env) RunContext(ctx context.Context, stdin string, out *Output, args ...string) Result {
	if out == nil {
		out = &Output{}
	}
	if !hasFlag(args, "--env-file") {
		args = append(args, "--env-file", e.NoEnvFile())
	}
	var errOut Output
	start := time.Now()
	code := cli.Run(ctx, args, cli.IO{Stdin: strings.NewReader(stdin), Stdout: out, Stderr: &errOut, Getenv: e.Getenv})
	return Result{Stdout: out.String(), Stderr: errOut.String(), Code: code, Took: time.Since(start)}
}

// Output is what a command writes, readable by the test while the command runs.
type Output struct {
	mu sync.Mutex
	b  strings.Builder
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// WriteFile writes data to name in Dir (mode 0600) and returns its path.
func (e *Env) WriteFile(name, data string) string {
	p := filepath.Join(e.Dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// Events decodes NDJSON output of any line length (an answer may be megabytes).
func Events(t testing.TB, ndjson string) []session.Event {
	t.Helper()
	events, err := session.DecodeTranscript(strings.NewReader(ndjson), "stdout")
	if err != nil {
		t.Fatalf("stdout is not NDJSON events: %v", err)
	}
	return events
}

// OfKind is the events of kind k, in order.
func OfKind(es []session.Event, k session.Kind) []session.Event {
	var out []session.Event
	for _, e := range es {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}
