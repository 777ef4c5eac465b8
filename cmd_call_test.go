package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// isolateCallEnv keeps the test away from the caller's LumoAuth environment, dotenv and config.
func isolateCallEnv(t *testing.T) []string {
	t.Helper()
	for _, k := range []string{"LUMOAUTH_URL", "LUMOAUTH_ORG_ID", "LUMOAUTH_TENANT", "AGENT_CLIENT_ID", "AGENT_CLIENT_SECRET"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	return []string{"--env-file", filepath.Join(dir, "none.env")}
}

// runCallCLI runs lumodash with args and returns stdout, stderr and the exit code.
func runCallCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	code := exitOK
	if err != nil {
		errOut.WriteString("lumodash: " + err.Error() + "\n")
		code = exitConfig
		var ce *codedError
		if errors.As(err, &ce) {
			code = ce.code
		}
	}
	return out.String(), errOut.String(), code
}

func TestCallResearchAnalyst(t *testing.T) {
	env := isolateCallEnv(t)
	out, errOut, code := runCallCLI(t, append(env, "call", "query_financial_mcp", "metric=EBITDA", "period=2026-Q3")...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 {
		t.Fatalf("want check, exchange, mcp, result and the text; got:\n%s", out)
	}
	for i, prefix := range []string{"check", "exchange", "mcp", "result"} {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d = %q, want %s", i, lines[i], prefix)
		}
	}
	if !strings.Contains(lines[0], "mcp:financial → allow") || !strings.Contains(lines[1], "new token") ||
		!strings.Contains(lines[2], "get_metric → ok · HTTP 200") || !strings.Contains(lines[4], "EBITDA") {
		t.Errorf("output:\n%s", out)
	}

	out, _, code = runCallCLI(t, append(env, "call", "search_company_documents", "query=Q3 performance", "max_results=2")...)
	if code != exitOK || !strings.Contains(out, "Found 2 documents matching 'Q3 performance'") {
		t.Errorf("search: exit %d\n%s", code, out)
	}
}

func TestCallJuniorDeniedJSON(t *testing.T) {
	env := isolateCallEnv(t)
	out, errOut, code := runCallCLI(t, append(env, "--agent", "junior-analyst", "call", "--json", "query_financial_mcp", "metric=EBITDA")...)
	if code != exitDenied {
		t.Fatalf("exit %d, want %d (denied)\n%s%s", code, exitDenied, out, errOut)
	}
	var steps []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not NDJSON: %q: %v", sc.Text(), err)
		}
		steps = append(steps, m)
	}
	if len(steps) != 2 || steps[0]["step"] != "check" || steps[0]["allowed"] != false || steps[1]["step"] != "result" || steps[1]["status"] != "denied" {
		t.Fatalf("steps: %v", steps)
	}
	if steps[1]["text"] != "Error: Agent lacks 'mcp:financial' capability." {
		t.Errorf("text: %v", steps[1]["text"])
	}
}

func TestCallBadInput(t *testing.T) {
	env := isolateCallEnv(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"call"}, "available: query_financial_mcp, search_company_documents"},
		{[]string{"call", "nope"}, `unknown tool "nope"; available: query_financial_mcp, search_company_documents`},
		{[]string{"call", "search_company_documents", "query"}, "not key=value"},
		{[]string{"call", "search_company_documents", "q=x"}, `unknown parameter "q" (parameters: max_results, query)`},
		{[]string{"call", "search_company_documents", "query=x", "max_results=many"}, "not a whole number"},
		{[]string{"call", "search_company_documents", "max_results=3"}, `"query": is required`},
		{[]string{"--mcp-url", "ftp://x/mcp", "call", "search_company_documents", "query=x"}, "not an http(s) URL"},
		{[]string{"--mcp-url", "http://mcp.example.com/mcp", "call", "search_company_documents", "query=x"}, "--insecure"},
		{[]string{"--docs", "/no/such/dir", "call", "search_company_documents", "query=x"}, "--docs"},
	}
	for _, c := range cases {
		_, errOut, code := runCallCLI(t, append(env, c.args...)...)
		if code != exitConfig || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d naming %q", c.args, code, errOut, exitConfig, c.want)
		}
	}
}

func TestCallDocsFolderWithOddFiles(t *testing.T) {
	env := isolateCallEnv(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "plan.md"), []byte("# Hiring plan\n\nWe hire ten engineers."), 0o644)
	os.WriteFile(filepath.Join(dir, "blob.md"), []byte{0, 1, 2, 3}, 0o644)
	out, errOut, code := runCallCLI(t, append(env, "--docs", dir, "call", "search_company_documents", "query=hiring engineers")...)
	if code != exitOK || !strings.Contains(out, "Found 1 document matching") || !strings.Contains(out, "plan.md") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "notice: skipped blob.md: binary") {
		t.Errorf("stderr lacks the notice: %q", errOut)
	}
}

func TestCallMCPUnreachableIsAFailure(t *testing.T) {
	env := isolateCallEnv(t)
	out, errOut, code := runCallCLI(t, append(env, "--mcp-url", "http://127.0.0.1:1/mcp", "call", "query_financial_mcp", "metric=cash")...)
	if code != exitError || !strings.Contains(out, "could not be reached") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}
