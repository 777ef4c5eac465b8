package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

func TestExportMarkdownAndJSON(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	tr := filepath.Join(t.TempDir(), "s.jsonl")
	if r := env.Run("", "run", "--json", "--agent", "junior-analyst", "--transcript", tr, clitest.SeedPrompt); r.Code != cli.ExitDenied {
		t.Fatalf("run exit %d: %s", r.Code, r.Stderr)
	}
	r := env.Run("", "export", tr)
	if r.Code != cli.ExitOK {
		t.Fatalf("export exit %d: %s", r.Code, r.Stderr)
	}
	md := r.Stdout
	for _, want := range []string{"# lumodash session s-", "**Agent:** Junior Analyst", "## Parts", "> Search documents for Q3 performance",
		"### Tool call `search_company_documents`", "### Tool call `query_financial_mcp`", "Capability check: mcp:financial → DENY",
		"Result: **denied**", "**Answer**", "*Outcome denied", "local (free)"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}

	r = env.Run("", "export", "--format", "json", tr)
	var s session.Summary
	if err := json.Unmarshal([]byte(r.Stdout), &s); err != nil || r.Code != cli.ExitOK {
		t.Fatalf("json summary: %v (exit %d)", err, r.Code)
	}
	if len(s.Requests) != 1 || len(s.Requests[0].ToolCalls) != 2 || s.Requests[0].ToolCalls[1].Status != "denied" || s.Outcome != session.OutcomeDenied || s.Usage.Total() == 0 {
		t.Errorf("summary %+v", s)
	}
}

func TestExportResearchReportQuotesChecksExchangesAndFigure(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	tr := filepath.Join(t.TempDir(), "s.jsonl")
	if r := env.Run("", "run", "--json", "--transcript", tr, clitest.SeedPrompt); r.Code != cli.ExitOK {
		t.Fatalf("run exit %d: %s", r.Code, r.Stderr)
	}
	out := filepath.Join(t.TempDir(), "report.md")
	if r := env.Run("", "export", "-o", out, tr); r.Code != cli.ExitOK {
		t.Fatalf("export: %s", r.Stderr)
	}
	b, _ := os.ReadFile(out)
	v, _ := financialmcp.Lookup("ebitda", "Q3")
	for _, want := range []string{"Token exchange: urn:mcp:financial-data · new", "MCP call: financial-data get\\_metric → ok", v.Display} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestExportTruncatedAndHostileTranscripts(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	dir := t.TempDir()
	hostile := `{"v":1,"time":"2026-01-01T00:00:00Z","kind":"session.start","session":"s-1","seq":1,"model":"m\u001b]52;c;ZXZpbA==\u0007"}` + "\n" +
		`{"v":1,"time":"2026-01-01T00:00:01Z","kind":"prompt","session":"s-1","seq":2,"text":"hi\n# injected heading\u001b[2J"}` + "\n" +
		`{"v":1,"time":"2026-01-01T00:00:02Z","kind":"request.finish","session":"s-1","seq":3,"outcome":"ok","text":"answer` + "```" + `"}` + "\n" +
		`{"v":1,"time":"2026-01-01T00:00:03Z","kind":"session.fin`
	p := filepath.Join(dir, "t.jsonl")
	if err := os.WriteFile(p, []byte(hostile), 0o600); err != nil {
		t.Fatal(err)
	}
	r := env.Run("", "export", p)
	md := r.Stdout
	if r.Code != cli.ExitOK || !strings.Contains(r.Stderr, "incomplete line") || !strings.Contains(md, "incomplete line") {
		t.Fatalf("exit %d, stderr %q\n%s", r.Code, r.Stderr, md)
	}
	if strings.ContainsRune(md, 0x1b) || strings.ContainsRune(md, 0x07) || strings.Contains(md, "\n# injected") {
		t.Errorf("hostile text survived:\n%q", md)
	}

	future := filepath.Join(dir, "future.jsonl")
	_ = os.WriteFile(future, []byte(`{"v":99,"kind":"session.start","seq":1}`+"\n"), 0o600)
	if r := env.Run("", "export", future); r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "upgrade lumodash") {
		t.Errorf("future schema: exit %d %q", r.Code, r.Stderr)
	}
	if r := env.Run("", "export", "--format", "pdf", p); r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "md, json, events or otlp") {
		t.Errorf("bad format: exit %d %q", r.Code, r.Stderr)
	}
}
