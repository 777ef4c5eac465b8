package telemetry

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/lumodash/lumodash/session"
)

// ShutdownTimeout bounds Shutdown when its context has no earlier deadline: a session never
// waits longer than this for a slow or absent collector when it ends.
const ShutdownTimeout = 2 * time.Second

// maxAttributeLength caps one attribute value (captured conversations grow with every
// turn) unless OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT says otherwise, so that a batch stays
// under what collectors accept (gRPC: 4 MiB a message by default).
const maxAttributeLength = 64 << 10

func spanLimits() sdktrace.SpanLimits {
	l := sdktrace.NewSpanLimits() // the OTEL_SPAN_* and OTEL_ATTRIBUTE_* variables
	if l.AttributeValueLengthLimit < 0 {
		l.AttributeValueLengthLimit = maxAttributeLength
	}
	return l
}

// errQueueFull explains spans lost without an export error: the batch queue was full.
var errQueueFull = errors.New("the export queue was full")

// scope names lumodash's instrumentation in the exported data.
const scope = "github.com/lumodash/lumodash/internal/telemetry"

// Options are what the program adds to the Settings.
type Options struct {
	// Notice receives one sentence, once, when export fails (collector down, refused, slow
	// past the exporter's timeout): the CLI prints or logs it. It is called from the export
	// goroutine and must not block.
	Notice func(string)
	// Version is lumodash's version, exported as service.version.
	Version string
}

// Telemetry is a session.Sink that exports the sessions on its bus as OTLP traces and
// metrics. A nil *Telemetry (telemetry off) is a valid Sink that does nothing.
type Telemetry struct {
	traces  *traceBuilder
	metrics *meters
	tp      *sdktrace.TracerProvider // nil when traces are off
	mp      *sdkmetric.MeterProvider // nil when metrics are off
	guard   *guard
	stop    sync.Once
	stopErr error
}

// New starts export as s says, or returns nil (and no error) when s enables nothing: then no
// exporter exists and no goroutine runs. Subscribe the result to the session Bus, pass
// Context(ctx) to the runner's Ask, and call Shutdown when the program ends.
func New(ctx context.Context, s Settings, opts Options) (*Telemetry, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	if !s.Enabled() {
		return nil, nil
	}
	return newTelemetry(ctx, s, opts, true, false)
}

// newTelemetry builds the pipeline; blocking makes a full span queue wait instead of dropping
// (for ExportTranscript, which has no session to keep fast).
func newTelemetry(ctx context.Context, s Settings, opts Options, withMetrics, blocking bool) (*Telemetry, error) {
	silenceGlobals()
	res := newResource(s, opts.Version)
	t := &Telemetry{guard: &guard{notice: opts.Notice}}
	tracer := trace.Tracer(noop.NewTracerProvider().Tracer(scope))
	if g := s.signal(s.Traces); g.Endpoint != "" && !g.Disabled {
		exp, where, err := newSpanExporter(ctx, s)
		if err != nil {
			return nil, err
		}
		t.guard.endpoint = where
		bsp := []sdktrace.BatchSpanProcessorOption{}
		if blocking {
			bsp = append(bsp, sdktrace.WithBlocking())
		}
		t.tp = sdktrace.NewTracerProvider(sdktrace.WithResource(res), sdktrace.WithSampler(sdktrace.AlwaysSample()),
			sdktrace.WithRawSpanLimits(spanLimits()), sdktrace.WithBatcher(guardedSpans{exp, t.guard}, bsp...))
		tracer = t.tp.Tracer(scope, trace.WithInstrumentationVersion(opts.Version), trace.WithSchemaURL(semconv.SchemaURL))
	}
	t.traces = newTraceBuilder(tracer, s.CaptureContent, func(n int) {
		if t.tp != nil {
			t.guard.ended.Add(int64(n))
		}
	})
	if g := s.signal(s.Metrics); withMetrics && g.Endpoint != "" && !g.Disabled {
		exp, where, err := newMetricExporter(ctx, s)
		if err != nil {
			_ = t.Shutdown(ctx)
			return nil, err
		}
		if t.guard.endpoint == "" {
			t.guard.endpoint = where
		}
		t.mp = sdkmetric.NewMeterProvider(sdkmetric.WithResource(res),
			sdkmetric.WithReader(sdkmetric.NewPeriodicReader(guardedMetrics{exp, t.guard})))
		if t.metrics, err = newMeters(t.mp.Meter(scope, metricVersion(opts.Version)...)); err != nil {
			_ = t.Shutdown(ctx)
			return nil, fmt.Errorf("telemetry: creating the metric instruments: %w", err)
		}
	}
	return t, nil
}

// Emit implements session.Sink. It only updates spans and instruments in memory; export
// happens in the SDK's own goroutines, from bounded queues.
func (t *Telemetry) Emit(e session.Event) {
	if t == nil || e.Kind == session.KindModelDelta || e.Session == noticeSession {
		return
	}
	w := t.traces.emit(e)
	if t.metrics != nil {
		t.metrics.emit(e, w)
	}
}

// Shutdown flushes what is queued and stops export, waiting at most ShutdownTimeout (or
// ctx's earlier deadline). Its error says how many spans did not reach the collector and
// why; the transcript has them all. Calling it again returns the same result.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.shutdown(ctx, ShutdownTimeout, time.Now())
}

// shutdown ends the spans still open at closeAt, then flushes for at most timeout.
func (t *Telemetry) shutdown(ctx context.Context, timeout time.Duration, closeAt time.Time) error {
	t.stop.Do(func() {
		t.traces.closeAll(closeAt)
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var wg sync.WaitGroup
		var terr, merr error
		if t.tp != nil {
			wg.Go(func() { terr = t.tp.Shutdown(ctx) })
		}
		if t.mp != nil {
			wg.Go(func() { merr = t.mp.Shutdown(ctx) })
		}
		wg.Wait()
		st := t.guard.stats()
		cause := cmp.Or(st.Err, terr, merr)
		switch {
		case st.Lost() > 0:
			t.stopErr = fmt.Errorf("telemetry: %d of %d spans did not reach the collector at %s (%v); the transcript keeps every event", st.Lost(), st.Spans, t.guard.endpoint, cmp.Or(cause, errQueueFull))
		case cause != nil:
			t.stopErr = fmt.Errorf("telemetry: the session's metrics did not reach the collector at %s (%v)", t.guard.endpoint, cause)
		}
	})
	return t.stopErr
}

// Stats says how much has reached the collector so far.
func (t *Telemetry) Stats() Stats {
	if t == nil {
		return Stats{}
	}
	return t.guard.stats()
}

func metricVersion(version string) []metric.MeterOption {
	opts := []metric.MeterOption{metric.WithSchemaURL(semconv.SchemaURL)}
	if version != "" {
		opts = append(opts, metric.WithInstrumentationVersion(version))
	}
	return opts
}
