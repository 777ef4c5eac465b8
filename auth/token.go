package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/lumodash/lumodash/internal/numfmt"
)

const tokenEndpoint = "/oauth/token"

// Authenticate runs the client-credentials grant now, replacing any held token.
func (a *Agent) Authenticate(ctx context.Context) (TokenSummary, error) {
	t, err := a.shared(ctx, "token:authenticate", tokenEndpoint, func(ctx context.Context) (any, error) {
		return a.fetchToken(ctx)
	})
	if err != nil {
		return TokenSummary{}, err
	}
	return t.(*heldToken).summary, nil
}

// Token returns the agent's own access token, renewed about 60 s before it expires.
func (a *Agent) Token(ctx context.Context) (*Credential, error) {
	t, err := a.ownToken(ctx)
	if err != nil {
		return nil, err
	}
	return t.credential("", false), nil
}

func (a *Agent) ownToken(ctx context.Context) (*heldToken, error) {
	a.mu.Lock()
	t := a.token
	a.mu.Unlock()
	if t.fresh(a.now()) {
		return t, nil
	}
	v, err := a.shared(ctx, "token", tokenEndpoint, func(ctx context.Context) (any, error) {
		a.mu.Lock()
		t := a.token
		a.mu.Unlock()
		if t.fresh(a.now()) { // another caller renewed it meanwhile
			return t, nil
		}
		return a.fetchToken(ctx)
	})
	if err != nil {
		return nil, err
	}
	return v.(*heldToken), nil
}

// dropToken forgets t (after the server refused it) unless it was already replaced.
func (a *Agent) dropToken(t *heldToken) {
	a.mu.Lock()
	if a.token == t {
		a.token = nil
	}
	a.mu.Unlock()
}

// fetchToken runs the grant through x/oauth2, credentials in the body first; a 401 that asks
// for Basic (WWW-Authenticate: Basic) is retried once with Basic, which is then remembered.
func (a *Agent) fetchToken(ctx context.Context) (*heldToken, error) {
	path := a.cfg.path(tokenEndpoint)
	a.mu.Lock()
	renewal := a.token != nil
	a.mu.Unlock()
	start := time.Now()
	basic := a.basicAuth.Load()
	tok, status, err := a.retrieve(ctx, basic)
	if !basic && wantsBasic(err) {
		if tok, status, err = a.retrieve(ctx, true); err == nil {
			a.basicAuth.Store(true)
		}
	}
	dur := time.Since(start)
	if err != nil {
		oe := a.translateRetrieveError(path, status, err)
		if oe.Code == "invalid_client" {
			oe.Description = strings.TrimSpace(oe.Description + " (check AGENT_CLIENT_ID and AGENT_CLIENT_SECRET)")
		}
		a.report(Report{Kind: ReportTokenFailed, Duration: dur, Method: http.MethodPost, Endpoint: path,
			Status: oe.Status, Err: oe, Detail: "client_credentials failed"})
		return nil, oe
	}
	now := a.now()
	expiry := expiryOf(now, number(tok.Extra("expires_in")), tok.AccessToken)
	scope, _ := tok.Extra("scope").(string)
	held := &heldToken{raw: tok.AccessToken, summary: summarize(tok.AccessToken, expiry, scope), renewAt: renewAt(now, expiry)}
	a.mu.Lock()
	a.token = held
	a.mu.Unlock()
	kind, verb := ReportTokenObtained, "obtained"
	if renewal {
		kind, verb = ReportTokenRenewed, "renewed"
	}
	summary := held.summary
	a.report(Report{Kind: kind, Duration: dur, Method: http.MethodPost, Endpoint: path, Status: status,
		Token: &summary, Detail: "client_credentials " + verb + " · expires in " + numfmt.Duration(expiry.Sub(now))})
	return held, nil
}

// retrieve makes one client-credentials request and returns the HTTP status it got.
func (a *Agent) retrieve(ctx context.Context, basic bool) (*oauth2.Token, int, error) {
	ctx, cancel := context.WithTimeout(ctx, a.cfg.timeout())
	defer cancel()
	rec := &statusRecorder{base: a.http.Transport}
	client := *a.http
	client.Transport = rec
	ctx = context.WithValue(ctx, oauth2.HTTPClient, &client)
	style := oauth2.AuthStyleInParams
	if basic {
		style = oauth2.AuthStyleInHeader
	}
	cc := clientcredentials.Config{
		ClientID:     a.cfg.ClientID,
		ClientSecret: a.cfg.ClientSecret,
		TokenURL:     a.cfg.URL(tokenEndpoint),
		Scopes:       a.cfg.Scopes,
		AuthStyle:    style,
	}
	tok, err := cc.Token(ctx)
	return tok, rec.status, err
}

// wantsBasic reports whether the token endpoint refused body credentials and asked for Basic.
func wantsBasic(err error) bool {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode != http.StatusUnauthorized {
		return false
	}
	for _, h := range re.Response.Header.Values("WWW-Authenticate") {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(h)), "basic") {
			return true
		}
	}
	return false
}

// translateRetrieveError turns x/oauth2's errors (whose text may include the body) into an
// *OAuthError with the OAuth code, the description and the status, redacted.
func (a *Agent) translateRetrieveError(path string, status int, err error) *OAuthError {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		oe := a.parseErrorAnswer(path, status, re.Body)
		if oe.Code == "" {
			oe.Code = a.redact(re.ErrorCode)
		}
		return oe
	}
	if status == 0 { // no HTTP answer at all
		return a.transportError(path, err)
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "missing access_token"):
		msg = "the token answer has no access_token"
	case strings.Contains(msg, "cannot parse"):
		msg = "malformed token answer: " + msg
	}
	return a.invalidResponse(path, status, msg, nil)
}

// statusRecorder remembers the status of the last answer passing through.
type statusRecorder struct {
	base   http.RoundTripper
	status int
}

func (s *statusRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	base := s.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	if resp != nil {
		s.status = resp.StatusCode
	}
	return resp, err
}

// shared runs fn once for all concurrent callers of key. fn runs detached from the first
// caller's cancellation (each request is still bounded by Config.Timeout) so that one caller
// giving up does not fail the others; each caller stops waiting when its own ctx ends.
func (a *Agent) shared(ctx context.Context, key, endpoint string, fn func(context.Context) (any, error)) (any, error) {
	detached := context.WithoutCancel(ctx)
	ch := a.flight.DoChan(key, func() (any, error) { return fn(detached) })
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, a.transportError(a.cfg.path(endpoint), ctx.Err())
	}
}
