package telemetry

import (
	"context"
	"fmt"
	"io"
	"maps"
	neturl "net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"google.golang.org/grpc/grpclog"
)

// quietGlobals keeps the OpenTelemetry SDK and gRPC from writing to stderr, which the
// dashboard owns: export failures reach the user once, through the notice (guard.go).
var quietGlobals sync.Once

func silenceGlobals() {
	quietGlobals.Do(func() {
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {}))
		otel.SetLogger(logr.Discard())
		grpclog.SetLoggerV2(grpclog.NewLoggerV2(io.Discard, io.Discard, io.Discard))
	})
}

// newResource is service.name (OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES over
// "lumodash"), service.version and the resource attributes.
func newResource(s Settings, version string) *resource.Resource {
	attrs := []attribute.KeyValue{semconv.ServiceName("lumodash")}
	if version != "" {
		attrs = append(attrs, semconv.ServiceVersion(version))
	}
	for _, k := range sortedKeys(s.ResourceAttributes) {
		attrs = append(attrs, attribute.String(k, s.ResourceAttributes[k]))
	}
	if s.ServiceName != "" {
		attrs = append(attrs, semconv.ServiceName(s.ServiceName))
	}
	return resource.NewWithAttributes(semconv.SchemaURL, attrs...)
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// redact hides a password in an endpoint URL, for messages.
func redact(endpoint string) string {
	if u, err := neturl.Parse(endpoint); err == nil {
		return u.Redacted()
	}
	return endpoint
}

// endpointURL is the URL for one signal: its own endpoint as is, or the OTLP endpoint with
// the signal's path for http/protobuf. An endpoint without a scheme means plain http.
func endpointURL(s Settings, own Signal, path string) (url, protocol string) {
	g := s.signal(own)
	protocol = g.Protocol
	if protocol == "" {
		protocol = ProtocolGRPC
	}
	url = g.Endpoint
	if url != "" && !strings.Contains(url, "://") {
		url = "http://" + url
	}
	if own.Endpoint == "" && protocol == ProtocolHTTP && url != "" {
		url = strings.TrimRight(url, "/") + path
	}
	return url, protocol
}

// target is where and how one signal is exported.
type target struct {
	url, protocol string
	headers       map[string]string
	timeout       time.Duration
}

func targetFor(s Settings, own Signal, path string) target {
	url, protocol := endpointURL(s, own, path)
	return target{url: url, protocol: protocol, headers: s.signal(own).Headers, timeout: s.Timeout}
}

// options are an exporter's options for x, from the constructors all four OTLP exporters
// have. What x leaves unset the exporter reads from the environment itself (certificates,
// compression, and the timeout and headers when lumodash has none).
func options[O any](x target, url func(string) O, headers func(map[string]string) O, timeout func(time.Duration) O) []O {
	opts := []O{url(x.url)}
	if len(x.headers) > 0 {
		opts = append(opts, headers(x.headers))
	}
	if x.timeout > 0 {
		opts = append(opts, timeout(x.timeout))
	}
	return opts
}

func (x target) fail(signal string, err error) error {
	return fmt.Errorf("telemetry: the %s exporter for %s (%s): %w", signal, redact(x.url), x.protocol, err)
}

func newSpanExporter(ctx context.Context, s Settings) (sdktrace.SpanExporter, string, error) {
	x := targetFor(s, s.Traces, "/v1/traces")
	var exp sdktrace.SpanExporter
	var err error
	if x.protocol == ProtocolHTTP {
		exp, err = otlptracehttp.New(ctx, options(x, otlptracehttp.WithEndpointURL, otlptracehttp.WithHeaders, otlptracehttp.WithTimeout)...)
	} else {
		exp, err = otlptracegrpc.New(ctx, options(x, otlptracegrpc.WithEndpointURL, otlptracegrpc.WithHeaders, otlptracegrpc.WithTimeout)...)
	}
	if err != nil {
		return nil, "", x.fail("trace", err)
	}
	return exp, redact(x.url), nil
}

func newMetricExporter(ctx context.Context, s Settings) (sdkmetric.Exporter, string, error) {
	x := targetFor(s, s.Metrics, "/v1/metrics")
	var exp sdkmetric.Exporter
	var err error
	if x.protocol == ProtocolHTTP {
		exp, err = otlpmetrichttp.New(ctx, options(x, otlpmetrichttp.WithEndpointURL, otlpmetrichttp.WithHeaders, otlpmetrichttp.WithTimeout)...)
	} else {
		exp, err = otlpmetricgrpc.New(ctx, options(x, otlpmetricgrpc.WithEndpointURL, otlpmetricgrpc.WithHeaders, otlpmetricgrpc.WithTimeout)...)
	}
	if err != nil {
		return nil, "", x.fail("metric", err)
	}
	return exp, redact(x.url), nil
}
