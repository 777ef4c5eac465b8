package cli

import (
	"context"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/sessiontest"
)

// BenchmarkExport100k: a generated 100,000-event transcript. Each iteration runs, in a
// rotating order so that all see the same machine load: decode (only reading and decoding
// every event: the floor export is measured against), the streamed export's formats md, json
// and events, and load-all-md (the Markdown report as export made it before, from the whole
// transcript in memory); it reports each one's time per export and its ratio to decode, in
// wall time and in the process's CPU time (which another tenant's load does not stretch).
// Each case is timed from one collected heap to the next, so it pays for its own garbage.
// peak-RSS is one export in a process of its own (none: the process doing nothing; otlp:
// the session sent to a real collector, when one is built: see telemetrytest; load-all-otlp:
// the same from the whole transcript in memory).
func BenchmarkExport100k(b *testing.B) {
	path := sessiontest.WriteTranscript(b, 100_000)
	cases := []string{"decode", "md", "json", "events", "load-all-md"}
	b.Run("interleaved", func(b *testing.B) {
		took, cpu := make([]time.Duration, len(cases)), make([]time.Duration, len(cases))
		for i := 0; b.Loop(); i++ {
			for j := range cases {
				c := (i + j) % len(cases)
				runtime.GC() // each case starts from the same heap, and pays for its own garbage
				t0, c0 := time.Now(), sessiontest.ProcessCPU()
				if err := exportCase(cases[c], path); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				took[c] += time.Since(t0)
				cpu[c] += sessiontest.ProcessCPU() - c0
			}
		}
		for c, name := range cases {
			b.ReportMetric(took[c].Seconds()/float64(b.N), name+"-s")
			if c > 0 {
				b.ReportMetric(float64(took[c])/float64(took[0]), name+"/decode")
				if cpu[0] > 0 {
					b.ReportMetric(float64(cpu[c])/float64(cpu[0]), name+"/decode-cpu")
				}
			}
		}
	})
	for _, format := range []string{"none", "md", "events", "load-all-md", formatOTLP, "load-all-otlp"} {
		b.Run("peak-RSS/"+format, func(b *testing.B) {
			if strings.HasSuffix(format, formatOTLP) { // the child sends to a real collector
				col := telemetrytest.StartCollector(b)
				b.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+col.GRPC)
			}
			var mib float64
			for b.Loop() {
				mib = sessiontest.PeakRSS(b, "TestExportPeakChild", format, path)
			}
			b.ReportMetric(mib, "peak-MiB")
		})
	}
}

func exportCase(format, path string) error {
	switch format {
	case "none":
		return nil
	case "decode":
		r, err := session.OpenTranscript(path)
		if err != nil {
			return err
		}
		defer r.Close()
		for _, err := range r.All() {
			if err != nil {
				return err
			}
		}
		return nil
	case "md", "json", "events":
		return exportTranscript(path, format, io.Discard, io.Discard)
	case formatOTLP:
		cmd := &cobra.Command{}
		cmd.SetContext(context.Background())
		cmd.SetOut(io.Discard)
		return exportOTLP(cmd, app.DefaultSettings(os.Getenv), path, "")
	case "load-all-otlp": // as export --format otlp did before: every event in memory first
		events, err := session.ReadTranscript(path)
		if err != nil {
			return err
		}
		_, err = app.ExportTranscript(context.Background(), app.DefaultSettings(os.Getenv), slices.Values(events))
		return err
	}
	events, err := session.ReadTranscript(path)
	if err != nil {
		return err
	}
	_, err = io.WriteString(io.Discard, present.Markdown(session.Summarize(events)))
	return err
}

// TestExportPeakChild is BenchmarkExport100k's child process (skipped in ordinary runs).
func TestExportPeakChild(t *testing.T) {
	format, path := sessiontest.PeakCase()
	if format == "" {
		t.Skip("a child of BenchmarkExport100k")
	}
	if err := exportCase(format, path); err != nil {
		t.Fatal(err)
	}
	sessiontest.PrintPeakRSS(t)
}
