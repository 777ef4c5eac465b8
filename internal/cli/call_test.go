package cli_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
)

func TestCallResearchAnalyst(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	r := env.Run("", "call", "query_financial_mcp", "metric=EBITDA", "period=2026-Q3")
	if r.Code != cli.ExitOK {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if len(lines) != 5 {
		t.Fatalf("want check, exchange, mcp, result and the text; got:\n%s", r.Stdout)
	}
	for i, prefix := range []string{"check", "exchange", "mcp", "result"} {
		if !strings.HasPrefix(lines[i], prefix) {
			t.Errorf("line %d = %q, want %s", i, lines[i], prefix)
		}
	}
	if !strings.Contains(lines[0], "mcp:financial → allow") || !strings.Contains(lines[1], "new token") ||
		!strings.Contains(lines[2], "get_metric → ok · HTTP 200") || !strings.Contains(lines[4], "EBITDA") {
		t.Errorf("output:\n%s", r.Stdout)
	}

	r = env.Run("", "call", "search_company_documents", "query=Q3 performance", "max_results=2")
	if r.Code != cli.ExitOK || !strings.Contains(r.Stdout, "Found 2 documents matching 'Q3 performance'") {
		t.Errorf("search: exit %d\n%s", r.Code, r.Stdout)
	}
}

func TestCallJuniorDeniedJSON(t *testing.T) {
	t.Parallel()
	r := clitest.NewEnv(t).Run("", "--agent", "junior-analyst", "call", "--json", "query_financial_mcp", "metric=EBITDA")
	if r.Code != cli.ExitDenied {
		t.Fatalf("exit %d, want %d (denied)\n%s%s", r.Code, cli.ExitDenied, r.Stdout, r.Stderr)
	}
	var steps []map[string]any
	sc := bufio.NewScanner(strings.NewReader(r.Stdout))
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
	t.Parallel()
	env := clitest.NewEnv(t)
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
		r := env.Run("", c.args...)
		if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d naming %q", c.args, r.Code, r.Stderr, cli.ExitConfig, c.want)
		}
	}
}

func TestCallDocsFolderWithOddFiles(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "plan.md"), []byte("# Hiring plan\n\nWe hire ten engineers."), 0o644)
	os.WriteFile(filepath.Join(dir, "blob.md"), []byte{0, 1, 2, 3}, 0o644)
	r := env.Run("", "--docs", dir, "call", "search_company_documents", "query=hiring engineers")
	if r.Code != cli.ExitOK || !strings.Contains(r.Stdout, "Found 1 document matching") || !strings.Contains(r.Stdout, "plan.md") {
		t.Fatalf("exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "notice: skipped blob.md: binary") {
		t.Errorf("stderr lacks the notice: %q", r.Stderr)
	}
}

func TestCallMCPUnreachableIsAFailure(t *testing.T) {
	t.Parallel()
	r := clitest.NewEnv(t).Run("", "--mcp-url", "http://127.0.0.1:1/mcp", "call", "query_financial_mcp", "metric=cash")
	if r.Code != cli.ExitError || !strings.Contains(r.Stderr, "could not be reached") {
		t.Errorf("exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	if n := strings.Count(r.Stdout+r.Stderr, "could not be reached"); n != 1 {
		t.Errorf("the error is said %d times, want once:\n%s%s", n, r.Stdout, r.Stderr)
	}
}

// TestCallArgumentExitCodes: arguments that do not fit the tool's parameters are the user's
// to fix before anything runs (usage, 2); a value the tool itself rejects once called is the
// tool's failure (1). Either way the reason is said once, on stderr.
func TestCallArgumentExitCodes(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"metric"}, cli.ExitConfig, "is not key=value"},
		{[]string{"metrc=EBITDA"}, cli.ExitConfig, `unknown parameter "metrc" (parameters: metric, period)`},
		{[]string{"period=Q3"}, cli.ExitConfig, `"metric": is required but missing`},
		{[]string{"metric=sparkle"}, cli.ExitError, `"sparkle" is not a metric`},
	} {
		r := env.Run("", append([]string{"call", "query_financial_mcp"}, c.args...)...)
		if r.Code != c.code || !strings.Contains(r.Stderr, c.want) || strings.Count(r.Stdout+r.Stderr, c.want) != 1 {
			t.Errorf("%v: exit %d, want %d and %q once\n%s%s", c.args, r.Code, c.code, c.want, r.Stdout, r.Stderr)
		}
	}
}
