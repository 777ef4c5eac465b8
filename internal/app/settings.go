package app

import (
	"errors"
	"fmt"
	"time"

	"github.com/lumodash/lumodash/internal/telemetry"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

// DefaultAgent is the seeded agent a world on the embedded server runs as.
const DefaultAgent = "research-analyst"

// Settings say which world to build: which agent, where the configuration is, and which real
// parts to reach instead of the embedded ones. The CLI fills them from its flags; nothing
// here knows about flags.
type Settings struct {
	Agent      string // seeded agent on the embedded server
	AgentSet   bool   // Agent was asked for (--agent), not the default
	ConfigPath string // lumodash YAML configuration ("" = the default location when it exists)
	EnvFile    string // dotenv file of LUMOAUTH_* / AGENT_* / OPENAI_* variables (missing is fine)
	Insecure   bool   // allow plain http:// to non-loopback hosts
	// EphemeralKey gives the embedded server a signing key made for this run, instead of the
	// one stored in the state directory (also LUMODASH_EPHEMERAL_KEY=1).
	EphemeralKey bool

	// These beat LUMOAUTH_URL, LUMOAUTH_ORG_ID, LUMOAUTH_TENANT and AGENT_CLIENT_ID.
	LumoAuthURL, OrgID, Tenant, ClientID string

	MCPURL string // a real financial MCP server instead of the embedded one
	Docs   string // document folder ("" = the configuration file's, else the embedded corpus)

	// Getenv is the environment: LumoAuth and model variables, XDG_CONFIG_HOME,
	// XDG_STATE_HOME and HOME. nil is an empty environment.
	Getenv func(string) string

	Session SessionSettings // used by ScopeSessions

	// Telemetry is what the --otel-* flags set; the OTEL_* variables and the configuration
	// file's otel key fill in the rest (used by ScopeSessions and export --format otlp).
	Telemetry telemetry.Settings
	Version   string // lumodash's version, exported as service.version
}

// DefaultSettings are the settings of a bare `lumodash` in the environment getenv.
func DefaultSettings(getenv func(string) string) Settings {
	return Settings{Agent: DefaultAgent, EnvFile: ".env", Getenv: getenv, Session: DefaultSessionSettings()}
}

func (s Settings) getenv(k string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(k)
}

// SessionSettings configure the analyst sessions of a world.
type SessionSettings struct {
	Model        string        // model id ("" = OPENAI_MODEL, else the provider's default)
	Instructions string        // system instructions ("" = the seed's)
	MaxTurns     int           // model turns per request
	MaxTokens    int64         // local cap on session tokens (0 = none)
	MaxCost      float64       // local cap on session cost in USD (0 = none)
	Transcript   string        // transcript path of the first session ("" = the state directory)
	ModelTimeout time.Duration // how long the model may stay silent
	ModelRetries int           // retries after a retryable model failure (0 = none)
	DemoPace     time.Duration // pause between the embedded demo model's streamed words
	JITMode      string        // ask, auto or off
	JITTimeout   time.Duration // how long to wait for a human to approve a JIT request
	// ContextWindow is the model's context window in tokens (0 = the configuration file's,
	// else what the server reports, else the built-in table).
	ContextWindow int64
}

// DefaultSessionSettings are the CLI's defaults (the flags show them).
func DefaultSessionSettings() SessionSettings {
	return SessionSettings{MaxTurns: session.DefaultMaxTurns, ModelTimeout: 60 * time.Second, ModelRetries: 3,
		DemoPace: 15 * time.Millisecond, JITMode: tools.JITModeAsk, JITTimeout: tools.DefaultJITTimeout}
}

// Validate checks the settings, naming the flag to fix, and normalises the JIT mode.
func (s *SessionSettings) Validate() error {
	switch {
	case s.MaxTurns < 1:
		return fmt.Errorf("--max-turns must be at least 1, got %d", s.MaxTurns)
	case s.MaxTokens < 0:
		return fmt.Errorf("--max-tokens must be 0 (no cap) or positive, got %d", s.MaxTokens)
	case s.MaxCost < 0:
		return fmt.Errorf("--max-cost must be 0 (no cap) or positive, got %v", s.MaxCost)
	case s.ModelTimeout <= 0:
		return fmt.Errorf("--model-timeout must be positive, got %s", s.ModelTimeout)
	case s.ModelRetries < 0:
		return fmt.Errorf("--model-retries must be 0 or more, got %d", s.ModelRetries)
	}
	if err := checkContextWindow("--context-window", s.ContextWindow); err != nil {
		return err
	}
	mode, err := tools.ParseJITMode(s.JITMode)
	if err != nil {
		return err
	}
	s.JITMode = mode
	if s.JITTimeout <= 0 {
		return fmt.Errorf("--jit-timeout must be positive, got %s", s.JITTimeout)
	}
	return nil
}

// DisplaySettings are the dashboard's looks, for the live dashboard and replay.
type DisplaySettings struct {
	Theme     string // "" = the configuration file's, else auto
	NoColor   bool
	Flat      bool
	Clipboard string // osc52 or system ("" = the configuration file's, else osc52)
	Links     bool   // http(s) links in answers are terminal hyperlinks (or the configuration file's links)
}

// ConfigError is input the user can fix — flags, environment, dotenv or configuration
// file — as opposed to a part that failed to start.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// configError marks err as the user's to fix (nil stays nil).
func configError(err error) error {
	if err == nil {
		return nil
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		return err
	}
	return &ConfigError{Err: err}
}
