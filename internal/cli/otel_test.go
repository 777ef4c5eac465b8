package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
	"github.com/lumodash/lumodash/session"
)

// sessionOf is the session id the transcript at path recorded.
func sessionOf(t *testing.T, path string) string {
	t.Helper()
	events, err := session.ReadTranscript(path)
	if err != nil || len(events) == 0 || events[0].Session == "" {
		t.Fatalf("transcript %s: %d events, %v", path, len(events), err)
	}
	return events[0].Session
}

// oneSpan is the only span called name.
func oneSpan(t *testing.T, spans []telemetrytest.Span, name string) telemetrytest.Span {
	t.Helper()
	found := telemetrytest.Named(spans, name)
	if len(found) != 1 {
		t.Fatalf("%d spans named %q among %d", len(found), name, len(spans))
	}
	return found[0]
}

// TestRunExportsToACollector: `lumodash run` on the embedded world sends its session to a
// real collector however the collector is named — flag, environment, .env or configuration
// file — with the service name asked for, the run's outcome on the request span, and the
// run's exit code as without telemetry. The flag wins over the environment.
func TestRunExportsToACollector(t *testing.T) {
	t.Parallel()
	col := telemetrytest.StartCollector(t)
	cases := []struct {
		name, agent string
		code        int
		outcome     session.Outcome
		spans       int
		service     string
		capture     bool                          // prompts exported
		setup       func(e *clitest.Env) []string // the extra arguments
	}{
		{"flag over a dead environment", "research-analyst", cli.ExitOK, session.OutcomeOK, 9, "lumodash", true, func(e *clitest.Env) []string {
			e.Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+telemetrytest.FreeAddr(t))
			e.Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://"+telemetrytest.FreeAddr(t)+"/v1/traces")
			e.Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
			e.Set("OTEL_TRACES_EXPORTER", "none")
			return []string{"--otel-endpoint", "http://" + col.GRPC, "--otel-protocol", "grpc", "--otel-capture-content"}
		}},
		{"environment, http/protobuf", "junior-analyst", cli.ExitDenied, session.OutcomeDenied, 7, "analyst-fleet", false, func(e *clitest.Env) []string {
			e.Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+col.HTTP)
			e.Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
			e.Set("OTEL_SERVICE_NAME", "analyst-fleet")
			return nil
		}},
		{"dotenv file", "capped-analyst", cli.ExitBudget, session.OutcomeBudgetExhausted, 1, "lumodash", false, func(e *clitest.Env) []string {
			return []string{"--env-file", e.WriteFile("otel.env", "OTEL_EXPORTER_OTLP_ENDPOINT="+col.GRPC+"\n")}
		}},
		{"configuration file", "research-analyst", cli.ExitOK, session.OutcomeOK, 9, "lumodash", true, func(e *clitest.Env) []string {
			return []string{"--config", e.WriteFile("config.yaml", "otel: {endpoint: \"http://"+col.HTTP+"\", protocol: http/protobuf, capture_content: true}\n")}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewEnv(t)
			tr := filepath.Join(env.Dir, "t.jsonl")
			args := append([]string{"run", "--agent", c.agent, "--transcript", tr}, c.setup(env)...)
			res := env.Run("", append(args, clitest.SeedPrompt)...)
			if res.Code != c.code || strings.Contains(res.Stderr, "telemetry") {
				t.Fatalf("exit %d (want %d); stderr:\n%s", res.Code, c.code, res.Stderr)
			}
			spans := telemetrytest.SessionSpans(t, col, sessionOf(t, tr), c.spans)
			var root telemetrytest.Span
			for _, s := range spans {
				if s.ParentSpanID == "" {
					root = s
				}
			}
			if root.Attr("lumodash.outcome") != string(c.outcome) || !strings.HasPrefix(root.Name, "invoke_agent ") {
				t.Errorf("request span %q with outcome %q, want %s", root.Name, root.Attr("lumodash.outcome"), c.outcome)
			}
			if got := root.Resource["service.name"]; got != c.service || root.Resource["service.version"] == "" {
				t.Errorf("resource %v, want service.name %s and a service.version", root.Resource, c.service)
			}
			if len(spans) != c.spans {
				t.Errorf("%d spans, want %d", len(spans), c.spans)
			}
			captured := strings.Contains(root.Attr("gen_ai.input.messages"), "Q3 performance")
			if captured != c.capture {
				t.Errorf("prompt captured: %v, want %v (only --otel-capture-content and capture_content opt in)", captured, c.capture)
			}
		})
	}
	t.Cleanup(func() {
		if raw := col.Raw(t); clitest.JWT.Match(raw) {
			t.Error("the collector received something shaped like a raw JWT")
		}
	})
}

// TestRunPropagatesTraceContextToMCP: the MCP requests of `run`'s tool call carry the trace
// context of its tools/call span (a traced MCP server joins the session's trace), and the
// bearer tokens they carried never reach the collector.
func TestRunPropagatesTraceContextToMCP(t *testing.T) {
	t.Parallel()
	col := telemetrytest.StartCollector(t)
	dev, fin := startRealServers(t)
	proxy := telemetrytest.StartMCPProxy(t, fin.URL())
	id, secret, _ := dev.Credentials("research-analyst")
	env := clitest.NewEnv(t)
	for k, v := range map[string]string{"LUMOAUTH_URL": dev.URL(), "LUMOAUTH_ORG_ID": "acme-corp", "AGENT_CLIENT_ID": id, "AGENT_CLIENT_SECRET": secret} {
		env.Set(k, v)
	}
	tr := filepath.Join(env.Dir, "t.jsonl")
	res := env.Run("", "run", "--transcript", tr, "--mcp-url", proxy.URL, "--otel-endpoint", col.GRPC, clitest.SeedPrompt)
	if res.Code != cli.ExitOK {
		t.Fatalf("exit %d; stderr:\n%s", res.Code, res.Stderr)
	}
	spans := telemetrytest.SessionSpans(t, col, sessionOf(t, tr), 9)
	proxy.CheckPropagation(t, oneSpan(t, spans, "tools/call get_metric"))
	_, bearers := proxy.Requests()
	raw := string(col.Raw(t))
	for _, s := range append(bearers, secret) {
		if len(s) < 16 || strings.Contains(raw, s) {
			t.Errorf("a secret (%d bytes) reached the collector, or is too short to look for", len(s))
		}
	}
}

// TestRunWithAbsentCollector: with nothing listening, run still answers with its usual exit
// code, and says once on stderr what did not arrive; stdout (here NDJSON) stays clean.
func TestRunWithAbsentCollector(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		agent string
		code  int
	}{{"research-analyst", cli.ExitOK}, {"junior-analyst", cli.ExitDenied}} {
		t.Run(c.agent, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewEnv(t)
			env.Set("OTEL_EXPORTER_OTLP_TIMEOUT", "300")
			dead := telemetrytest.FreeAddr(t)
			res := env.Run("", "run", "--json", "--agent", c.agent, "--otel-endpoint", dead, clitest.SeedPrompt)
			if res.Code != c.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", res.Code, c.code, res.Stderr)
			}
			var notes []string
			for _, l := range strings.Split(res.Stderr, "\n") {
				if strings.Contains(l, "telemetry") {
					notes = append(notes, l)
				}
			}
			if len(notes) != 1 || !strings.HasPrefix(notes[0], "note: telemetry: ") || !strings.Contains(notes[0], "did not reach the collector at http://"+dead) ||
				!strings.Contains(notes[0], "the transcript keeps every event") {
				t.Errorf("stderr's telemetry lines %q, want exactly one note naming %s", notes, dead)
			}
			if events := clitest.Events(t, res.Stdout); len(clitest.OfKind(events, session.KindRequestFinish)) != 1 {
				t.Errorf("stdout has %d request.finish events", len(clitest.OfKind(events, session.KindRequestFinish)))
			}
		})
	}
}

// TestOTelConfigurationErrors: a bad OpenTelemetry setting stops run before any session,
// with exit 2 and where to fix it; a header list is never quoted (it carries API keys).
func TestOTelConfigurationErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		want   string
	}{
		{"flag protocol", "", nil, []string{"--otel-endpoint", "localhost:4317", "--otel-protocol", "json"}, `--otel-protocol must be grpc or http/protobuf, got "json"`},
		{"flag endpoint", "", nil, []string{"--otel-endpoint", "ftp://collector:4317"}, `"ftp://collector:4317" is not an http:// or https:// URL`},
		{"config protocol", "otel: {endpoint: localhost:4317, protocol: thrift}\n", nil, nil, `otel.protocol must be grpc or http/protobuf, got "thrift"`},
		{"config unknown key", "otel: {endpont: localhost:4317}\n", nil, nil, "field endpont not found"},
		{"environment protocol", "", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, nil, `OTEL_EXPORTER_OTLP_PROTOCOL is "http/json"`},
		{"environment headers", "", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4317", "OTEL_EXPORTER_OTLP_HEADERS": "api-key=sk-live-0123456789,broken"}, nil, "entry 2 of OTEL_EXPORTER_OTLP_HEADERS is not key=value"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewEnv(t)
			for k, v := range c.env {
				env.Set(k, v)
			}
			args := append([]string{"run"}, c.args...)
			if c.config != "" {
				args = append(args, "--config", env.WriteFile("config.yaml", c.config))
			}
			res := env.Run("", append(args, clitest.SeedPrompt)...)
			if res.Code != cli.ExitConfig || !strings.Contains(res.Stderr, c.want) || strings.Contains(res.Stderr, "sk-live") || res.Stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 saying %q", res.Code, res.Stdout, res.Stderr, c.want)
			}
		})
	}
}
