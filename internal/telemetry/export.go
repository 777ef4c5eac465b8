package telemetry

import (
	"context"
	"errors"
	"iter"
	"time"

	"github.com/lumodash/lumodash/session"
)

// ExportTimeout bounds ExportTranscript's wait for the collector when ctx has no earlier
// deadline.
const ExportTimeout = 30 * time.Second

// ErrNotConfigured is returned by ExportTranscript when the settings name no collector.
var ErrNotConfigured = errors.New("telemetry: no collector is configured for traces: set OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), pass --otel-endpoint, or set otel.endpoint in the configuration file")

// ExportTranscript sends a recorded session (the events of a transcript, as they are read:
// it keeps only the spans still open) to the collector as traces, with the times the events were recorded at, and waits until they are
// delivered. Nothing is dropped: a full queue waits. Metrics are not sent: the metrics SDK
// stamps data points when it collects them, so a past session's token use would be counted
// as today's. The returned Stats say how many spans the collector accepted.
func ExportTranscript(ctx context.Context, events iter.Seq[session.Event], s Settings, opts Options) (Stats, error) {
	if err := s.Check(); err != nil {
		return Stats{}, err
	}
	if g := s.signal(s.Traces); s.Disabled || g.Endpoint == "" || g.Disabled {
		return Stats{}, ErrNotConfigured
	}
	t, err := newTelemetry(ctx, s, opts, false, true)
	if err != nil {
		return Stats{}, err
	}
	var last time.Time
	for e := range events {
		t.Emit(e)
		last = e.Time
	}
	err = t.shutdown(ctx, ExportTimeout, last)
	return t.Stats(), err
}
