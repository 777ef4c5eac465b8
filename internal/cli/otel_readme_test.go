package cli_test

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/telemetry/telemetrytest"
)

// readmeSection is the README's text from the heading that starts with heading to the next
// heading of the same level.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+heading)
	if !ok {
		t.Fatalf("the README has no section %q", heading)
	}
	level := heading[:strings.IndexByte(heading, ' ')+1]
	section, _, _ := strings.Cut(rest, "\n"+level)
	return section
}

// shellWords splits a command line as sh does for the README's lines: words, "quoted
// words", and a # comment to the end of the line.
func shellWords(line string) []string {
	var words []string
	for _, m := range regexp.MustCompile(`"([^"]*)"|#.*|\S+`).FindAllStringSubmatch(line, -1) {
		switch {
		case strings.HasPrefix(m[0], "#"):
			return words
		case strings.HasPrefix(m[0], `"`):
			words = append(words, m[1])
		default:
			words = append(words, m[0])
		}
	}
	return words
}

// TestREADMECollectorCommands runs the lumodash side of every command in the README's
// collector section as written, against the test collector standing in for the one on
// localhost:4317/4318 (Jaeger's ports too): `export VAR=…` lines set the environment of the
// lines after them; each `run` must reach the collector (metrics too unless
// OTEL_METRICS_EXPORTER=none); `export --format otlp` sends the last transcript. The
// dashboard lines need a terminal: TestDashboardExportsItsSessions (internal/app) drives
// that path.
func TestREADMECollectorCommands(t *testing.T) {
	t.Parallel()
	col := telemetrytest.StartCollector(t)
	ports := strings.NewReplacer("localhost:4317", "localhost:"+port(col.GRPC), "localhost:4318", "localhost:"+port(col.HTTP))
	section := readmeSection(t, "## Sending sessions to an OpenTelemetry Collector")
	ran := map[string]int{}
	live := map[string]int{} // spans each run exported, by session
	for i, block := range strings.Split(section, "```sh\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		env := clitest.NewEnv(t)
		for _, line := range strings.Split(block, "\n") {
			words := shellWords(ports.Replace(line))
			switch {
			case len(words) > 1 && words[0] == "export":
				for _, kv := range words[1:] {
					k, v, _ := strings.Cut(kv, "=")
					env.Set(k, v)
				}
				continue
			case len(words) < 2 || words[0] != "lumodash" || strings.HasPrefix(words[1], "-"):
				continue // not lumodash, or the dashboard
			}
			args := words[1:]
			if args[len(args)-1] == "TRANSCRIPT" {
				tr := env.Transcripts()
				if len(tr) == 0 {
					t.Fatalf("block %d: %q before any session was recorded", i+1, line)
				}
				args[len(args)-1] = tr[len(tr)-1]
			}
			metricsBefore := len(col.Lines(t, "metrics"))
			res := env.Run("", args...)
			if res.Code != cli.ExitOK {
				t.Fatalf("block %d: lumodash %s: exit %d\n%s", i+1, strings.Join(args, " "), res.Code, res.Stderr)
			}
			ran[args[0]]++
			tr := env.Transcripts()
			id := sessionOf(t, tr[len(tr)-1])
			if args[0] == "export" { // the session's spans a second time
				if want := fmt.Sprintf("sent %d spans of session %s to the collector at ", live[id], id); !strings.HasPrefix(res.Stdout, want) {
					t.Errorf("export printed %q, want %q…", res.Stdout, want)
				}
				telemetrytest.SessionSpans(t, col, id, 2*live[id])
				continue
			}
			live[id] = len(telemetrytest.SessionSpans(t, col, id, 7)) // a request, two model calls, a gated MCP tool call
			if env.Getenv("OTEL_METRICS_EXPORTER") == "none" {
				time.Sleep(300 * time.Millisecond) // three flushes of the collector's file exporter
				if n := len(col.Lines(t, "metrics")); n != metricsBefore {
					t.Errorf("block %d: metrics were sent with OTEL_METRICS_EXPORTER=none", i+1)
				}
			} else {
				telemetrytest.WaitFor(t, col, func(t testing.TB, c *telemetrytest.Collector) int { return len(c.Lines(t, "metrics")) },
					func(n int) bool { return n > metricsBefore }, "the run's metrics")
			}
		}
	}
	if ran["run"] != 2 || ran["export"] != 1 {
		t.Errorf("ran %v from the README; the test no longer matches its examples", ran)
	}
}

// TestREADMEConfigFileOTelKey: the README's otel: example, with the collector's port, is a
// configuration file lumodash accepts and exports with.
func TestREADMEConfigFileOTelKey(t *testing.T) {
	t.Parallel()
	col := telemetrytest.StartCollector(t)
	example := readmeSection(t, "### Configuration file")
	_, otel, ok := strings.Cut(example, "\notel:")
	if !ok {
		t.Fatal("the README's configuration example has no otel: key")
	}
	otel, _, _ = strings.Cut(otel, "```")
	config := "otel:" + strings.NewReplacer("localhost:4317", col.GRPC, "…", "demo-key").Replace(otel)
	env := clitest.NewEnv(t)
	res := env.Run("", "run", "--config", env.WriteFile("config.yaml", config), "What was EBITDA in Q3?")
	if res.Code != cli.ExitOK {
		t.Fatalf("exit %d with the README's otel key:\n%s\n%s", res.Code, config, res.Stderr)
	}
	tr := env.Transcripts()
	spans := telemetrytest.SessionSpans(t, col, sessionOf(t, tr[len(tr)-1]), 6)
	for _, s := range spans {
		if s.Attr("gen_ai.input.messages") != "" {
			t.Errorf("%s captured the prompt with capture_content: false", s.Name)
		}
	}
}

func port(hostPort string) string { return hostPort[strings.LastIndexByte(hostPort, ':')+1:] }
