package app

import (
	"reflect"
	"testing"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/telemetry"
)

// TestTelemetrySettingsPrecedence: flag over environment over configuration file, field by
// field; a flag's endpoint also beats the per-signal endpoints and the switches that turn
// export off, so that what the command line names is where the sessions go.
func TestTelemetrySettingsPrecedence(t *testing.T) {
	file := &Config{OTel: telemetry.FileConfig{Endpoint: "http://file:4317", Protocol: "grpc", Headers: map[string]string{"a": "file", "b": "file"}, CaptureContent: true}}
	env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://env:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
		"OTEL_EXPORTER_OTLP_HEADERS": "b=env", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://env-traces:4318/v1/traces", "OTEL_SDK_DISABLED": "true"}
	got, err := telemetrySettings(Settings{}, file, auth.MapEnv(env))
	if err != nil {
		t.Fatal(err)
	}
	want := telemetry.Settings{OTLP: telemetry.Signal{Endpoint: "http://env:4318", Protocol: "http/protobuf", Headers: map[string]string{"a": "file", "b": "env"}},
		Traces: telemetry.Signal{Endpoint: "http://env-traces:4318/v1/traces"}, CaptureContent: true, Disabled: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("environment over file:\n got %+v\nwant %+v", got, want)
	}
	flag := Settings{Telemetry: telemetry.Settings{OTLP: telemetry.Signal{Endpoint: "http://flag:4317", Protocol: "grpc"}}}
	got, err = telemetrySettings(flag, file, auth.MapEnv(env))
	if err != nil {
		t.Fatal(err)
	}
	want.OTLP.Endpoint, want.OTLP.Protocol, want.Traces, want.Disabled = "http://flag:4317", "grpc", telemetry.Signal{}, false
	if !reflect.DeepEqual(got, want) || !got.Enabled() {
		t.Errorf("flag over environment:\n got %+v\nwant %+v", got, want)
	}
}
