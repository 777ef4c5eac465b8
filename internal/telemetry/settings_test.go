package telemetry

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestEnvSettingsReadsTheStandardVariables(t *testing.T) {
	s, err := EnvSettings(envOf(map[string]string{
		"OTEL_EXPORTER_OTLP_ENDPOINT":                        "http://collector:4318",
		"OTEL_EXPORTER_OTLP_PROTOCOL":                        "http/protobuf",
		"OTEL_EXPORTER_OTLP_HEADERS":                         "Authorization=Bearer%20abc, x-tenant = acme",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":                 "https://traces.example:4318/custom/path",
		"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL":                "grpc",
		"OTEL_EXPORTER_OTLP_METRICS_HEADERS":                 "x-tenant=metrics",
		"OTEL_EXPORTER_OTLP_TIMEOUT":                         "2500",
		"OTEL_SERVICE_NAME":                                  "analyst-42",
		"OTEL_RESOURCE_ATTRIBUTES":                           "deployment.environment.name=prod,team=risk%2Fops",
		"OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Enabled() || !s.CaptureContent || s.ServiceName != "analyst-42" || s.Timeout != 2500*time.Millisecond {
		t.Errorf("settings %+v", s)
	}
	if want := map[string]string{"Authorization": "Bearer abc", "x-tenant": "acme"}; !reflect.DeepEqual(s.OTLP.Headers, want) {
		t.Errorf("headers %v, want %v", s.OTLP.Headers, want)
	}
	if want := map[string]string{"deployment.environment.name": "prod", "team": "risk/ops"}; !reflect.DeepEqual(s.ResourceAttributes, want) {
		t.Errorf("resource attributes %v", s.ResourceAttributes)
	}
	for _, c := range []struct {
		own              Signal
		path, url, proto string
	}{
		{s.Traces, "/v1/traces", "https://traces.example:4318/custom/path", ProtocolHTTP}, // a signal's own endpoint is used as is
		{s.Metrics, "/v1/metrics", "http://collector:4318", ProtocolGRPC},                 // grpc: no path
	} {
		if url, proto := endpointURL(s, c.own, c.path); url != c.url || proto != c.proto {
			t.Errorf("%s: %s %s, want %s %s", c.path, url, proto, c.url, c.proto)
		}
	}
	if h := s.signal(s.Metrics).Headers; h["x-tenant"] != "metrics" || h["Authorization"] != "Bearer abc" {
		t.Errorf("metric headers %v: the signal's own should win, the rest be kept", h)
	}
	base := Settings{OTLP: Signal{Endpoint: "collector:4318", Protocol: ProtocolHTTP}}
	if url, _ := endpointURL(base, base.Traces, "/v1/traces"); url != "http://collector:4318/v1/traces" {
		t.Errorf("generic http endpoint → %s", url)
	}
}

func TestEnvSettingsTurnsOff(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"nothing set":      {},
		"sdk disabled":     {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_SDK_DISABLED": "true"},
		"both signals off": {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none"},
	} {
		if s, err := EnvSettings(envOf(env)); err != nil || s.Enabled() {
			t.Errorf("%s: enabled %v, err %v", name, s.Enabled(), err)
		}
	}
	s, _ := EnvSettings(envOf(map[string]string{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://c:4317", "OTEL_TRACES_EXPORTER": "none"}))
	if !s.Enabled() {
		t.Error("metrics alone should be enough to enable export")
	}
}

func TestEnvSettingsRejectsBadValuesClearly(t *testing.T) {
	for env, want := range map[string]string{
		"OTEL_EXPORTER_OTLP_PROTOCOL=http/json":           `"http/json"; lumodash sends "grpc" or "http/protobuf"`,
		"OTEL_EXPORTER_OTLP_TIMEOUT=10s":                  "number of milliseconds",
		"OTEL_EXPORTER_OTLP_HEADERS=api-key":              "entry 1 of OTEL_EXPORTER_OTLP_HEADERS is not key=value",
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=ftp://c:4317": "not an http:// or https:// URL",
	} {
		k, v, _ := strings.Cut(env, "=")
		_, err := EnvSettings(envOf(map[string]string{k: v}))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to say %q", env, err, want)
		}
	}
	_, err := EnvSettings(envOf(map[string]string{"OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer sk-secret,broken"}))
	if err == nil || strings.Contains(err.Error(), "sk-secret") {
		t.Errorf("a bad header list must be rejected without quoting it: %v", err)
	}
}

// TestSettingsOr: the flag wins over the environment, which wins over the config file;
// headers merge with the same precedence.
func TestSettingsOr(t *testing.T) {
	flag := Settings{OTLP: Signal{Endpoint: "http://flag:4317"}}
	env := Settings{OTLP: Signal{Endpoint: "http://env:4317", Protocol: ProtocolHTTP, Headers: map[string]string{"a": "env", "b": "env"}}}
	var file struct{ Otel FileConfig }
	if err := yaml.Unmarshal([]byte("otel: {protocol: grpc, headers: {b: config, c: config}, capture_content: true}"), &file); err != nil {
		t.Fatal(err)
	}
	config := file.Otel.Settings()
	got := flag.Or(env).Or(config)
	want := Settings{OTLP: Signal{Endpoint: "http://flag:4317", Protocol: ProtocolHTTP, Headers: map[string]string{"a": "env", "b": "env", "c": "config"}}, CaptureContent: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
