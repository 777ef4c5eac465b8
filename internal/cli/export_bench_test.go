package cli

import (
	"io"
	"testing"

	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/sessiontest"
)

// BenchmarkExport100k: a generated 100,000-event transcript. decode only reads and decodes
// every event (the floor export is measured against); md, json and events are the streamed
// export's formats; load-all-md is the Markdown report as export made it before, from the
// whole transcript in memory. peak-RSS is one export in a process of its own.
func BenchmarkExport100k(b *testing.B) {
	path := sessiontest.WriteTranscript(b, 100_000)
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			r, err := session.OpenTranscript(path)
			if err != nil {
				b.Fatal(err)
			}
			for _, err := range r.All() {
				if err != nil {
					b.Fatal(err)
				}
			}
			r.Close()
		}
	})
	for _, format := range []string{"md", "json", "events", "load-all-md"} {
		b.Run(format, func(b *testing.B) {
			for b.Loop() {
				if err := exportCase(format, path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, format := range []string{"md", "events", "load-all-md"} {
		b.Run("peak-RSS/"+format, func(b *testing.B) {
			var mib float64
			for b.Loop() {
				mib = sessiontest.PeakRSS(b, "TestExportPeakChild", format, path)
			}
			b.ReportMetric(mib, "peak-MiB")
		})
	}
}

func exportCase(format, path string) error {
	if format != "load-all-md" {
		return exportTranscript(path, format, io.Discard, io.Discard)
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
