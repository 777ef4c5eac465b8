package cli

import (
	"io"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/sessiontest"
)

// BenchmarkExport100k: a generated 100,000-event transcript. Each iteration runs, in a
// rotating order so that all see the same machine load: decode (only reading and decoding
// every event: the floor export is measured against), the streamed export's formats md, json
// and events, and load-all-md (the Markdown report as export made it before, from the whole
// transcript in memory); it reports each one's time per export and its ratio to decode.
// peak-RSS is one export in a process of its own (none: the process doing nothing).
func BenchmarkExport100k(b *testing.B) {
	path := sessiontest.WriteTranscript(b, 100_000)
	cases := []string{"decode", "md", "json", "events", "load-all-md"}
	b.Run("interleaved", func(b *testing.B) {
		took := make([]time.Duration, len(cases))
		for i := 0; b.Loop(); i++ {
			for j := range cases {
				c := (i + j) % len(cases)
				t0 := time.Now()
				if err := exportCase(cases[c], path); err != nil {
					b.Fatal(err)
				}
				took[c] += time.Since(t0)
			}
		}
		for c, name := range cases {
			b.ReportMetric(took[c].Seconds()/float64(b.N), name+"-s")
			if c > 0 {
				b.ReportMetric(float64(took[c])/float64(took[0]), name+"/decode")
			}
		}
	})
	for _, format := range []string{"none", "md", "events", "load-all-md"} {
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
