package session

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools"
)

// DefaultInstructions are the seed example's instructions for the research analyst.
const DefaultInstructions = "You are a senior analyst. Use tools to search documents and query financial metrics."

// Defaults for Config fields left zero.
const (
	DefaultMaxTurns    = 8
	DefaultWarnPercent = 80
	DefaultModel       = "gpt-4o-mini"
	defaultTimeout     = 60 * time.Second
	defaultMaxRetries  = 3
	defaultRetryBase   = 500 * time.Millisecond
	maxRetryWait       = 60 * time.Second
)

// ModelConfig says which model endpoint to talk to.
type ModelConfig struct {
	BaseURL  string // OpenAI-compatible base URL ending in /v1; "" = OpenAI
	APIKey   string // "" for servers that need none
	Name     string // model id, e.g. gpt-4o-mini
	Embedded bool   // the embedded demo model: usage is an estimate and free
	// Timeout is how long the model may stay silent (no response, no chunk) before the
	// attempt counts as timed out (default 60 s).
	Timeout time.Duration
	// MaxRetries is the number of retries after a retryable failure (default 3; <0 = none).
	MaxRetries int
	// RetryBaseDelay is the first backoff delay, doubled each retry (default 500 ms).
	RetryBaseDelay time.Duration
	// HTTPClient, when set, is used for model requests (tests, proxies).
	HTTPClient *http.Client
	// ContextWindow is the model's context window in tokens (0 = what the server reports,
	// else the built-in table of common models). Requests are kept within it.
	ContextWindow int64
	// ContextWindowSource says who set ContextWindow, for people (events, the dashboard's
	// context gauge): "--context-window", "the configuration file"; "" = "configured".
	ContextWindowSource string
}

// Config configures a Runner.
type Config struct {
	Agent *auth.Agent     // required: the agent the session runs as
	Tools *tools.Registry // tools offered to the model (nil = none)
	// ToolList describes Tools for session.start (nil = listed from Tools, every server reachable).
	ToolList     []tools.Listing
	Bus          *Bus // required: where events go
	Model        ModelConfig
	Instructions string  // system instructions ("" = DefaultInstructions)
	MaxTurns     int     // model turns per request (default 8)
	MaxTokens    int64   // local cap on session tokens (0 = none)
	MaxCost      float64 // local cap on session cost in USD (0 = none)
	WarnPercent  float64 // budget warning threshold (default 80)
	Prices       map[string]Price
	Parts        []Part
	// TranscriptPath is the JSONL transcript file ("" = a new file in TranscriptDir).
	TranscriptPath string
	// TranscriptDir is where a new transcript file goes ("" = TranscriptDir(os.Getenv)).
	TranscriptDir string
	// OnClose runs when the runner closes (e.g. to close the agent's MCP sessions).
	OnClose func()
	// JIT configures just-in-time escalation of denied capabilities (--jit). Mode "" = off
	// for library callers; the CLI defaults to ask. Its Report is set by the runner.
	JIT tools.JITConfig
}

// NewRunner checks cfg and opens the session's transcript.
func NewRunner(cfg Config) (*Runner, error) {
	if cfg.Agent == nil {
		return nil, errors.New("session: Config.Agent is required (the agent the session runs as)")
	}
	if cfg.Bus == nil {
		return nil, errors.New("session: Config.Bus is required")
	}
	if cfg.Model.ContextWindow < 0 {
		return nil, fmt.Errorf("session: the context window must not be negative (got %d tokens)", cfg.Model.ContextWindow)
	}
	if cfg.MaxTurns < 0 || cfg.MaxTokens < 0 || cfg.MaxCost < 0 {
		return nil, fmt.Errorf("session: --max-turns, --max-tokens and --max-cost must not be negative (got %d, %d, %v)", cfg.MaxTurns, cfg.MaxTokens, cfg.MaxCost)
	}
	if cfg.WarnPercent < 0 || cfg.WarnPercent > 100 {
		return nil, fmt.Errorf("session: warn percent must be between 1 and 100, got %v", cfg.WarnPercent)
	}
	if cfg.MaxTurns == 0 {
		cfg.MaxTurns = DefaultMaxTurns
	}
	if cfg.WarnPercent == 0 {
		cfg.WarnPercent = DefaultWarnPercent
	}
	if cfg.Instructions == "" {
		cfg.Instructions = DefaultInstructions
	}
	m := &cfg.Model
	if m.Name == "" {
		m.Name = DefaultModel
	}
	if m.Timeout <= 0 {
		m.Timeout = defaultTimeout
	}
	if m.MaxRetries == 0 {
		m.MaxRetries = defaultMaxRetries
	}
	if m.RetryBaseDelay <= 0 {
		m.RetryBaseDelay = defaultRetryBase
	}
	id := newSessionID()
	path := cfg.TranscriptPath
	if path == "" {
		dir := cfg.TranscriptDir
		if dir == "" {
			var err error
			if dir, err = TranscriptDir(os.Getenv); err != nil {
				return nil, err
			}
		}
		path = filepath.Join(dir, TranscriptName(time.Now(), id))
	}
	tw, err := CreateTranscript(path, id)
	if err != nil {
		return nil, err
	}
	r := &Runner{cfg: cfg, id: id, transcript: tw, prices: NewPriceTable(cfg.Prices), warned: map[string]bool{}, calibration: 1}
	// Before any usage the session's cost already says how this model is priced: "local
	// (free)", "unpriced" or $0 of a priced model — so no screen shows a guess.
	r.cost = r.prices.Cost(cfg.Model.Name, Usage{}, cfg.Model.Embedded)
	r.client = openai.NewClient(clientOptions(cfg.Model)...)
	r.gate = tools.NewGate(cfg.Agent, cfg.Bus.GateReporter())
	if cfg.JIT.Mode != "" && cfg.JIT.Mode != tools.JITModeOff {
		jc := cfg.JIT
		jc.Report = cfg.Bus.JITReporter()
		j, err := tools.NewJIT(cfg.Agent, jc)
		if err != nil {
			_ = tw.Close()
			return nil, fmt.Errorf("session: %w", err)
		}
		r.gate.JIT, r.jit = j, j
	}
	r.toolParams = toolParams(cfg.Tools)
	if b, err := json.Marshal(r.toolParams); err == nil {
		r.toolsJSONLen = len(b)
	}
	ac := cfg.Agent.Config()
	r.agent = AgentRef{Name: ac.ClientID, ClientID: ac.ClientID, Organization: cmp.Or(ac.OrgID, ac.Tenant)}
	r.unsubscribe = cfg.Bus.Subscribe(tw)
	return r, nil
}

func clientOptions(m ModelConfig) []option.RequestOption {
	key := m.APIKey
	if key == "" {
		key = "none" // OpenAI-compatible local servers ignore it; the client wants one
	}
	opts := []option.RequestOption{option.WithAPIKey(key), option.WithMaxRetries(0)}
	if m.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(strings.TrimRight(m.BaseURL, "/")+"/"))
	}
	hc := m.HTTPClient
	if hc == nil {
		hc = modelHTTPClient
	}
	return append(opts, option.WithHTTPClient(hc))
}

// modelHTTPClient is shared by every session's model client. openai-go's own default leaves
// one idle connection (three goroutines) behind per streamed request; a plain client on
// http.DefaultTransport pools them (found by the soak test, reliability/soak_test.go).
var modelHTTPClient = &http.Client{}

func toolParams(reg *tools.Registry) []openai.ChatCompletionToolUnionParam {
	if reg == nil {
		return nil
	}
	var out []openai.ChatCompletionToolUnionParam
	for _, t := range reg.Tools() {
		params := t.Parameters()
		if params == nil {
			params = map[string]any{"type": "object", "properties": map[string]any{}}
		}
		out = append(out, openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name: t.Name(), Description: openai.String(t.Description()), Parameters: shared.FunctionParameters(params),
		}))
	}
	return out
}

func newSessionID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "s-" + hex.EncodeToString(b)
}
