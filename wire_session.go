package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// sessionFlags configure analyst sessions; registered on the root command (TUI) and on run.
type sessionFlags struct {
	model        string
	instructions string
	maxTurns     int
	maxTokens    int64
	maxCost      float64
	transcript   string
	modelTimeout time.Duration
	modelRetries int
	demoPace     time.Duration
	jit          jitFlags
}

func (sf *sessionFlags) register(c *cobra.Command) {
	f := c.Flags()
	f.StringVar(&sf.model, "model", "", "model id (overrides OPENAI_MODEL; default gpt-4o-mini on OpenAI, the embedded demo model when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set)")
	f.StringVar(&sf.instructions, "instructions", "", "system instructions for the analyst (default: the seed's \"You are a senior analyst. …\")")
	f.IntVar(&sf.maxTurns, "max-turns", session.DefaultMaxTurns, "most model turns per request, a guard against tool-call loops")
	f.Int64Var(&sf.maxTokens, "max-tokens", 0, "local cap on the session's model tokens (0 = none; the agent's own budget always applies)")
	f.Float64Var(&sf.maxCost, "max-cost", 0, "local cap on the session's model cost in USD (0 = none; needs a priced model)")
	f.StringVar(&sf.transcript, "transcript", "", "write the session transcript (JSONL) here (default $XDG_STATE_HOME/lumodash/sessions/)")
	f.DurationVar(&sf.modelTimeout, "model-timeout", 60*time.Second, "how long the model may stay silent before an attempt times out")
	f.IntVar(&sf.modelRetries, "model-retries", 3, "retries after a rate limit, server error, timeout or cut stream (0 = none)")
	f.DurationVar(&sf.demoPace, "demo-pace", 15*time.Millisecond, "pause between the embedded demo model's streamed words")
	_ = f.MarkHidden("demo-pace")
	sf.jit.register(c)
}

func (sf *sessionFlags) validate() error {
	switch {
	case sf.maxTurns < 1:
		return fmt.Errorf("--max-turns must be at least 1, got %d", sf.maxTurns)
	case sf.maxTokens < 0:
		return fmt.Errorf("--max-tokens must be 0 (no cap) or positive, got %d", sf.maxTokens)
	case sf.maxCost < 0:
		return fmt.Errorf("--max-cost must be 0 (no cap) or positive, got %v", sf.maxCost)
	case sf.modelTimeout <= 0:
		return fmt.Errorf("--model-timeout must be positive, got %s", sf.modelTimeout)
	case sf.modelRetries < 0:
		return fmt.Errorf("--model-retries must be 0 or more, got %d", sf.modelRetries)
	}
	return sf.jit.validate()
}

// world is every part a session needs (authorization server, MCP servers, model), embedded
// or real, plus the event bus shared by all its sessions.
type world struct {
	Auth  *authStack
	MCP   *mcpStack
	Model session.ModelConfig
	Parts []session.Part
	Bus   *session.Bus
	// Escalation is the person in the loop of JIT requests (the dashboard, a terminal, or
	// nil); set it before NewRunner.
	Escalation tools.Escalation

	ctx       context.Context
	g         *globalFlags
	fc        *fileConfig
	sf        *sessionFlags
	stopModel func()
	mu        sync.Mutex
	sessions  int
}

// openWorld loads the configuration file and the dotenv file and starts or reaches every part.
func openWorld(ctx context.Context, g *globalFlags, sf *sessionFlags) (*world, error) {
	if err := sf.validate(); err != nil {
		return nil, withCode(exitConfig, err)
	}
	fc, err := loadFileConfig(g.configPath)
	if err != nil {
		return nil, err
	}
	w := &world{ctx: context.WithoutCancel(ctx), g: g, fc: fc, sf: sf, Bus: session.NewBus(), stopModel: func() {}}
	if w.Auth, err = startAuth(ctx, g, fc); err != nil {
		return nil, err
	}
	if w.MCP, err = startMCP(ctx, g, fc, w.Auth); err != nil {
		w.Close()
		return nil, err
	}
	var modelPart session.Part
	if w.Model, modelPart, w.stopModel, err = modelFromEnv(g, fc, sf); err != nil {
		w.Close()
		return nil, err
	}
	w.Parts = append(append([]session.Part{w.Auth.Part}, w.MCP.Parts...), modelPart)
	return w, nil
}

// NewRunner builds a session runner for agentName ("" = the configured / --agent one): a new
// agent client reporting to the bus, its tools, and the model.
func (w *world) NewRunner(agentName string) (*session.Runner, error) {
	agent, err := w.Auth.NewAgent(agentName, w.Bus.AuthHook())
	if err != nil {
		return nil, err
	}
	reg, closeTools, err := w.MCP.Registry(w.ctx, agent)
	if err != nil {
		return nil, withCode(exitConfig, fmt.Errorf("building the agent's tools: %w", err))
	}
	jit, err := w.jitConfig()
	if err != nil {
		closeTools()
		return nil, err
	}
	r, err := session.NewRunner(session.Config{
		Agent: agent, Tools: reg, Bus: w.Bus, Model: w.Model,
		Instructions: w.sf.instructions, MaxTurns: w.sf.maxTurns, MaxTokens: w.sf.maxTokens, MaxCost: w.sf.maxCost,
		WarnPercent: w.fc.WarnPercent, Prices: prices(w.fc), Parts: w.Parts,
		TranscriptPath: w.transcriptPath(), OnClose: closeTools, JIT: jit,
	})
	if err != nil {
		closeTools()
		return nil, withCode(exitConfig, err)
	}
	return r, nil
}

// transcriptPath is --transcript for the first session and PATH-2, PATH-3… for the sessions
// after an agent switch; "" lets the session pick its file in the state directory.
func (w *world) transcriptPath() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sessions++
	if w.sf.transcript == "" || w.sessions == 1 {
		return w.sf.transcript
	}
	ext := filepath.Ext(w.sf.transcript)
	return fmt.Sprintf("%s-%d%s", strings.TrimSuffix(w.sf.transcript, ext), w.sessions, ext)
}

// Close stops the embedded parts.
func (w *world) Close() {
	if w.MCP != nil {
		w.MCP.Close()
	}
	if w.stopModel != nil {
		w.stopModel()
	}
	if w.Auth != nil && w.Auth.Close != nil {
		w.Auth.Close()
	}
}
