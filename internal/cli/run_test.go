package cli_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

var ofKind = clitest.OfKind

func TestRunSeedPromptEndToEnd(t *testing.T) {
	t.Parallel()
	figure, err := financialmcp.Lookup("ebitda", "Q3")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		agent   string
		code    int
		outcome session.Outcome
	}{
		{"research-analyst", cli.ExitOK, session.OutcomeOK},
		{"junior-analyst", cli.ExitDenied, session.OutcomeDenied},
		{"capped-analyst", cli.ExitBudget, session.OutcomeBudgetExhausted},
	}
	for _, c := range cases {
		t.Run(c.agent, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewEnv(t)
			r := env.Run("", "run", "--json", "--agent", c.agent, clitest.SeedPrompt)
			if r.Code != c.code {
				t.Fatalf("exit %d, want %d\n%s", r.Code, c.code, r.Stderr)
			}
			if clitest.JWT.MatchString(r.Stdout + r.Stderr) {
				t.Fatal("a raw JWT reached the output")
			}
			events := clitest.Events(t, r.Stdout)
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
			want := 1
			if c.agent == "capped-analyst" { // the guard stops before the first model call
				want = 0
			}
			if search != want || finCalls != want {
				t.Errorf("tool calls: %d searches, %d financial queries, want %d each", search, finCalls, want)
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
			// The transcript holds the same events, privately, in the state directory of the
			// environment (XDG_STATE_HOME).
			files := env.Transcripts()
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
	t.Parallel()
	tr := filepath.Join(t.TempDir(), "s.jsonl")
	r := clitest.NewEnv(t).Run("What was \x1b[2Jrevenue in FY2025?\n", "run", "--transcript", tr, "-")
	if r.Code != cli.ExitOK {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	want, _ := financialmcp.Lookup("revenue", "FY2025")
	for _, s := range []string{"you › What was revenue in FY2025?", "CAP     mcp:financial → allow · query_financial_mcp", "XCHG    urn:mcp:financial-data · new",
		"MCP     financial-data get_metric → ok", "analyst › ", want.Display, "DONE    ok"} {
		if !strings.Contains(r.Stdout, s) {
			t.Errorf("plain output lacks %q:\n%s", s, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, "\x1b") || !strings.Contains(r.Stderr, "transcript: "+tr) {
		t.Errorf("escape in output or transcript path missing: %q", r.Stderr)
	}
}

func TestRunConfigurationErrors(t *testing.T) {
	t.Parallel()
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
		"base url no name": {[]string{"run", "hi"}, map[string]string{app.EnvOpenAIBaseURL: "http://127.0.0.1:1/v1"}, "no model is named"},
		"remote http":      {[]string{"run", "hi"}, map[string]string{app.EnvOpenAIBaseURL: "http://models.example.com/v1", app.EnvOpenAIModel: "m"}, "--insecure"},
		"bad jit mode":     {[]string{"run", "--agent", "junior-analyst", "--jit", "maybe", clitest.SeedPrompt}, nil, "--jit"},
		"tiny window":      {[]string{"run", "--context-window", "300", "hi"}, nil, "--context-window 300 is too small"},
		"zero jit timeout": {[]string{"run", "--agent", "junior-analyst", "--jit-timeout", "0s", clitest.SeedPrompt}, nil, "--jit-timeout"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewEnv(t)
			for k, v := range c.env {
				env.Set(k, v)
			}
			r := env.Run("", c.args...)
			if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.Code, r.Stderr, c.want)
			}
		})
	}
}

func TestRunModelFailureExitsModelAndHidesKey(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`)
	}))
	defer srv.Close()
	env := clitest.NewEnv(t)
	env.Set(app.EnvOpenAIBaseURL, srv.URL+"/v1")
	env.Set(app.EnvOpenAIKey, "sk-secret-test-key-123456")
	env.Set(app.EnvOpenAIModel, "gpt-4o-mini")
	r := env.Run("", "run", "--json", "hi")
	if r.Code != cli.ExitModel {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	errs := ofKind(clitest.Events(t, r.Stdout), session.KindError)
	if len(errs) != 1 || errs[0].Err.Status != 401 || !strings.Contains(errs[0].Err.Message, "OPENAI_API_KEY") {
		t.Errorf("error events %+v", errs)
	}
	if strings.Contains(r.Stdout+r.Stderr, "sk-secret") {
		t.Error("the API key reached the output")
	}
}

// Headless on a non-terminal: --jit auto requests and waits, then says the wait timed out.
func TestRunJITAutoTimesOutClearly(t *testing.T) {
	t.Parallel()
	start := time.Now()
	r := clitest.NewEnv(t).Run("", "run", "--agent", "junior-analyst", "--jit", "auto", "--jit-timeout", "1s", clitest.SeedPrompt)
	if r.Code != cli.ExitDenied {
		t.Fatalf("exit %d, want %d\n%s\n%s", r.Code, cli.ExitDenied, r.Stdout, r.Stderr)
	}
	for _, want := range []string{"JIT     requested mcp:financial", "risk high", "JIT     pending", "JIT     timeout", "within 1s (--jit-timeout)", "JIT     completed"} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Stdout)
		}
	}
	if strings.Contains(r.Stdout, "unreachable") {
		t.Errorf("the timeout is reported as a server failure:\n%s", r.Stdout)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %s", d)
	}
}

// --jit ask (the default) with nobody at a terminal refuses and names the way out.
func TestRunJITAskWithoutTerminal(t *testing.T) {
	t.Parallel()
	r := clitest.NewEnv(t).Run("", "run", "--agent", "junior-analyst", "--json", clitest.SeedPrompt)
	if r.Code != cli.ExitDenied {
		t.Fatalf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	events := clitest.Events(t, r.Stdout)
	denied := ofKind(events, session.KindJITDenied)
	if len(denied) != 1 || denied[0].Status != "declined" || !strings.Contains(denied[0].Reason, "--jit auto") {
		t.Errorf("jit.denied events: %+v", denied)
	}
	if len(ofKind(events, session.KindJITRequested)) != 0 {
		t.Error("a request was sent without confirmation")
	}
}

func TestOutcomeExitCodes(t *testing.T) {
	t.Parallel()
	for o, want := range map[session.Outcome]int{session.OutcomeOK: cli.ExitOK, session.OutcomeDenied: cli.ExitDenied,
		session.OutcomeToolFailed: cli.ExitToolFailed, session.OutcomeBudgetExhausted: cli.ExitBudget, session.OutcomeAuthError: cli.ExitAuth,
		session.OutcomeModelError: cli.ExitModel, session.OutcomeMaxTurns: cli.ExitModel, session.OutcomeCancelled: cli.ExitCancelled,
		session.OutcomeTruncated: cli.ExitTruncated, session.OutcomeFiltered: cli.ExitFiltered, session.OutcomeRefused: cli.ExitRefused,
		session.OutcomeError: cli.ExitError} {
		if got := cli.OutcomeExitCode(o); got != want {
			t.Errorf("%s: exit %d, want %d", o, got, want)
		}
	}
}

// --context-window sets the window every request is measured and trimmed against, and says so.
func TestRunContextWindowFlag(t *testing.T) {
	t.Parallel()
	r := clitest.NewEnv(t).Run("", "run", "--json", "--context-window", "2048", clitest.SeedPrompt)
	if r.Code != cli.ExitOK {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	reqs := ofKind(clitest.Events(t, r.Stdout), session.KindModelRequest)
	if len(reqs) != 2 {
		t.Fatalf("%d model requests", len(reqs))
	}
	for _, q := range reqs {
		if c := q.Context; c == nil || c.Window != 2048 || c.Source != "--context-window" || c.Tokens <= 0 || c.Tokens > 2048 {
			t.Errorf("turn %d context %+v", q.Turn, c)
		}
	}
}
