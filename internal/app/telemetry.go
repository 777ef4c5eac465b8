package app

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"

	"github.com/lumodash/lumodash/internal/telemetry"
	"github.com/lumodash/lumodash/session"
)

// checkProtocol rejects an OTLP protocol lumodash does not send, naming where it was set.
func checkProtocol(where, p string) error {
	if p != "" && p != telemetry.ProtocolGRPC && p != telemetry.ProtocolHTTP {
		return fmt.Errorf("%s must be %s or %s, got %q", where, telemetry.ProtocolGRPC, telemetry.ProtocolHTTP, p)
	}
	return nil
}

// telemetrySettings are the export settings of s: the --otel-* flags over the OTEL_*
// variables (of the environment, then the dotenv file) over the configuration file's otel
// key. A flag's endpoint or protocol also beats the per-signal variables and the variables
// that turn a signal off: what the command line names is where everything goes.
func telemetrySettings(s Settings, cfg *Config, env func(string) string) (telemetry.Settings, error) {
	if err := checkProtocol("--otel-protocol", s.Telemetry.OTLP.Protocol); err != nil {
		return telemetry.Settings{}, configError(err)
	}
	fromEnv, err := telemetry.EnvSettings(env)
	if err != nil {
		return telemetry.Settings{}, configError(err)
	}
	flag := s.Telemetry
	if flag.OTLP.Endpoint != "" {
		fromEnv.Traces.Endpoint, fromEnv.Metrics.Endpoint = "", ""
		fromEnv.Traces.Disabled, fromEnv.Metrics.Disabled, fromEnv.Disabled = false, false, false
	}
	if flag.OTLP.Protocol != "" {
		fromEnv.Traces.Protocol, fromEnv.Metrics.Protocol = "", ""
	}
	out := flag.Or(fromEnv).Or(cfg.OTel.Settings())
	return out, configError(out.Check())
}

// loadTelemetrySettings are the export settings a command with s has (for export --format otlp,
// which needs no world): they read the configuration file and the dotenv file.
func loadTelemetrySettings(s Settings) (telemetry.Settings, error) {
	cfg, err := LoadConfig(s)
	if err != nil {
		return telemetry.Settings{}, err
	}
	env, _, err := s.env()
	if err != nil {
		return telemetry.Settings{}, err
	}
	return telemetrySettings(s, cfg, env)
}

// worldTelemetry is the world's OTLP export: nil when nothing is configured.
type worldTelemetry struct {
	tel *telemetry.Telemetry

	mu     sync.Mutex
	notice func(string) // nil: drop (after shutdown began)
}

// startTelemetry builds the exporter and subscribes it to the bus, or builds nothing at all
// when no collector is configured. The notice of an export failure goes to the bus as an
// error event (the dashboard's log shows it) until SetTelemetryNotice says otherwise.
func (w *World) startTelemetry(s telemetry.Settings) error {
	wt := &worldTelemetry{notice: func(msg string) { w.Bus.Emit(telemetry.NoticeEvent(msg)) }}
	tel, err := telemetry.New(w.ctx, s, telemetry.Options{Notice: wt.tell, Version: w.settings.Version})
	if err != nil {
		return configError(err)
	}
	if tel == nil {
		return nil
	}
	wt.tel = tel
	w.telemetry = wt
	w.Bus.Subscribe(tel)
	return nil
}

func (wt *worldTelemetry) tell(msg string) {
	wt.mu.Lock()
	notice := wt.notice
	wt.mu.Unlock()
	if notice != nil {
		notice(msg)
	}
}

// Telemetry is the world's OTLP exporter, nil when none is configured.
func (w *World) Telemetry() *telemetry.Telemetry {
	if w.telemetry == nil {
		return nil
	}
	return w.telemetry.tel
}

// SetTelemetryNotice sends the one notice of an export failure to notice (run prints it on
// stderr) instead of the bus. notice must not block.
func (w *World) SetTelemetryNotice(notice func(string)) {
	if w.telemetry == nil {
		return
	}
	w.telemetry.mu.Lock()
	w.telemetry.notice = notice
	w.telemetry.mu.Unlock()
}

// ShutdownTelemetry sends what is still queued, waiting at most telemetry.ShutdownTimeout,
// once the sessions are closed. Its error says how many spans did not reach the collector:
// the command prints it once. A notice from here on is dropped, as the error says it all.
func (w *World) ShutdownTelemetry() error {
	if w.telemetry == nil {
		return nil
	}
	w.SetTelemetryNotice(nil)
	return w.telemetry.tel.Shutdown(context.WithoutCancel(w.ctx))
}

// Runner is a session runner of a world. Its requests run under the world's telemetry
// context, so the MCP requests of each tool call carry W3C trace context: the one place
// both `run` and the dashboard (through ui.Runner) get it.
type Runner struct {
	*session.Runner
	tel *telemetry.Telemetry
}

// Ask runs one request (session.Runner.Ask) under the telemetry context.
func (r *Runner) Ask(ctx context.Context, prompt string) session.Outcome {
	return r.Runner.Ask(r.tel.Context(ctx), prompt)
}

// ExportTranscript sends a recorded session's events to the collector s configures
// (telemetry.ExportTranscript). telemetry.ErrNotConfigured comes back as a *ConfigError.
func ExportTranscript(ctx context.Context, s Settings, events iter.Seq[session.Event]) (telemetry.Stats, error) {
	ts, err := loadTelemetrySettings(s)
	if err != nil {
		return telemetry.Stats{}, err
	}
	st, err := telemetry.ExportTranscript(ctx, events, ts, telemetry.Options{Version: s.Version})
	if errors.Is(err, telemetry.ErrNotConfigured) {
		return st, configError(err)
	}
	return st, err
}
