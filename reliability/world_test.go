package reliability_test

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

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/tools/financialmcp"
)

const seedPrompt = clitest.SeedPrompt

var (
	ofKind     = clitest.OfKind
	jwtPattern = clitest.JWT
)

// faultWorld is lumodash's three outside parties, real, each behind a faultserver.Proxy.
type faultWorld struct {
	env               *clitest.Env // lumodash's environment: the proxies' URLs and the agent's secret
	dev               *devserver.Server
	auth, mcp, model  *faultserver.Proxy
	agent, secret     string
	dir               string
	transcriptCounter int
	stdin             string // what `run -` reads ("" = the prompt)
}

// newFaultWorld starts the parts and points lumodash's environment (its own, not the
// process's: the tests run in parallel) at the proxies.
func newFaultWorld(t *testing.T, agent string) *faultWorld {
	t.Helper()
	return newFaultWorldWith(t, agent, nil)
}

// newFaultWorldWith is newFaultWorld with the devserver's configuration edited by mod.
func newFaultWorldWith(t *testing.T, agent string, mod func(*devserver.Config)) *faultWorld {
	t.Helper()
	env := clitest.NewEnv(t)
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
	fw := &faultWorld{env: env, dev: dev, agent: id, secret: secret, dir: env.Dir,
		auth:  faultserver.New(t, dev.URL()),
		mcp:   faultserver.New(t, mcpSrv.URL()),
		model: faultserver.New(t, model.URL())}
	fw.setAuthURL(fw.auth.URL())
	env.Set(app.EnvOpenAIBaseURL, fw.model.URL()+"/v1")
	env.Set(app.EnvOpenAIModel, demomodel.ModelID)
	return fw
}

// setAuthURL points the LumoAuth variables at base (the proxy, or somewhere broken).
func (fw *faultWorld) setAuthURL(base string) {
	fw.env.Set("LUMOAUTH_URL", base)
	fw.env.Set("LUMOAUTH_ORG_ID", "acme-corp")
	fw.env.Set("AGENT_CLIENT_ID", fw.agent)
	fw.env.Set("AGENT_CLIENT_SECRET", fw.secret)
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

// run executes `lumodash run --json|--plain … PROMPT` through cli.Run with ctx, against the
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
	args = append(args, prompt)
	stdin := prompt
	if fw.stdin != "" {
		stdin = fw.stdin
	}
	r := fw.env.RunContext(ctx, stdin, nil, args...)
	h := headless{took: r.Took, transcript: tr, code: r.Code, stdout: r.Stdout, stderr: r.Stderr}
	if _, statErr := os.Stat(tr); statErr == nil {
		var err error
		if h.events, err = session.ReadTranscript(tr); err != nil {
			t.Fatalf("transcript unreadable: %v", err)
		}
	}
	if jsonOut {
		h.stdoutEvents = clitest.Events(t, h.stdout)
	}
	return h
}

// settings are the settings `lumodash run` would have against the world's proxies, with
// the CLI's defaults for the rest.
func (fw *faultWorld) settings(transcript string) app.Settings {
	s := app.DefaultSettings(fw.env.Getenv)
	s.Agent, s.EnvFile, s.MCPURL = fw.agent, fw.env.NoEnvFile(), fw.mcpURL()
	s.Session.Transcript, s.Session.ModelTimeout, s.Session.ModelRetries = transcript, 3*time.Second, 1
	return s
}

// runWired is `lumodash run --json` with the same wiring (app.Open, World.NewRunner, the
// outcome → exit code mapping) but with the auth client built with knobs that are not flags:
// the per-request timeout and the client's clock.
func (fw *faultWorld) runWired(t *testing.T, prompt string, timeout time.Duration, opts ...auth.Option) headless {
	t.Helper()
	fw.transcriptCounter++
	tr := filepath.Join(fw.dir, "transcripts", "wired-"+strconv.Itoa(fw.transcriptCounter)+".jsonl")
	ctx := context.Background()
	start := time.Now()
	w, err := app.Open(ctx, fw.settings(tr), app.ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Auth.NewAgent = func(_ string, hook auth.Hook) (*auth.Agent, error) {
		cfg := w.Auth.Client
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
	h := headless{took: time.Since(start), transcript: tr, stdout: out.String(), code: cli.OutcomeExitCode(outcome)}
	if h.events, err = session.ReadTranscript(tr); err != nil {
		t.Fatal(err)
	}
	h.stdoutEvents = clitest.Events(t, h.stdout)
	return h
}
