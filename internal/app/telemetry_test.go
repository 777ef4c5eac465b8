package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/record"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/ui"
	"github.com/lumodash/lumodash/ui/uitest"
)

// sessionSettings are a bare `lumodash` in env, on the embedded world, recording to dir.
func sessionSettings(dir string, env map[string]string) app.Settings {
	env["HOME"] = dir
	s := app.DefaultSettings(auth.MapEnv(env))
	s.EnvFile, s.Session.Transcript, s.Session.DemoPace = filepath.Join(dir, "none.env"), filepath.Join(dir, "t.jsonl"), 0
	return s
}

// TestTelemetryOffWhenNothingIsSet: without a collector named (or with export turned off)
// the world builds no exporter, for the dashboard and run alike (both open ScopeSessions).
func TestTelemetryOffWhenNothingIsSet(t *testing.T) {
	t.Parallel()
	for name, env := range map[string]map[string]string{
		"nothing":          {},
		"no endpoint":      {"OTEL_SERVICE_NAME": "x", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true"},
		"sdk disabled":     {"OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4317", "OTEL_SDK_DISABLED": "true"},
		"signals disabled": {"OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4317", "OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none"},
	} {
		w, err := app.Open(context.Background(), sessionSettings(t.TempDir(), env), app.ScopeSessions)
		if err != nil {
			t.Fatal(err)
		}
		if w.Telemetry() != nil {
			t.Errorf("%s: a telemetry exporter was built", name)
		}
		if err := w.ShutdownTelemetry(); err != nil {
			t.Errorf("%s: shutdown without telemetry: %v", name, err)
		}
		w.Close()
	}
}

// dashboard opens the world of s and drives a dashboard on it; closeRunners closes the
// runners it built, as ui.Run does on quit.
func dashboard(t *testing.T, s app.Settings) (w *app.World, d *uitest.Driver, closeRunners func()) {
	t.Helper()
	w, err := app.Open(context.Background(), s, app.ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	opts := w.Dashboard(ui.Options{Theme: "dark", NoColor: true, WarnPercent: 80})
	var built record.Log[ui.Runner]
	newRunner := opts.NewRunner
	opts.NewRunner = func(agent string) (ui.Runner, error) {
		r, err := newRunner(agent)
		if r != nil {
			built.Emit(r)
		}
		return r, err
	}
	m, err := ui.New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	d = uitest.New(t, m, uitest.Options{Bus: opts.Bus, Width: 200, Height: 50})
	d.Pump(10*time.Second, func(s string) bool { return strings.Contains(s, "idle") })
	return w, d, func() {
		for _, r := range built.All() {
			_ = r.Close()
		}
	}
}

// TestDashboardExportsItsSessions: the dashboard's bus carries the exporter, and its Ask
// runs under the telemetry context: the tools/call span was started by the MCP request
// itself (only the propagating transport records the MCP session id).
func TestDashboardExportsItsSessions(t *testing.T) {
	t.Parallel()
	col := telemetrytest.StartCollector(t)
	s := sessionSettings(t.TempDir(), map[string]string{"OTEL_SERVICE_NAME": "dashboard-test"})
	s.Telemetry.OTLP.Endpoint = col.GRPC
	w, d, closeRunners := dashboard(t, s)
	if w.Telemetry() == nil {
		t.Fatal("no exporter with an endpoint set")
	}
	d.Type(ui.DefaultSuggestedPrompt)
	d.Press("enter")
	d.Pump(20*time.Second, func(s string) bool { return d.Count(session.KindRequestFinish) == 1 && strings.Contains(s, "idle") })
	closeRunners()
	if err := w.ShutdownTelemetry(); err != nil {
		t.Fatal(err)
	}
	events, err := session.ReadTranscript(w.Transcripts()[0])
	if err != nil {
		t.Fatal(err)
	}
	spans := telemetrytest.SessionSpans(t, col, events[0].Session, 9)
	mcp := telemetrytest.Named(spans, "tools/call get_metric")
	if len(mcp) != 1 || mcp[0].Attr("mcp.session.id") == "" || mcp[0].Resource["service.name"] != "dashboard-test" {
		t.Fatalf("tools/call spans %+v: want one, with mcp.session.id, from service dashboard-test", mcp)
	}
}

// TestDashboardShowsTheExportFailureOnce: with the collector absent the dashboard's log
// tells once (an error event on the bus, never stderr, which the dashboard owns), the
// session goes on, the transcript keeps to the session, and shutdown says what was lost.
func TestDashboardShowsTheExportFailureOnce(t *testing.T) {
	t.Parallel()
	dead := telemetrytest.FreeAddr(t)
	s := sessionSettings(t.TempDir(), map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": dead, "OTEL_EXPORTER_OTLP_TIMEOUT": "300"})
	w, d, closeRunners := dashboard(t, s)
	d.Type(ui.DefaultSuggestedPrompt)
	d.Press("enter")
	// The batch processor sends its first batch 5 s after the spans ended.
	screen := d.Pump(30*time.Second, func(s string) bool { return strings.Contains(s, "telemetry: sending to the collector at http://"+dead) })
	if d.Count(session.KindRequestFinish) != 1 || !strings.Contains(screen, "$4.21M") {
		t.Errorf("the session did not answer with the collector down; screen:\n%s", screen)
	}
	d.Type("What was revenue in FY2025?")
	d.Press("enter")
	d.Pump(20*time.Second, func(s string) bool { return d.Count(session.KindRequestFinish) == 2 && strings.Contains(s, "idle") })
	closeRunners()
	err := w.ShutdownTelemetry()
	if err == nil || !strings.Contains(err.Error(), "did not reach the collector at http://"+dead) {
		t.Errorf("shutdown: %v", err)
	}
	d.Settle()
	if n := d.Count(session.KindError); n != 1 {
		t.Errorf("%d error events on the bus, want the one notice", n)
	}
	events, err := session.ReadTranscript(w.Transcripts()[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Kind == session.KindError || e.Session != events[0].Session {
			t.Errorf("the transcript recorded %s of session %q", e.Kind, e.Session)
		}
	}
}
