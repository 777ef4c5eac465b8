// Package app builds the world a lumodash command works in, once, from plain settings: the
// authorization side (a real LumoAuth or the embedded devserver), the tool side (document
// search, the financial MCP server, configured MCP servers), the model (OpenAI, an
// OpenAI-compatible server or the embedded demo model), the event bus and the session
// runners on it. It knows nothing of flags (internal/cli turns flags into Settings).
package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/internal/telemetry"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
	"github.com/lumodash/lumodash/ui"
)

// Scope is how much of the world a command needs; each includes the ones before it.
type Scope int

const (
	ScopeAuth     Scope = iota // the authorization side (whoami)
	ScopeTools                 // and the tool side (call)
	ScopeSessions              // and the model, for session runners (the dashboard, run)
)

// World is every part a command needs, embedded or real, plus the event bus shared by all
// its sessions.
type World struct {
	Auth  *AuthSide
	Tools *ToolSide           // nil below ScopeTools
	Model session.ModelConfig // zero below ScopeSessions
	Parts []session.Part
	Bus   *session.Bus
	// Escalation is the person in the loop of JIT requests (the dashboard, a terminal, or
	// nil); set it before NewRunner.
	Escalation tools.Escalation
	// Elicit answers MCP servers' elicitation/create (the dashboard's dialog); nil declines
	// them, as headless runs do. Set it before NewRunner.
	Elicit func(context.Context, tools.Elicitation) tools.ElicitAnswer

	ctx       context.Context
	settings  Settings
	config    *Config
	stopModel func()
	telemetry *worldTelemetry // nil: no collector configured

	mu          sync.Mutex
	sessions    int      // runners asked for so far
	transcripts []string // one per runner built, in order
}

// Open loads the configuration file and the dotenv file, then starts or reaches the parts of
// scope. A *ConfigError is the user's to fix; any other error is a part that failed.
func Open(ctx context.Context, s Settings, scope Scope) (*World, error) {
	return OpenWith(ctx, s, nil, scope)
}

// OpenWith is Open with the configuration file already loaded (nil: load it).
func OpenWith(ctx context.Context, s Settings, cfg *Config, scope Scope) (*World, error) {
	if scope >= ScopeSessions {
		if err := s.Session.Validate(); err != nil {
			return nil, configError(err)
		}
	}
	if cfg == nil {
		var err error
		if cfg, err = LoadConfig(s); err != nil {
			return nil, err
		}
	}
	env, dotenv, err := s.env()
	if err != nil {
		return nil, err
	}
	var export telemetry.Settings
	if scope >= ScopeSessions {
		if export, err = telemetrySettings(s, cfg, env); err != nil {
			return nil, err
		}
	}
	w := &World{ctx: context.WithoutCancel(ctx), settings: s, config: cfg, Bus: session.NewBus(), stopModel: func() {}}
	if w.Auth, err = startAuth(s, cfg, env, dotenv); err != nil {
		return nil, err
	}
	w.Auth.Notices = append(w.Auth.Notices, dotenvNotices(s.EnvFile, dotenv)...)
	w.Parts = []session.Part{w.Auth.Part}
	if scope >= ScopeTools {
		if w.Tools, err = startTools(s, cfg, w.Auth); err != nil {
			w.Close()
			return nil, err
		}
		w.Parts = append(w.Parts, w.Tools.Parts...)
	}
	if scope >= ScopeSessions {
		var modelPart session.Part
		if w.Model, modelPart, w.stopModel, err = startModel(s, env); err != nil {
			w.Close()
			return nil, err
		}
		setContextWindow(&w.Model, s.Session.ContextWindow, cfg)
		w.Parts = append(w.Parts, modelPart)
		if err := w.startTelemetry(export); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// env is the environment the parts are configured from: the process's, then the dotenv
// file (also returned on its own).
func (s Settings) env() (env func(string) string, dotenv map[string]string, err error) {
	dotenv, err = auth.LoadDotEnv(s.EnvFile)
	if err != nil {
		return nil, nil, configError(fmt.Errorf("--env-file: %w", err))
	}
	return auth.EnvChain(s.getenv, auth.MapEnv(dotenv)), dotenv, nil
}

// NewRunner builds a session runner for agentName ("" = the configured one): a new agent
// client reporting to the bus, its tools, and the model. The world needs ScopeSessions.
func (w *World) NewRunner(agentName string) (*Runner, error) {
	return w.NewRunnerOn(w.Bus, w.Escalation, agentName)
}

// NewRunnerOn is NewRunner reporting to bus, with esc as the person in the loop of its JIT
// requests (compare mode gives each of its two sessions a bus and a dialog of its own).
func (w *World) NewRunnerOn(bus *session.Bus, esc tools.Escalation, agentName string) (*Runner, error) {
	agent, err := w.Auth.NewAgent(agentName, bus.AuthHook())
	if err != nil {
		return nil, err
	}
	at, err := w.Tools.Tools(w.ctx, agent, tools.ClientHooks{Events: bus.ServerReporter(), Elicit: w.Elicit})
	if err != nil {
		return nil, configError(fmt.Errorf("building the agent's tools: %w", err))
	}
	reg, closeTools := at.Registry, at.Close
	jit, err := w.jitConfig(esc)
	if err != nil {
		closeTools()
		return nil, err
	}
	path, dir, err := w.nextTranscript()
	if err != nil {
		closeTools()
		return nil, configError(err)
	}
	ss := w.settings.Session
	r, err := session.NewRunner(session.Config{
		Agent: agent, Tools: reg, Bus: bus, Model: w.Model,
		Instructions: ss.Instructions, MaxTurns: ss.MaxTurns, MaxTokens: ss.MaxTokens, MaxCost: ss.MaxCost,
		WarnPercent: w.config.WarnPercent, Prices: w.config.prices(), Parts: at.Parts(w.Parts), ToolList: at.Listing(),
		TranscriptPath: path, TranscriptDir: dir, OnClose: closeTools, JIT: jit,
	})
	if err != nil {
		closeTools()
		return nil, configError(err)
	}
	w.mu.Lock()
	w.transcripts = append(w.transcripts, r.TranscriptPath())
	w.mu.Unlock()
	return &Runner{Runner: r, tel: w.Telemetry()}, nil
}

// nextTranscript is SessionSettings.Transcript for the first session and PATH-2, PATH-3…
// for the sessions after an agent switch; "" lets the session pick a new file in dir.
func (w *World) nextTranscript() (path, dir string, err error) {
	w.mu.Lock()
	w.sessions++
	n := w.sessions
	w.mu.Unlock()
	path = w.settings.Session.Transcript
	switch {
	case path == "":
		dir, err = session.TranscriptDir(w.settings.getenv)
		return "", dir, err
	case n == 1:
		return path, "", nil
	}
	ext := filepath.Ext(path)
	return fmt.Sprintf("%s-%d%s", strings.TrimSuffix(path, ext), n, ext), "", nil
}

// Transcripts are the transcript paths of the runners built so far, in order.
func (w *World) Transcripts() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.transcripts...)
}

// Dashboard completes the display options (Config.Display) with this world: the bus, the
// agents to switch between, the session limits, the JIT dialogs when escalation is on, and
// a runner per agent. It sets w.Escalation to the dashboard's when JIT is on.
func (w *World) Dashboard(opts ui.Options) ui.Options {
	ss := w.settings.Session
	opts.Bus, opts.Agent = w.Bus, w.settings.Agent
	if w.Auth.Embedded && w.Auth.Dev != nil {
		opts.Agents = w.Auth.Dev.AgentNames()
	}
	opts.MaxTokens, opts.MaxCost, opts.JITMode = ss.MaxTokens, ss.MaxCost, ss.JITMode
	opts.Notices = append(opts.Notices, w.Auth.Notices...)
	if ss.JITMode != tools.JITModeOff {
		esc := ui.NewEscalation("the seeded operator")
		opts.Escalation, w.Escalation = esc, esc
	}
	opts.Elicitor = ui.NewElicitor()
	w.Elicit = opts.Elicitor.Elicit
	if op := w.newDashboardOperator(w.Bus.AuthHook()); op != nil {
		opts.Operator = op
		if opts.Escalation == nil {
			opts.Escalation = ui.NewEscalation("the seeded operator")
		}
		if w.Tools != nil {
			w.Tools.setApprover(opts.Escalation) // approval_required calls open the approval dialog
		}
	}
	opts.NewRunner = func(agent string) (ui.Runner, error) {
		r, err := w.NewRunner(agent)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return r, nil
	}
	return opts
}

// Close ends the telemetry export (ShutdownTelemetry, if the command has not) and stops the
// embedded parts.
func (w *World) Close() {
	_ = w.ShutdownTelemetry()
	if w.Tools != nil {
		w.Tools.Close()
	}
	if w.stopModel != nil {
		w.stopModel()
	}
	if w.Auth != nil && w.Auth.Close != nil {
		w.Auth.Close()
	}
}
