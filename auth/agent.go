package auth

import (
	"github.com/lumodash/lumodash/internal/redact"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"
)

// DefaultInfoMaxAge is how long Info serves its cached copy before asking the server again.
const DefaultInfoMaxAge = 15 * time.Second

// renewAhead is how long before expiry a token (own or exchanged) is replaced.
const renewAhead = 60 * time.Second

// Agent is a LumoAuth agent client. Safe for concurrent use.
type Agent struct {
	cfg        Config
	hook       Hook
	now        func() time.Time
	http       *http.Client
	infoMaxAge time.Duration

	flight singleflight.Group

	basicAuth    atomic.Bool // the token endpoint wants HTTP Basic client authentication
	exchangeAuth atomic.Bool // the exchange needs client authentication in the body
	usageOff     atomic.Bool // the server has no usage endpoint (answered 404)

	mu        sync.Mutex
	token     *heldToken
	info      *Info
	infoStale bool // usage was reported since the last fetch
	exchanged map[string]*heldToken
}

// heldToken is a token with its summary and the moment to replace it.
type heldToken struct {
	raw     string
	summary TokenSummary
	renewAt time.Time
}

func (t *heldToken) fresh(now time.Time) bool { return t != nil && now.Before(t.renewAt) }

func (t *heldToken) credential(audience string, cached bool) *Credential {
	return &Credential{Audience: audience, Summary: t.summary, Cached: cached, raw: t.raw}
}

// Option configures an Agent.
type Option func(*Agent)

// New validates cfg and returns an Agent. It makes no network call.
func New(cfg Config, opts ...Option) (*Agent, error) {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	redact.Secret(cfg.ClientSecret)
	a := &Agent{
		cfg:        cfg,
		now:        time.Now,
		http:       &http.Client{},
		infoMaxAge: DefaultInfoMaxAge,
		exchanged:  map[string]*heldToken{},
	}
	for _, o := range opts {
		o(a)
	}
	return a, nil
}

// WithHook sets the function that receives Reports.
func WithHook(h Hook) Option { return func(a *Agent) { a.hook = h } }

// WithClock replaces time.Now for expiry, caching and budget reset decisions (tests).
func WithClock(now func() time.Time) Option {
	return func(a *Agent) {
		if now != nil {
			a.now = now
		}
	}
}

// WithHTTPClient sets the HTTP client (its Timeout, if any, applies on top of Config.Timeout).
func WithHTTPClient(c *http.Client) Option {
	return func(a *Agent) {
		if c != nil {
			a.http = c
		}
	}
}

// WithInfoMaxAge sets how long cached agent info is served (default 15 s; ≤ 0 = always ask).
func WithInfoMaxAge(d time.Duration) Option { return func(a *Agent) { a.infoMaxAge = d } }

// Config returns the configuration with the client secret redacted.
func (a *Agent) Config() Config {
	c := a.cfg
	if c.ClientSecret != "" {
		c.ClientSecret = redactedSecret
	}
	c.Scopes = append([]string(nil), c.Scopes...)
	return c
}

func (a *Agent) report(r Report) {
	if a.hook == nil {
		return
	}
	if r.At.IsZero() {
		r.At = a.now()
	}
	a.hook(r)
}

// renewAt is when a token obtained at now and expiring at expiry should be replaced:
// renewAhead before expiry, or halfway for tokens that live less than twice that.
func renewAt(now, expiry time.Time) time.Time {
	ahead := renewAhead
	if life := expiry.Sub(now); life < 2*renewAhead {
		ahead = life / 2
	}
	return expiry.Add(-ahead)
}
