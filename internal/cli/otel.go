package cli

import (
	"fmt"
	"io"
	"sync"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/safetext"
	"github.com/lumodash/lumodash/internal/telemetry"
)

// registerOTelFlags binds the flags of OpenTelemetry export (the dashboard's, run's and
// export's) to t. The OTEL_* variables and the configuration file's otel key fill in what
// they leave unset.
func registerOTelFlags(c *cobra.Command, t *telemetry.Settings) {
	f := c.Flags()
	f.StringVar(&t.OTLP.Endpoint, "otel-endpoint", "", "send sessions as OpenTelemetry traces and metrics to this OTLP collector, e.g. http://localhost:4317 (overrides OTEL_EXPORTER_OTLP_ENDPOINT)")
	f.StringVar(&t.OTLP.Protocol, "otel-protocol", "", "OTLP protocol: grpc (port 4317) or http/protobuf (port 4318) (overrides OTEL_EXPORTER_OTLP_PROTOCOL; default grpc)")
	f.BoolVar(&t.CaptureContent, "otel-capture-content", false, "also export prompts, answers, instructions and tool arguments and results (off: they may hold anything typed or returned)")
}

// syncWriter serialises writes: the telemetry notice comes from the exporter's goroutine
// while the command writes its own lines.
type syncWriter struct {
	sync.Mutex
	w io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) { s.Lock(); defer s.Unlock(); return s.w.Write(p) }

// printTelemetryNotices sends the world's export-failure notice to stderr (run has no
// screen to show it on) and returns the writer the command must use for stderr from now on.
func printTelemetryNotices(w *app.World, stderr io.Writer) io.Writer {
	if w.Telemetry() == nil {
		return stderr
	}
	out := &syncWriter{w: stderr}
	w.SetTelemetryNotice(func(msg string) { fmt.Fprintln(out, "note:", safetext.Line(msg)) })
	return out
}

// endTelemetry flushes the export once the sessions are closed and says, once, what did not
// reach the collector. It never changes the exit code: the transcript has everything.
func endTelemetry(w *app.World, stderr io.Writer) {
	if err := w.ShutdownTelemetry(); err != nil {
		fmt.Fprintln(stderr, "note:", safetext.Line(err.Error()))
	}
}
