package telemetry

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
)

// TestExportTranscript: a recorded session sent afterwards gives the same span tree as the
// live export, with the recorded times; a transcript cut mid-request ends its open spans at
// its last event, marked unfinished.
func TestExportTranscript(t *testing.T) {
	col := telemetrytest.StartCollector(t)
	w := newWorld(t, "research-analyst")
	if out := w.run(t, nil); out != session.OutcomeOK {
		t.Fatalf("outcome %s", out)
	}
	events, err := session.ReadTranscript(w.runner.TranscriptPath())
	if err != nil {
		t.Fatal(err)
	}
	s := Settings{OTLP: Signal{Endpoint: "http://" + col.GRPC}}
	st, err := ExportTranscript(context.Background(), slices.Values(events), s, Options{})
	if err != nil || st.Spans != 9 || st.Exported != 9 {
		t.Fatalf("ExportTranscript: %+v, %v", st, err)
	}
	spans := telemetrytest.WaitFor(t, col, telemetrytest.ReadSpans, func(s []telemetrytest.Span) bool { return len(s) >= 9 }, "the transcript's spans")
	run := &seedRun{col: col, worlds: map[string]*world{"research-analyst": w}, spans: spans, roots: map[string]telemetrytest.Span{}}
	for _, sp := range spans {
		if sp.ParentSpanID == "" {
			run.roots["research-analyst"] = sp
		}
	}
	if got, _ := renderTree(spans, run.roots["research-analyst"], 0); strings.TrimSpace(got) != strings.TrimSpace(seedAgents[0].tree) {
		t.Errorf("exported transcript tree:\n%s\nwant:\n%s", got, strings.TrimSpace(seedAgents[0].tree))
	}
	m := eventsOf(w, session.KindMCPCall)[0]
	wantTimes(t, run.spanNamed(t, "research-analyst", "tools/call get_metric", 0), m.Time.Add(-m.Duration).UnixNano(), m.Time.UnixNano())
	for i, call := range eventsOf(w, session.KindToolCall) {
		wantTimes(t, run.spanNamed(t, "research-analyst", "execute_tool "+call.Tool, 0), call.Time.UnixNano(), eventsOf(w, session.KindToolResult)[i].Time.UnixNano())
	}

	// Cut the transcript in the middle of the MCP tool call.
	var cut []session.Event
	for _, e := range events {
		cut = append(cut, e)
		if e.Kind == session.KindTokenExchange {
			break
		}
	}
	if _, err := ExportTranscript(context.Background(), slices.Values(cut), s, Options{}); err != nil {
		t.Fatal(err)
	}
	all := telemetrytest.WaitFor(t, col, telemetrytest.ReadSpans, func(s []telemetrytest.Span) bool { return len(s) >= 9+7 }, "the cut transcript's spans")
	last := cut[len(cut)-1].Time.UnixNano()
	if len(all) != 9+7 {
		t.Errorf("the cut transcript gave %d spans, want 7", len(all)-9)
	}
	unfinished := 0
	for _, sp := range all[9:] {
		switch sp.Name {
		case "invoke_agent Research Analyst", "execute_tool query_financial_mcp":
			unfinished++
			if sp.Status.Code != 2 || sp.Nanos(sp.End) != last || sp.Attr("error.type") == "" {
				t.Errorf("%s of a cut transcript: status %d, error.type %q, end %s (last event %d)", sp.Name, sp.Status.Code, sp.Attr("error.type"), sp.End, last)
			}
		}
	}
	if unfinished != 2 {
		t.Errorf("%d of the request and tool call spans of the cut transcript were exported", unfinished)
	}

	if _, err := ExportTranscript(context.Background(), slices.Values(events), Settings{}, Options{}); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("without a collector: %v", err)
	}
}
