// Package telemetrytest runs a real OpenTelemetry Collector for tests (the binary built from
// internal/testcollector) and reads back what it received as OTLP JSON. It is for tests only:
// internal/telemetry's and the command tests of the telemetry wiring share it.
package telemetrytest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/testpeers"
)

// CollectorEnv names the OpenTelemetry Collector binary built from internal/testcollector.
const CollectorEnv = "LUMODASH_OTELCOL"

const collectorBuild = "(cd internal/testcollector && go build -o /tmp/lumodash-otelcol .) && export " + CollectorEnv + "=/tmp/lumodash-otelcol"

// Collector is a real OpenTelemetry Collector on loopback ports: an OTLP receiver (gRPC and
// HTTP) and file exporters writing what it received as OTLP JSON, one line per batch.
type Collector struct {
	GRPC, HTTP string // host:port of the receivers
	dir        string
}

// StartCollector runs the collector for the test, or skips (fails under
// LUMODASH_REQUIRE_PEERS=1) with the build command when it is not built.
func StartCollector(t testing.TB) *Collector {
	t.Helper()
	bin := os.Getenv(CollectorEnv)
	if bin == "" {
		collectorMissing(t, CollectorEnv+" is not set")
	}
	if _, err := os.Stat(bin); err != nil {
		collectorMissing(t, CollectorEnv+"="+bin+" does not exist")
	}
	c := &Collector{GRPC: FreeAddr(t), HTTP: FreeAddr(t), dir: t.TempDir()}
	cfg := fmt.Sprintf(`receivers:
  otlp:
    protocols:
      grpc: {endpoint: %q}
      http: {endpoint: %q}
exporters:
  file/traces: {path: %q, flush_interval: 100ms}
  file/metrics: {path: %q, flush_interval: 100ms}
service:
  telemetry:
    logs: {level: warn}
    metrics: {level: none}
  pipelines:
    traces: {receivers: [otlp], exporters: [file/traces]}
    metrics: {receivers: [otlp], exporters: [file/metrics]}
`, c.GRPC, c.HTTP, c.path("traces"), c.path("metrics"))
	cfgPath := filepath.Join(c.dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(c.path("log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close() // the process has its own copy
	cmd := exec.Command(bin, "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = log, log // a file: the process writes it, no goroutine of ours copies
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the collector %s: %v", bin, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	for _, addr := range []string{c.GRPC, c.HTTP} {
		waitListening(t, addr, c)
	}
	return c
}

func collectorMissing(t testing.TB, what string) {
	t.Helper()
	msg := "the OpenTelemetry Collector for tests is not available (" + what + "); build it with: " + collectorBuild
	if os.Getenv(testpeers.RequireEnv) == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func (c *Collector) path(signal string) string { return filepath.Join(c.dir, signal+".json") }

// Log is what the collector printed so far (warnings and errors).
func (c *Collector) Log() string {
	b, _ := os.ReadFile(c.path("log"))
	return string(b)
}

// FreeAddr is a loopback address with a port free right now.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitListening(t testing.TB, addr string, c *Collector) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the collector did not listen on %s within 30 s:\n%s", addr, c.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Lines are the OTLP JSON batches the collector wrote for signal ("traces" or "metrics") so far.
func (c *Collector) Lines(t testing.TB, signal string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(c.path(signal))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[:i] // a line still being written is read next time
	} else {
		b = nil
	}
	var out [][]byte
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			out = append(out, line)
		}
	}
	return out
}

// Raw is everything the collector received, as written.
func (c *Collector) Raw(t testing.TB) []byte {
	t.Helper()
	var all []byte
	for _, s := range []string{"traces", "metrics"} {
		b, _ := os.ReadFile(c.path(s))
		all = append(all, b...)
	}
	return all
}

// WaitFor polls what the collector wrote until ok says it is complete (the file exporter
// flushes every 100 ms); a 30 s deadline turns a missing export into a clear failure.
func WaitFor[T any](t testing.TB, c *Collector, read func(testing.TB, *Collector) T, ok func(T) bool, what string) T {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v := read(t, c)
		if ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("the collector did not receive %s within 30 s; log:\n%s", what, c.Log())
		}
		time.Sleep(100 * time.Millisecond)
	}
}
