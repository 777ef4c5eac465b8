package cli_test

import (
	"strings"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// compareSessions groups NDJSON events by the agent named in their session's session.start,
// checking that every event carries its session and that session's agent.
func compareSessions(t *testing.T, events []session.Event) map[string][]session.Event {
	t.Helper()
	started := map[string]session.AgentRef{}
	for _, e := range ofKind(events, session.KindSessionStart) {
		started[e.Session] = *e.Agent
	}
	if len(started) != 2 {
		t.Fatalf("%d sessions started, want 2: %v", len(started), started)
	}
	byAgent := map[string][]session.Event{}
	for _, e := range events {
		ref, ok := started[e.Session]
		if !ok || e.Agent == nil || e.Agent.ClientID != ref.ClientID {
			t.Fatalf("event %s #%d: session %q, agent %+v; want one of the started sessions and its agent", e.Kind, e.Seq, e.Session, e.Agent)
		}
		byAgent[ref.Name] = append(byAgent[ref.Name], e)
	}
	return byAgent
}

// financialCheck is the one capability check of query_financial_mcp in a session's events.
func financialCheck(t *testing.T, events []session.Event) session.Event {
	t.Helper()
	var checks []session.Event
	for _, e := range ofKind(events, session.KindCapabilityCheck) {
		if e.Tool == "query_financial_mcp" {
			checks = append(checks, e)
		}
	}
	if len(checks) != 1 || checks[0].Allowed == nil {
		t.Fatalf("query_financial_mcp checks: %+v", checks)
	}
	return checks[0]
}

// The seed prompt in compare mode: both sessions ran, the research analyst's financial query
// was allowed and answered, the junior analyst's denied, and the exit code is the worse (5).
func TestRunCompareSeedPromptJSON(t *testing.T) {
	t.Parallel()
	figure, err := financialmcp.Lookup("ebitda", "Q3")
	if err != nil {
		t.Fatal(err)
	}
	env := clitest.NewEnv(t)
	r := env.Run("", "run", "--json", "--compare", "research-analyst,junior-analyst", clitest.SeedPrompt)
	if r.Code != cli.ExitDenied {
		t.Fatalf("exit %d, want %d (the junior analyst's denial)\n%s", r.Code, cli.ExitDenied, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "junior-analyst: a tool call was denied") {
		t.Errorf("stderr does not say whose outcome the exit code is:\n%s", r.Stderr)
	}
	sessions := compareSessions(t, clitest.Events(t, r.Stdout))
	research, junior := sessions["research-analyst"], sessions["junior-analyst"]
	if !*financialCheck(t, research).Allowed || *financialCheck(t, junior).Allowed {
		t.Errorf("query_financial_mcp: research allowed %v, junior allowed %v; want true, false",
			*financialCheck(t, research).Allowed, *financialCheck(t, junior).Allowed)
	}
	if n := len(ofKind(junior, session.KindMCPCall)); n != 0 {
		t.Errorf("the junior analyst's denied call reached MCP %d times", n)
	}
	finish := func(es []session.Event) session.Event {
		f := ofKind(es, session.KindRequestFinish)
		if len(f) != 1 {
			t.Fatalf("request.finish: %+v", f)
		}
		return f[0]
	}
	if f := finish(research); f.Outcome != session.OutcomeOK || !strings.Contains(f.Text, figure.Display) {
		t.Errorf("research analyst: %s, answer %q lacks %s", f.Outcome, f.Text, figure.Display)
	}
	if f := finish(junior); f.Outcome != session.OutcomeDenied || strings.Contains(f.Text, figure.Display) {
		t.Errorf("junior analyst: %s, answer %q", f.Outcome, f.Text)
	}
	if files := env.Transcripts(); len(files) != 2 {
		t.Errorf("transcripts: %v, want one per session", files)
	}
}

// Plain output: every line is labelled with its agent, and each agent's lines tell its own
// story (the allowed check on one side, the denial on the other).
func TestRunComparePlainLabelsEveryLine(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	r := env.Run("", "run", "--compare", "junior-analyst, research-analyst", clitest.SeedPrompt)
	if r.Code != cli.ExitDenied {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	labels := map[string]string{"junior-analyst   │ ": "", "research-analyst │ ": ""}
	for _, line := range strings.Split(strings.TrimSuffix(r.Stdout, "\n"), "\n") {
		found := false
		for l := range labels {
			if rest, ok := strings.CutPrefix(line, l); ok {
				labels[l] += rest + "\n"
				found = true
			}
		}
		if !found {
			t.Fatalf("unlabelled line %q", line)
		}
	}
	junior, research := labels["junior-analyst   │ "], labels["research-analyst │ "]
	if !strings.Contains(research, "mcp:financial → allow") || strings.Contains(research, "DENY") {
		t.Errorf("research analyst's lines:\n%s", research)
	}
	if !strings.Contains(junior, "mcp:financial → DENY") || strings.Contains(junior, "MCP     financial-data") {
		t.Errorf("junior analyst's lines:\n%s", junior)
	}
	for _, want := range []string{"outcome (junior-analyst): denied, exit 5", "outcome (research-analyst): ok, exit 0", "transcript (research-analyst): "} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
}

func TestRunCompareRejectsBadValues(t *testing.T) {
	t.Parallel()
	cases := []struct{ value, want string }{
		{"research-analyst", "two agents separated by a comma, got 1"},
		{"research-analyst,junior-analyst,capped-analyst", "got 3"},
		{"research-analyst,", "an agent name is empty"},
		{"junior-analyst,junior-analyst", "names junior-analyst twice"},
		{"research-analyst,nobody", `unknown agent "nobody" on the embedded server; choose two of: `},
	}
	for _, c := range cases {
		t.Run(c.value, func(t *testing.T) {
			t.Parallel()
			env := clitest.NewEnv(t)
			r := env.Run("", "run", "--compare", c.value, clitest.SeedPrompt)
			if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, c.want) || r.Stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 saying %q", r.Code, r.Stdout, r.Stderr, c.want)
			}
			if files := env.Transcripts(); len(files) != 0 {
				t.Errorf("a rejected --compare started sessions: %v", files)
			}
		})
	}
}

// On a real authorization server each agent signs in with credentials of its own: the
// configured client, and AGENT_<NAME>_CLIENT_ID/_SECRET for the other; an agent without them
// is named with the variables to set.
func TestRunCompareOnRealServerWithPerAgentCredentials(t *testing.T) {
	t.Parallel()
	dev, fin := startRealServers(t)
	id, secret, _ := dev.Credentials("research-analyst")
	juniorID, juniorSecret, _ := dev.Credentials("junior-analyst")
	env := clitest.NewEnv(t)
	for k, v := range map[string]string{"LUMOAUTH_URL": dev.URL(), "LUMOAUTH_ORG_ID": "acme-corp", "AGENT_CLIENT_ID": id, "AGENT_CLIENT_SECRET": secret} {
		env.Set(k, v)
	}
	r := env.Run("", "run", "--mcp-url", fin.URL(), "--compare", id+",junior", clitest.SeedPrompt)
	if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "set AGENT_JUNIOR_CLIENT_SECRET") {
		t.Fatalf("an agent without credentials: exit %d, %s", r.Code, r.Stderr)
	}
	env.Set("AGENT_JUNIOR_CLIENT_ID", juniorID)
	env.Set("AGENT_JUNIOR_CLIENT_SECRET", juniorSecret)
	r = env.Run("", "run", "--json", "--mcp-url", fin.URL(), "--compare", id+",junior", clitest.SeedPrompt)
	if r.Code != cli.ExitDenied {
		t.Fatalf("exit %d, want %d\n%s", r.Code, cli.ExitDenied, r.Stderr)
	}
	sessions := compareSessions(t, clitest.Events(t, r.Stdout))
	if !*financialCheck(t, sessions[id]).Allowed || *financialCheck(t, sessions[juniorID]).Allowed {
		t.Errorf("query_financial_mcp allowed: %s %v, %s %v", id, *financialCheck(t, sessions[id]).Allowed, juniorID, *financialCheck(t, sessions[juniorID]).Allowed)
	}
	if strings.Contains(r.Stdout+r.Stderr, juniorSecret) || strings.Contains(r.Stdout+r.Stderr, secret) {
		t.Error("a client secret reached the output")
	}
}

// The dashboard's --compare is read before anything starts: a bad value is a usage error
// even where no terminal is.
func TestDashboardCompareRejectsBadValues(t *testing.T) {
	t.Parallel()
	env := clitest.NewEnv(t)
	r := env.Run("", "--compare", "research-analyst")
	if r.Code != cli.ExitConfig || !strings.Contains(r.Stderr, "--compare takes two agents separated by a comma") {
		t.Errorf("exit %d, stderr %q", r.Code, r.Stderr)
	}
}
