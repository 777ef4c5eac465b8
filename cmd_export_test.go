package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

func TestExportMarkdownAndJSON(t *testing.T) {
	isolateRun(t)
	tr := filepath.Join(t.TempDir(), "s.jsonl")
	if _, stderr, code := runCmd(t, "", "run", "--json", "--agent", "junior-analyst", "--transcript", tr, seedPrompt); code != exitDenied {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	md, stderr, code := runCmd(t, "", "export", tr)
	if code != exitOK {
		t.Fatalf("export exit %d: %s", code, stderr)
	}
	for _, want := range []string{"# lumodash session s-", "**Agent:** Junior Analyst", "## Parts", "> Search documents for Q3 performance",
		"### Tool call `search_company_documents`", "### Tool call `query_financial_mcp`", "Capability check: mcp:financial → DENY",
		"Result: **denied**", "**Answer**", "*Outcome denied", "local (free)"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}

	js, _, code := runCmd(t, "", "export", "--format", "json", tr)
	var s session.Summary
	if err := json.Unmarshal([]byte(js), &s); err != nil || code != exitOK {
		t.Fatalf("json summary: %v (exit %d)", err, code)
	}
	if len(s.Requests) != 1 || len(s.Requests[0].ToolCalls) != 2 || s.Requests[0].ToolCalls[1].Status != "denied" || s.Outcome != session.OutcomeDenied || s.Usage.Total() == 0 {
		t.Errorf("summary %+v", s)
	}
}

func TestExportResearchReportQuotesChecksExchangesAndFigure(t *testing.T) {
	isolateRun(t)
	tr := filepath.Join(t.TempDir(), "s.jsonl")
	if _, stderr, code := runCmd(t, "", "run", "--json", "--transcript", tr, seedPrompt); code != exitOK {
		t.Fatalf("run exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "report.md")
	if _, stderr, code := runCmd(t, "", "export", "-o", out, tr); code != exitOK {
		t.Fatalf("export: %s", stderr)
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
	isolateRun(t)
	dir := t.TempDir()
	hostile := `{"v":1,"time":"2026-01-01T00:00:00Z","kind":"session.start","session":"s-1","seq":1,"model":"m\u001b]52;c;ZXZpbA==\u0007"}` + "\n" +
		`{"v":1,"time":"2026-01-01T00:00:01Z","kind":"prompt","session":"s-1","seq":2,"text":"hi\n# injected heading\u001b[2J"}` + "\n" +
		`{"v":1,"time":"2026-01-01T00:00:02Z","kind":"request.finish","session":"s-1","seq":3,"outcome":"ok","text":"answer` + "```" + `"}` + "\n" +
		`{"v":1,"time":"2026-01-01T00:00:03Z","kind":"session.fin`
	p := filepath.Join(dir, "t.jsonl")
	if err := os.WriteFile(p, []byte(hostile), 0o600); err != nil {
		t.Fatal(err)
	}
	md, stderr, code := runCmd(t, "", "export", p)
	if code != exitOK || !strings.Contains(stderr, "incomplete line") || !strings.Contains(md, "incomplete line") {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, md)
	}
	if strings.ContainsRune(md, 0x1b) || strings.ContainsRune(md, 0x07) || strings.Contains(md, "\n# injected") {
		t.Errorf("hostile text survived:\n%q", md)
	}

	future := filepath.Join(dir, "future.jsonl")
	_ = os.WriteFile(future, []byte(`{"v":99,"kind":"session.start","seq":1}`+"\n"), 0o600)
	if _, stderr, code := runCmd(t, "", "export", future); code != exitConfig || !strings.Contains(stderr, "upgrade lumodash") {
		t.Errorf("future schema: exit %d %q", code, stderr)
	}
	if _, stderr, code := runCmd(t, "", "export", "--format", "pdf", p); code != exitConfig || !strings.Contains(stderr, "md, json or events") {
		t.Errorf("bad format: exit %d %q", code, stderr)
	}
}
