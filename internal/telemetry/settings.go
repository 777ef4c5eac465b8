package telemetry

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Protocols of OTLP export (OTEL_EXPORTER_OTLP_PROTOCOL).
const (
	ProtocolGRPC = "grpc"
	ProtocolHTTP = "http/protobuf"
)

// Signal is where one signal (or, in Settings.OTLP, every signal) is sent.
type Signal struct {
	// Endpoint is the collector: for grpc host:port or a URL (http:// means no TLS); for
	// http/protobuf a base URL (…:4318, the signal path is added) or, per signal, the full URL.
	Endpoint string
	Protocol string            // ProtocolGRPC or ProtocolHTTP ("" = grpc, the OTLP default)
	Headers  map[string]string // sent with every export (e.g. an API key); never logged
	Disabled bool              // OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER = none
}

// Settings configures the export. The CLI fills it from its flag (--otel-endpoint) and config
// key (otel: {endpoint, protocol, headers, capture_content}); EnvSettings reads the standard
// OTEL_* variables. Combine them with Or: flag over environment over config file.
type Settings struct {
	OTLP    Signal // OTEL_EXPORTER_OTLP_*
	Traces  Signal // OTEL_EXPORTER_OTLP_TRACES_*, over OTLP
	Metrics Signal // OTEL_EXPORTER_OTLP_METRICS_*, over OTLP

	// Timeout bounds one export (OTEL_EXPORTER_OTLP_TIMEOUT, in ms; 0 = the exporters' 10 s).
	Timeout time.Duration

	ServiceName        string            // OTEL_SERVICE_NAME ("" = lumodash)
	ResourceAttributes map[string]string // OTEL_RESOURCE_ATTRIBUTES
	// CaptureContent exports prompts, answers, instructions and tool arguments and results
	// (the GenAI conventions' opt-in content attributes). Off by default: they may hold
	// anything the user typed or a tool returned.
	CaptureContent bool
	// Disabled turns export off whatever else is set (OTEL_SDK_DISABLED=true).
	Disabled bool
}

// EnvSettings reads the standard OpenTelemetry variables through getenv (the CLI passes its
// Getenv, which also sees the .env file; tests pass a map's lookup).
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true opts in to content capture, as in
// the OpenTelemetry GenAI instrumentations.
func EnvSettings(getenv func(string) string) (Settings, error) {
	s := Settings{
		ServiceName:    getenv("OTEL_SERVICE_NAME"),
		CaptureContent: isTrue(getenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT")),
		Disabled:       isTrue(getenv("OTEL_SDK_DISABLED")),
	}
	var err error
	if v := strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TIMEOUT")); v != "" {
		ms, perr := strconv.Atoi(v)
		if perr != nil || ms <= 0 {
			return Settings{}, fmt.Errorf("telemetry: OTEL_EXPORTER_OTLP_TIMEOUT is %q; it takes a number of milliseconds, e.g. 10000", v)
		}
		s.Timeout = time.Duration(ms) * time.Millisecond
	}
	if s.ResourceAttributes, err = parseKeyValues("OTEL_RESOURCE_ATTRIBUTES", getenv("OTEL_RESOURCE_ATTRIBUTES")); err != nil {
		return Settings{}, err
	}
	for _, sig := range []struct {
		dst    *Signal
		prefix string
		kind   string
	}{{&s.OTLP, "OTEL_EXPORTER_OTLP_", ""}, {&s.Traces, "OTEL_EXPORTER_OTLP_TRACES_", "TRACES"}, {&s.Metrics, "OTEL_EXPORTER_OTLP_METRICS_", "METRICS"}} {
		sig.dst.Endpoint = getenv(sig.prefix + "ENDPOINT")
		sig.dst.Protocol = getenv(sig.prefix + "PROTOCOL")
		if sig.dst.Headers, err = parseKeyValues(sig.prefix+"HEADERS", getenv(sig.prefix+"HEADERS")); err != nil {
			return Settings{}, err
		}
		if sig.kind != "" {
			sig.dst.Disabled = strings.EqualFold(getenv("OTEL_"+sig.kind+"_EXPORTER"), "none")
		}
	}
	return s, s.Check()
}

// Or returns s with every field it leaves empty taken from fallback (headers merge, s first).
func (s Settings) Or(fallback Settings) Settings {
	return Settings{
		OTLP: s.OTLP.or(fallback.OTLP), Traces: s.Traces.or(fallback.Traces), Metrics: s.Metrics.or(fallback.Metrics),
		Timeout:            cmp.Or(s.Timeout, fallback.Timeout),
		ServiceName:        cmp.Or(s.ServiceName, fallback.ServiceName),
		ResourceAttributes: merge(s.ResourceAttributes, fallback.ResourceAttributes),
		CaptureContent:     s.CaptureContent || fallback.CaptureContent,
		Disabled:           s.Disabled || fallback.Disabled,
	}
}

func (g Signal) or(f Signal) Signal {
	return Signal{Endpoint: cmp.Or(g.Endpoint, f.Endpoint), Protocol: cmp.Or(g.Protocol, f.Protocol),
		Headers: merge(g.Headers, f.Headers), Disabled: g.Disabled || f.Disabled}
}

func merge(first, fallback map[string]string) map[string]string {
	if len(first) == 0 && len(fallback) == 0 {
		return nil
	}
	out := maps.Clone(fallback)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, first)
	return out
}

// Enabled reports whether anything is to be exported: an endpoint is set for traces or
// metrics and export is not disabled.
func (s Settings) Enabled() bool {
	t, m := s.signal(s.Traces), s.signal(s.Metrics)
	return !s.Disabled && ((t.Endpoint != "" && !t.Disabled) || (m.Endpoint != "" && !m.Disabled))
}

// signal is one signal's effective settings: its own values over the OTLP ones.
func (s Settings) signal(g Signal) Signal { return g.or(s.OTLP) }

// Check rejects a protocol lumodash does not speak and an endpoint that is not a URL or
// host:port, with what to set instead. New and ExportTranscript check too; the CLI checks
// first to tell a setting to fix from a collector that failed.
func (s Settings) Check() error {
	for name, g := range map[string]Signal{"": s.OTLP, "TRACES_": s.Traces, "METRICS_": s.Metrics} {
		switch g.Protocol {
		case "", ProtocolGRPC, ProtocolHTTP:
		default:
			return fmt.Errorf("telemetry: OTEL_EXPORTER_OTLP_%sPROTOCOL is %q; lumodash sends %q or %q", name, g.Protocol, ProtocolGRPC, ProtocolHTTP)
		}
		if g.Endpoint != "" && strings.Contains(g.Endpoint, "://") {
			if u, err := url.Parse(g.Endpoint); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
				return fmt.Errorf("telemetry: the OTLP %sendpoint %q is not an http:// or https:// URL (or host:port for grpc)", strings.ToLower(name), g.Endpoint)
			}
		}
	}
	return nil
}

// parseKeyValues reads the key1=value1,key2=value2 lists of the OTEL_* variables, values
// percent-encoded, as the SDK's own env reader does (otlp internal/envconfig stringToHeader:
// split on commas, then on the first '=', trim, unescape). The error never quotes the value:
// headers carry API keys.
func parseKeyValues(name, v string) (map[string]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	out := map[string]string{}
	for i, pair := range strings.Split(v, ",") {
		key, value, ok := strings.Cut(pair, "=")
		key = strings.TrimSpace(key)
		unescaped, err := url.PathUnescape(strings.TrimSpace(value))
		if !ok || key == "" || err != nil {
			return nil, fmt.Errorf("telemetry: entry %d of %s is not key=value (a comma-separated list of key=value pairs, values percent-encoded)", i+1, name)
		}
		out[key] = unescaped
	}
	return out, nil
}

func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

// FileConfig is the configuration file's otel key:
//
//	otel: {endpoint: http://localhost:4317, protocol: grpc, headers: {x-api-key: …}, capture_content: false}
type FileConfig struct {
	Endpoint       string            `yaml:"endpoint"`
	Protocol       string            `yaml:"protocol"`
	Headers        map[string]string `yaml:"headers"`
	CaptureContent bool              `yaml:"capture_content"`
}

// Settings are the file's values as Settings, for Or.
func (c FileConfig) Settings() Settings {
	return Settings{OTLP: Signal{Endpoint: c.Endpoint, Protocol: c.Protocol, Headers: c.Headers}, CaptureContent: c.CaptureContent}
}
