package auth

// SCAFFOLD: signatures only, so other packages compile. The auth implementer replaces this file.

import (
	"context"
	"errors"
	"net/http"
	"time"
)

var errScaffold = errors.New("auth: not implemented yet")

// Agent is a LumoAuth agent client. Safe for concurrent use.
type Agent struct {
	cfg  Config
	hook Hook
	now  func() time.Time
	http *http.Client
}

// Option configures an Agent.
type Option func(*Agent)

func New(cfg Config, opts ...Option) (*Agent, error) {
	a := &Agent{cfg: cfg, now: time.Now}
	for _, o := range opts {
		o(a)
	}
	return a, nil
}
func WithHook(h Hook) Option                { return func(a *Agent) { a.hook = h } }
func WithClock(now func() time.Time) Option { return func(a *Agent) { a.now = now } }
func WithHTTPClient(c *http.Client) Option  { return func(a *Agent) { a.http = c } }
func WithInfoMaxAge(d time.Duration) Option { return func(a *Agent) {} }
func (a *Agent) Config() Config             { return a.cfg }
func (a *Agent) Authenticate(ctx context.Context) (TokenSummary, error) {
	return TokenSummary{}, errScaffold
}
func (a *Agent) Token(ctx context.Context) (*Credential, error) { return nil, errScaffold }
func (a *Agent) Info(ctx context.Context) (Info, error)         { return Info{}, errScaffold }
func (a *Agent) RefreshInfo(ctx context.Context) (Info, error)  { return Info{}, errScaffold }
func (a *Agent) CachedInfo() (Info, bool)                       { return Info{}, false }
func (a *Agent) HasCapability(ctx context.Context, c string) (bool, error) {
	return false, errScaffold
}
func (a *Agent) BudgetExhausted(ctx context.Context) (BudgetStatus, error) {
	return BudgetStatus{}, errScaffold
}
func (a *Agent) Exchange(ctx context.Context, audience string) (*Credential, error) {
	return nil, errScaffold
}
func (a *Agent) InvalidateExchange(audience string) {}
func (a *Agent) ReportUsage(ctx context.Context, model string, prompt, completion int64) error {
	return errScaffold
}
func (e *OAuthError) Error() string { return e.Code + ": " + e.Description }
