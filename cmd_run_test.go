package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

const seedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."

// isolateRun is isolate plus no model configuration and a private state directory.
func isolateRun(t *testing.T) string {
	t.Helper()
	dir := isolate(t)
	for _, k := range []string{envOpenAIKey, envOpenAIBaseURL, envOpenAIModel} {
		t.Setenv(k, "")
	}
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	return dir
}

// runCmd runs lumodash like execute does and returns stdout, stderr and the exit code.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(append(args, "--env-file", filepath.Join(t.TempDir(), "none.env")))
	err := root.Execute()
	code := exitOK
	var ce *codedError
	switch {
	case errors.As(err, &ce):
		code = ce.code
	case err != nil:
		code = exitConfig
	}
	if err != nil {
		fmt.Fprintln(&errOut, "lumodash:", err)
	}
	return out.String(), errOut.String(), code
}

func parseNDJSON(t *testing.T, out string) []session.Event {
	t.Helper()
	var events []session.Event
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e session.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("not NDJSON: %q: %v", sc.Text(), err)
		}
		events = append(events, e)
	}
	return events
}

func ofKind(es []session.Event, k session.Kind) []session.Event {
	var out []session.Event
	for _, e := range es {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

func TestRunSeedPromptEndToEnd(t *testing.T) {
	figure, err := financialmcp.Lookup("ebitda", "Q3")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		agent   string
		code    int
		outcome session.Outcome
	}{
		{"research-analyst", exitOK, session.OutcomeOK},
		{"junior-analyst", exitDenied, session.OutcomeDenied},
		{"capped-analyst", exitBudget, session.OutcomeBudgetExhausted},
	}
	for _, c := range cases {
		t.Run(c.agent, func(t *testing.T) {
			dir := isolateRun(t)
			out, stderr, code := runCmd(t, "", "run", "--json", "--agent", c.agent, seedPrompt)
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s", code, c.code, stderr)
			}
			if jwtPattern.MatchString(out + stderr) {
				t.Fatal("a raw JWT reached the output")
			}
			events := parseNDJSON(t, out)
			fin := ofKind(events, session.KindRequestFinish)
			if len(fin) != 1 || fin[0].Outcome != c.outcome {
				t.Fatalf("request.finish %+v", fin)
			}
			answer := fin[0].Text
			search, finCalls := 0, 0
			for _, e := range ofKind(events, session.KindToolCall) {
				switch e.Tool {
				case "search_company_documents":
					search++
				case "query_financial_mcp":
					finCalls++
				}
			}
			if search != 1 || finCalls != 1 {
				t.Errorf("tool calls: %d searches, %d financial queries", search, finCalls)
			}
			exchanges, mcp := ofKind(events, session.KindTokenExchange), ofKind(events, session.KindMCPCall)
			switch c.agent {
			case "research-analyst":
				if len(exchanges) != 1 || exchanges[0].Audience != "urn:mcp:financial-data" || len(mcp) != 1 || mcp[0].Status != "ok" {
					t.Errorf("exchanges %+v, mcp %+v", exchanges, mcp)
				}
				if !strings.Contains(answer, figure.Display) {
					t.Errorf("answer lacks the EBITDA figure %s:\n%s", figure.Display, answer)
				}
			case "junior-analyst":
				if len(exchanges) != 0 || len(mcp) != 0 {
					t.Errorf("a denied call exchanged a token or reached MCP: %+v %+v", exchanges, mcp)
				}
				var denied []session.Event
				for _, e := range ofKind(events, session.KindToolResult) {
					if e.Status == "denied" {
						denied = append(denied, e)
					}
				}
				if len(denied) != 1 || !strings.Contains(answer, "denied") || strings.Contains(answer, figure.Display) {
					t.Errorf("denial: %+v\nanswer: %s", denied, answer)
				}
			case "capped-analyst":
				ex := ofKind(events, session.KindBudgetExhausted)
				if len(ex) != 1 || ex[0].Limit != "tokens/day" || !strings.Contains(ex[0].Text, "resets at") || len(ofKind(events, session.KindBudgetWarning)) == 0 {
					t.Errorf("budget events: %+v", ex)
				}
				if strings.Contains(answer, figure.Display) {
					t.Errorf("capped analyst answered: %s", answer)
				}
			}
			// The transcript holds the same events, privately.
			files, _ := filepath.Glob(filepath.Join(dir, "state", "lumodash", "sessions", "*.jsonl"))
			if len(files) != 1 {
				t.Fatalf("transcripts: %v", files)
			}
			st, _ := os.Stat(files[0])
			dst, _ := os.Stat(filepath.Dir(files[0]))
			if st.Mode().Perm() != 0o600 || dst.Mode().Perm() != 0o700 {
				t.Errorf("transcript mode %v, dir %v", st.Mode().Perm(), dst.Mode().Perm())
			}
			tr, err := session.ReadTranscript(files[0])
			if err != nil || len(tr) != len(events) {
				t.Errorf("transcript: %d events (%v), stdout %d", len(tr), err, len(events))
			}
		})
	}
}

func TestRunPlainFromStdin(t *testing.T) {
	isolateRun(t)
	tr := filepath.Join(t.TempDir(), "s.jsonl")
	out, stderr, code := runCmd(t, "What was \x1b[2Jrevenue in FY2025?\n", "run", "--transcript", tr, "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, _ := financialmcp.Lookup("revenue", "FY2025")
	for _, s := range []string{"you › What was revenue in FY2025?", "CAP     mcp:financial → allow · query_financial_mcp", "XCHG    urn:mcp:financial-data · new",
		"MCP     financial-data get_metric → ok", "analyst › ", want.Display, "DONE    ok"} {
		if !strings.Contains(out, s) {
			t.Errorf("plain output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "\x1b") || !strings.Contains(stderr, "transcript: "+tr) {
		t.Errorf("escape in output or transcript path missing: %q", stderr)
	}
}

func TestRunConfigurationErrors(t *testing.T) {
	isolateRun(t)
	cases := map[string]struct {
		args []string
		env  map[string]string
		want string
	}{
		"no prompt":        {[]string{"run"}, nil, "no prompt"},
		"bad max turns":    {[]string{"run", "--max-turns", "0", "hi"}, nil, "--max-turns must be at least 1"},
		"negative cost":    {[]string{"run", "--max-cost", "-1", "hi"}, nil, "--max-cost"},
		"plain and json":   {[]string{"run", "--plain", "--json", "hi"}, nil, "none of the others can be"},
		"model without":    {[]string{"run", "--model", "gpt-4o", "hi"}, nil, "needs OPENAI_API_KEY"},
		"base url no name": {[]string{"run", "hi"}, map[string]string{envOpenAIBaseURL: "http://127.0.0.1:1/v1"}, "no model is named"},
		"remote http":      {[]string{"run", "hi"}, map[string]string{envOpenAIBaseURL: "http://models.example.com/v1", envOpenAIModel: "m"}, "--insecure"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			_, stderr, code := runCmd(t, "", c.args...)
			if code != exitConfig || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, c.want)
			}
		})
	}
}

func TestRunModelFailureExitsModelAndHidesKey(t *testing.T) {
	isolateRun(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`)
	}))
	defer srv.Close()
	t.Setenv(envOpenAIBaseURL, srv.URL+"/v1")
	t.Setenv(envOpenAIKey, "sk-secret-test-key-123456")
	t.Setenv(envOpenAIModel, "gpt-4o-mini")
	out, stderr, code := runCmd(t, "", "run", "--json", "hi")
	if code != exitModel {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	errs := ofKind(parseNDJSON(t, out), session.KindError)
	if len(errs) != 1 || errs[0].Err.Status != 401 || !strings.Contains(errs[0].Err.Message, "OPENAI_API_KEY") {
		t.Errorf("error events %+v", errs)
	}
	if strings.Contains(out+stderr, "sk-secret") {
		t.Error("the API key reached the output")
	}
}
