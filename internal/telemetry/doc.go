// Package telemetry exports lumodash sessions to an OpenTelemetry Collector as OTLP traces
// and metrics (gRPC or HTTP/protobuf), configured the standard way (OTEL_EXPORTER_OTLP_*,
// OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) or by Settings the CLI fills from its flag and
// config. It is a session.Sink: it turns the event stream into spans following the
// OpenTelemetry GenAI and MCP semantic conventions v1.41.0 (go.opentelemetry.io/otel/semconv/v1.41.0,
// the last release to define them before they moved to the semantic-conventions-genai
// repository, which has no release yet):
//
//	invoke_agent {agent}                one per request (prompt → request.finish)
//	├── chat {model}                    one per model call
//	└── execute_tool {tool}             one per tool call
//	    ├── check_capability {capability}
//	    ├── exchange_token {audience}   fingerprint only, never the token
//	    ├── tools/call {mcp tool}       the MCP call; its requests carry traceparent
//	    └── request_jit {capability}    just-in-time escalation, with its HTTP calls
//
// Export never slows a session: spans are batched from a bounded queue (full = dropped and
// counted), failures are reported once through Options.Notice, and Shutdown waits at most
// ShutdownTimeout. Prompts, answers and tool arguments/results are exported only with
// Settings.CaptureContent.
package telemetry
