package telemetry

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/lumodash/lumodash/session"
)

// guard watches the exporters: it counts the spans handed to the SDK and those the
// collector took, and tells the user once when export fails. The session never waits on it.
type guard struct {
	endpoint string
	notice   func(string)
	once     sync.Once

	ended    atomic.Int64 // spans ended (handed to the batch processor)
	exported atomic.Int64 // spans the collector accepted
	mu       sync.Mutex
	firstErr error
}

// trouble records an export failure; the first one becomes the notice.
func (g *guard) trouble(err error) {
	g.mu.Lock()
	if g.firstErr == nil {
		g.firstErr = err
	}
	g.mu.Unlock()
	g.once.Do(func() {
		if g.notice != nil {
			g.notice(fmt.Sprintf("telemetry: sending to the collector at %s failed (%v); the session goes on, its transcript keeps every event, and later failures are not reported", g.endpoint, err))
		}
	})
}

// noticeSession is the session id of NoticeEvent: no session's, so no transcript records it.
const noticeSession = "telemetry"

// NoticeEvent is a notice as a bus event, for a screen that shows the bus (the dashboard's
// log): an error event that belongs to no session, so no transcript records it, and that
// Telemetry itself ignores (it says nothing about the session's spans).
func NoticeEvent(msg string) session.Event {
	return session.Event{Kind: session.KindError, Session: noticeSession, Err: &session.ErrorInfo{Code: "telemetry_export", Message: msg}}
}

// Stats says how much of a session's telemetry reached the collector.
type Stats struct {
	Collector string // where the spans went (a password in the URL hidden)
	Spans     int64  // spans recorded
	Exported  int64  // spans the collector accepted
	Err       error  // the first export failure, if any
}

// Lost is how many spans did not reach the collector (dropped from a full queue, refused,
// or still queued when shutdown ran out of time).
func (s Stats) Lost() int64 { return max(s.Spans-s.Exported, 0) }

func (g *guard) stats() Stats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return Stats{Collector: g.endpoint, Spans: g.ended.Load(), Exported: g.exported.Load(), Err: g.firstErr}
}

// guardedSpans counts what the collector accepted and reports failures.
type guardedSpans struct {
	sdktrace.SpanExporter
	g *guard
}

func (e guardedSpans) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	err := e.SpanExporter.ExportSpans(ctx, spans)
	if err != nil {
		e.g.trouble(err)
		return err
	}
	e.g.exported.Add(int64(len(spans)))
	return nil
}

// guardedMetrics reports metric export failures.
type guardedMetrics struct {
	sdkmetric.Exporter
	g *guard
}

func (e guardedMetrics) Export(ctx context.Context, rm *metricdata.ResourceMetrics) error {
	err := e.Exporter.Export(ctx, rm)
	if err != nil {
		e.g.trouble(err)
	}
	return err
}
