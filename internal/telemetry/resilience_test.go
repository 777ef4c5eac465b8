package telemetry

import (
	"context"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
)

// blackHole accepts connections and never answers: a collector that hangs.
func blackHole(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// TestAbsentCollectorIsReportedOnce: with nothing listening, the session runs as usual, the
// user is told once (not per batch, not per signal), Shutdown says what was lost, and the
// transcript has every event.
func TestAbsentCollectorIsReportedOnce(t *testing.T) {
	for _, protocol := range []string{ProtocolGRPC, ProtocolHTTP} {
		t.Run(strings.ReplaceAll(protocol, "/", "-"), func(t *testing.T) {
			addr := telemetrytest.FreeAddr(t) // closed again: nothing listens there
			w := newWorld(t, "research-analyst")
			var told record.Log[string]
			tel, err := New(context.Background(), Settings{OTLP: Signal{Endpoint: addr, Protocol: protocol}, Timeout: 300 * time.Millisecond},
				Options{Notice: told.Emit})
			if err != nil {
				t.Fatal(err)
			}
			if out := w.run(t, tel); out != session.OutcomeOK {
				t.Fatalf("outcome %s with the collector down", out)
			}
			err = tel.Shutdown(context.Background())
			if err == nil || !strings.Contains(err.Error(), "did not reach the collector at http://"+addr) || !strings.Contains(err.Error(), "the transcript keeps every event") {
				t.Errorf("shutdown error %v", err)
			}
			if st := tel.Stats(); st.Spans != 9 || st.Exported != 0 || st.Lost() != 9 {
				t.Errorf("stats %+v, want 9 spans, none exported", st)
			}
			if n := told.All(); len(n) != 1 || !strings.Contains(n[0], addr) || !strings.Contains(n[0], "the session goes on") {
				t.Errorf("notices %q, want exactly one naming %s", n, addr)
			}
			if again := tel.Shutdown(context.Background()); again == nil || again.Error() != err.Error() {
				t.Errorf("second shutdown %v", again)
			}
			recorded, err := session.ReadTranscript(w.runner.TranscriptPath())
			if err != nil || len(recorded) == 0 || len(recorded) != len(w.events.All()) {
				t.Errorf("transcript has %d events (%v), the bus carried %d", len(recorded), err, len(w.events.All()))
			}
		})
	}
}

// TestHungCollectorDoesNotHoldTheSession: a collector that accepts and never answers (one
// export would wait the whole 60 s exporter timeout) neither slows the session nor holds
// its end longer than ShutdownTimeout. The limits are generous for a loaded machine and far
// below what waiting for the export would take.
func TestHungCollectorDoesNotHoldTheSession(t *testing.T) {
	addr := blackHole(t)
	w := newWorld(t, "research-analyst")
	tel, err := New(context.Background(), Settings{OTLP: Signal{Endpoint: "http://" + addr, Protocol: ProtocolHTTP}, Timeout: time.Minute}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if out := w.run(t, tel); out != session.OutcomeOK {
		t.Fatalf("outcome %s", out)
	}
	sessionTook := time.Since(start)
	start = time.Now()
	err = tel.Shutdown(context.Background())
	shutdownTook := time.Since(start)
	if sessionTook > 20*time.Second || shutdownTook > ShutdownTimeout+18*time.Second {
		t.Errorf("session took %s and shutdown %s with a hung collector (exporter timeout 1 min)", sessionTook, shutdownTook)
	}
	if err == nil || !strings.Contains(err.Error(), "did not reach the collector") {
		t.Errorf("shutdown error %v", err)
	}
}

// TestOffWhenNothingIsSet: no endpoint means no Telemetry, no goroutine, and a nil
// *Telemetry works as a Sink and in every method the CLI calls.
func TestOffWhenNothingIsSet(t *testing.T) {
	env := map[string]string{"OTEL_SERVICE_NAME": "x", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
	s, err := EnvSettings(func(k string) string { return env[k] })
	if err != nil || s.Enabled() {
		t.Fatalf("settings %+v enabled %v (%v) without an endpoint", s, s.Enabled(), err)
	}
	before := runtime.NumGoroutine()
	tel, err := New(context.Background(), s, Options{})
	if tel != nil || err != nil {
		t.Fatalf("New = %v, %v; want nil, nil", tel, err)
	}
	var sink session.Sink = tel
	sink.Emit(session.Event{Kind: session.KindPrompt, Text: "x"})
	ctx := context.Background()
	if tel.Context(ctx) != ctx || tel.WrapTransport(nil) != nil || tel.Shutdown(ctx) != nil || tel.Stats() != (Stats{}) {
		t.Error("a nil Telemetry did something")
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines after New with telemetry off, %d before", after, before)
	}
	disabled := Settings{OTLP: Signal{Endpoint: "localhost:4317"}, Disabled: true}
	if tel, err := New(ctx, disabled, Options{}); tel != nil || err != nil {
		t.Errorf("OTEL_SDK_DISABLED: New = %v, %v", tel, err)
	}
}
