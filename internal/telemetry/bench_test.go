package telemetry

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
)

// unlimited lifts every agent's budget, for benchmarks that run many sessions.
func unlimited(cfg devserver.Config) devserver.Config {
	for i := range cfg.Agents {
		cfg.Agents[i].Budget.MaxTokensPerDay, cfg.Agents[i].Budget.MaxAPICallsPerHour = 0, 0
	}
	return cfg
}

// BenchmarkSessionWithTelemetry runs the whole seed session without telemetry and with it —
// to a real collector (when built), to a port nobody listens on, and to a collector that
// never answers — interleaved in one loop so that all see the same load. It reports each
// variant's time per session and its ratio to the session without telemetry.
func BenchmarkSessionWithTelemetry(b *testing.B) {
	variants := []struct {
		name string
		tel  *Telemetry
	}{{"off", nil}}
	add := func(name string, s Settings) {
		tel, err := New(context.Background(), s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
		variants = append(variants, struct {
			name string
			tel  *Telemetry
		}{name, tel})
	}
	if os.Getenv(telemetrytest.CollectorEnv) != "" {
		add("collector", Settings{OTLP: Signal{Endpoint: telemetrytest.StartCollector(b).GRPC}})
	}
	add("down", Settings{OTLP: Signal{Endpoint: telemetrytest.FreeAddr(b)}, Timeout: 200 * time.Millisecond})
	add("hung", Settings{OTLP: Signal{Endpoint: blackHole(b), Protocol: ProtocolHTTP}, Timeout: time.Minute})

	w := newWorldWith(b, "research-analyst", unlimited(devserver.DefaultConfig()))
	took := make([]time.Duration, len(variants))
	for b.Loop() {
		for i, v := range variants {
			start := time.Now()
			if out := w.run(b, v.tel); out != session.OutcomeOK {
				b.Fatalf("%s: outcome %s", v.name, out)
			}
			took[i] += time.Since(start)
		}
	}
	for i, v := range variants {
		b.ReportMetric(float64(took[i].Nanoseconds())/float64(b.N), v.name+"-ns/session")
		if i > 0 {
			b.ReportMetric(float64(took[i])/float64(took[0]), v.name+"/off")
		}
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkEmit is the sink's cost per event: a recorded seed session replayed into a
// Telemetry whose collector never answers (so the span queue is full and spans are dropped).
func BenchmarkEmit(b *testing.B) {
	w := newWorld(b, "research-analyst")
	if out := w.run(b, nil); out != session.OutcomeOK {
		b.Fatal(out)
	}
	events := w.events.All()
	tel, err := New(context.Background(), Settings{OTLP: Signal{Endpoint: blackHole(b), Protocol: ProtocolHTTP}, Timeout: time.Minute}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, e := range events {
			tel.Emit(e)
		}
		n += len(events)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/event")
}
