package main

// The reliability suite's world: the real embedded servers (devserver, financial MCP server,
// demo model), each behind a fault-injecting proxy on loopback, and lumodash configured to
// reach them as if they were the real LumoAuth, a real MCP server and an OpenAI-compatible
// model. See RELIABILITY.md for what each test injects and observes.

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

// faultWorld is lumodash's three outside parties, real, each behind a faultserver.Proxy.
type faultWorld struct {
	dev               *devserver.Server
	auth, mcp, model  *faultserver.Proxy
	agent, secret     string
	dir               string
	transcriptCounter int
	stdin             string // what `run -` reads ("" = the prompt)
}

// newFaultWorld starts the parts and points lumodash's environment at the proxies.
func newFaultWorld(t *testing.T, agent string) *faultWorld {
	t.Helper()
	return newFaultWorldWith(t, agent, nil)
}

// newFaultWorldWith is newFaultWorld with the devserver's configuration edited by mod.
func newFaultWorldWith(t *testing.T, agent string, mod func(*devserver.Config)) *faultWorld {
	t.Helper()
	dir := isolateRun(t)
	cfg := devserver.DefaultConfig()
	if mod != nil {
		mod(&cfg)
	}
	for i := range cfg.Agents { // reproducible, searchable secrets
		cfg.Agents[i].ClientSecret = "rel-secret-" + cfg.Agents[i].ClientID + "-7Hq2xPz9"
	}
	dev, err := devserver.Start(cfg, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dev.Close() })
	mcpSrv, err := financialmcp.Start(financialmcp.Options{Issuer: dev.Issuer(), JWKSURL: dev.JWKSURL(), Resource: tools.FinancialAudience}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mcpSrv.Close() })
	model, err := demomodel.Start(demomodel.Options{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = model.Close() })
	id, secret, ok := dev.Credentials(agent)
	if !ok {
		t.Fatalf("no agent %s", agent)
	}
	fw := &faultWorld{dev: dev, agent: id, secret: secret, dir: dir,
		auth:  faultserver.New(t, dev.URL()),
		mcp:   faultserver.New(t, mcpSrv.URL()),
		model: faultserver.New(t, model.URL())}
	fw.setEnv(t, fw.auth.URL())
	t.Setenv(envOpenAIBaseURL, fw.model.URL()+"/v1")
	t.Setenv(envOpenAIModel, demomodel.ModelID)
	return fw
}

// setEnv points the LumoAuth variables at base (the proxy, or somewhere broken).
func (fw *faultWorld) setEnv(t *testing.T, base string) {
	t.Setenv("LUMOAUTH_URL", base)
	t.Setenv("LUMOAUTH_ORG_ID", "acme-corp")
	t.Setenv("AGENT_CLIENT_ID", fw.agent)
	t.Setenv("AGENT_CLIENT_SECRET", fw.secret)
}

// mcpURL is the financial MCP endpoint through its proxy.
func (fw *faultWorld) mcpURL() string { return fw.mcp.URL() + "/mcp" }

// headless is one `lumodash run` as a user runs it, observed from outside.
type headless struct {
	stdout, stderr string
	code           int
	took           time.Duration
	transcript     string
	events         []session.Event // from the transcript
	stdoutEvents   []session.Event // --json only
}

// run executes `lumodash run --json|--plain … PROMPT` through cobra with ctx, against the
// world's proxies, and reads back the transcript.
func (fw *faultWorld) run(t *testing.T, ctx context.Context, jsonOut bool, prompt string, extra ...string) headless {
	t.Helper()
	fw.transcriptCounter++
	tr := filepath.Join(fw.dir, "transcripts", time.Now().Format("150405")+"-"+strings.ReplaceAll(t.Name(), "/", "_")+"-"+strconv.Itoa(fw.transcriptCounter)+".jsonl")
	mode := "--plain"
	if jsonOut {
		mode = "--json"
	}
	args := append([]string{"run", mode, "--transcript", tr, "--mcp-url", fw.mcpURL(), "--model-retries", "1", "--model-timeout", "3s"}, extra...)
	args = append(args, prompt, "--env-file", filepath.Join(fw.dir, "none.env"))
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	stdin := prompt
	if fw.stdin != "" {
		stdin = fw.stdin
	}
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	start := time.Now()
	err := root.ExecuteContext(ctx)
	h := headless{took: time.Since(start), transcript: tr}
	var ce *codedError
	switch {
	case errors.As(err, &ce):
		h.code = ce.code
	case err != nil:
		h.code = exitConfig
	}
	if err != nil {
		errOut.WriteString("lumodash: " + err.Error() + "\n")
	}
	h.stdout, h.stderr = out.String(), errOut.String()
	if _, statErr := os.Stat(tr); statErr == nil {
		h.events, err = session.ReadTranscript(tr)
		if err != nil {
			t.Fatalf("transcript unreadable: %v", err)
		}
	}
	if jsonOut {
		h.stdoutEvents = decodeNDJSON(t, h.stdout)
	}
	return h
}

// complete asserts what every run must leave behind, whatever was injected: a transcript
// (0600) that starts with session.start, ends with session.finish, matches --json event for
// event, and holds neither the client secret nor any token the server issued.
func (fw *faultWorld) complete(t *testing.T, h headless, limit time.Duration) {
	t.Helper()
	if h.took > limit {
		t.Errorf("run took %s, limit %s", h.took, limit)
	}
	if len(h.events) < 2 {
		t.Fatalf("transcript has %d events; stderr: %s", len(h.events), h.stderr)
	}
	if first, last := h.events[0].Kind, h.events[len(h.events)-1].Kind; first != session.KindSessionStart || last != session.KindSessionFinish {
		t.Errorf("transcript runs %s … %s", first, last)
	}
	st, err := os.Stat(h.transcript)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("transcript mode: %v %v", st, err)
	}
	if h.stdoutEvents != nil {
		if len(h.stdoutEvents) != len(h.events) {
			t.Errorf("stdout has %d events, transcript %d", len(h.stdoutEvents), len(h.events))
		}
		for i := range min(len(h.stdoutEvents), len(h.events)) {
			if h.stdoutEvents[i].Seq != h.events[i].Seq || h.stdoutEvents[i].Kind != h.events[i].Kind {
				t.Errorf("event %d: stdout %s #%d, transcript %s #%d", i, h.stdoutEvents[i].Kind, h.stdoutEvents[i].Seq, h.events[i].Kind, h.events[i].Seq)
				break
			}
		}
	}
	raw, _ := os.ReadFile(h.transcript)
	fw.noSecrets(t, "stdout", h.stdout)
	fw.noSecrets(t, "stderr", h.stderr)
	fw.noSecrets(t, "transcript", string(raw))
}

// noSecrets fails when text holds the client secret or any access token issued so far.
func (fw *faultWorld) noSecrets(t *testing.T, where, text string) {
	t.Helper()
	if strings.Contains(text, fw.secret) {
		t.Errorf("%s holds the client secret", where)
	}
	for _, tok := range fw.auth.Tokens() {
		if strings.Contains(text, tok) {
			t.Errorf("%s holds an issued access token", where)
		}
	}
	if jwtPattern.MatchString(text) {
		t.Errorf("%s holds something shaped like a JWT", where)
	}
}

// errorsOf joins the messages of every error-bearing event, for assertions.
func errorsOf(es []session.Event) string {
	var b strings.Builder
	for _, e := range es {
		if e.Err != nil {
			b.WriteString(string(e.Kind) + " " + e.Err.Code + " " + e.Err.Message + "\n")
		}
		if e.Kind == session.KindToolResult && e.Status != "ok" {
			b.WriteString(string(e.Kind) + " " + string(e.Status) + " " + e.Text + "\n")
		}
	}
	return b.String()
}

// lastOf is the last event of kind k (zero Event when none).
func lastOf(es []session.Event, k session.Kind) session.Event {
	got := ofKind(es, k)
	if len(got) == 0 {
		return session.Event{}
	}
	return got[len(got)-1]
}

// runWired is `lumodash run --json` with the same wiring (openWorld, world.NewRunner, the
// outcome → exit code mapping) but with the auth client built with knobs that are not flags:
// the per-request timeout and the client's clock.
func (fw *faultWorld) runWired(t *testing.T, prompt string, timeout time.Duration, opts ...auth.Option) headless {
	t.Helper()
	fw.transcriptCounter++
	tr := filepath.Join(fw.dir, "transcripts", "wired-"+strconv.Itoa(fw.transcriptCounter)+".jsonl")
	g, sf := flagsFor(t, "--agent", fw.agent, "--env-file", filepath.Join(fw.dir, "none.env"), "--mcp-url", fw.mcpURL(),
		"--transcript", tr, "--model-timeout", "3s", "--model-retries", "1")
	ctx := context.Background()
	start := time.Now()
	w, err := openWorld(ctx, g, sf)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Auth.NewAgent = func(_ string, hook auth.Hook) (*auth.Agent, error) {
		cfg := w.Auth.Cfg
		cfg.Timeout = timeout
		return auth.New(cfg, append(opts, auth.WithHook(hook))...)
	}
	var out bytes.Buffer
	defer w.Bus.Subscribe(session.NewJSONPrinter(&out))()
	r, err := w.NewRunner("")
	if err != nil {
		t.Fatal(err)
	}
	outcome := session.OutcomeOK
	if err := r.Start(ctx); err != nil {
		var se *session.StartError
		outcome = session.OutcomeError
		if errors.As(err, &se) {
			outcome = se.Outcome
		}
	} else {
		outcome = r.Ask(ctx, prompt)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	h := headless{took: time.Since(start), transcript: tr, stdout: out.String()}
	var ce *codedError
	if errors.As(outcomeError(outcome), &ce) {
		h.code = ce.code
	}
	if h.events, err = session.ReadTranscript(tr); err != nil {
		t.Fatal(err)
	}
	h.stdoutEvents = decodeNDJSON(t, h.stdout)
	return h
}

// flagsFor parses args into the global and session flags with their registered defaults, as
// the CLI does (so new flags get their defaults here too).
func flagsFor(t *testing.T, args ...string) (*globalFlags, *sessionFlags) {
	t.Helper()
	g, sf := &globalFlags{}, &sessionFlags{}
	c := &cobra.Command{Use: "reliability"}
	g.register(c)
	sf.register(c)
	if err := c.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	return g, sf
}

// decodeNDJSON reads --json output of any line length (an answer may be megabytes).
func decodeNDJSON(t *testing.T, out string) []session.Event {
	t.Helper()
	events, err := session.DecodeTranscript(strings.NewReader(out), "stdout")
	if err != nil {
		t.Fatalf("stdout is not NDJSON events: %v", err)
	}
	return events
}
