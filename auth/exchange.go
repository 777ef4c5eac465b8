package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/numfmt"
)

// String describes the credential by its summary (also for %v and %+v): printing one never
// shows the token itself.
func (c Credential) String() string {
	return fmt.Sprintf("{Audience:%s Cached:%t Fingerprint:%s ExpiresAt:%s}",
		c.Audience, c.Cached, c.Summary.Fingerprint, c.Summary.ExpiresAt.Format(time.RFC3339))
}

// GoString is String for %#v.
func (c Credential) GoString() string { return "auth.Credential" + c.String() }

// RFC 8693 names, as LumoAuth's SDK sends them.
const (
	GrantTypeTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	TokenTypeAccessToken   = "urn:ietf:params:oauth:token-type:access_token"
)

// Exchange trades the agent's token for one whose audience is audience (RFC 8693). Tokens are
// cached per audience until about 60 s before they expire; concurrent exchanges for one
// audience share one request. Failures are *OAuthError.
func (a *Agent) Exchange(ctx context.Context, audience string) (*Credential, error) {
	audience = strings.TrimSpace(audience)
	path := a.cfg.path(tokenEndpoint)
	if audience == "" {
		err := &OAuthError{Endpoint: path, Code: "invalid_request",
			Description: "token exchange needs an audience, e.g. urn:mcp:financial-data"}
		a.report(Report{Kind: ReportExchangeFailed, Endpoint: path, Err: err})
		return nil, err
	}
	if held := a.cachedExchange(audience); held != nil {
		summary := held.summary
		a.report(Report{Kind: ReportExchangeCached, Audience: audience, Token: &summary,
			Detail: "cached · expires in " + numfmt.Duration(summary.ExpiresAt.Sub(a.now()))})
		return held.credential(audience, true), nil
	}
	fetched := false // set only where this caller's flight made the request
	v, err := a.shared(ctx, "exchange\x00"+audience, tokenEndpoint, func(ctx context.Context) (any, error) {
		if held := a.cachedExchange(audience); held != nil { // a flight that just ended stored it
			return held, nil
		}
		fetched = true
		return a.fetchExchange(ctx, audience)
	})
	if err != nil {
		return nil, err
	}
	// A caller that waited on another's request got that token, not one of its own.
	return v.(*heldToken).credential(audience, !fetched), nil
}

// InvalidateExchange drops the cached token for audience (e.g. after the resource said 401).
func (a *Agent) InvalidateExchange(audience string) {
	a.mu.Lock()
	delete(a.exchanged, strings.TrimSpace(audience))
	a.mu.Unlock()
}

func (a *Agent) cachedExchange(audience string) *heldToken {
	a.mu.Lock()
	held := a.exchanged[audience]
	a.mu.Unlock()
	if held.fresh(a.now()) {
		return held
	}
	return nil
}

// exchangeAnswer is the RFC 8693 token answer.
type exchangeAnswer struct {
	AccessToken     string  `json:"access_token"`
	IssuedTokenType string  `json:"issued_token_type"`
	TokenType       string  `json:"token_type"`
	ExpiresIn       flexInt `json:"expires_in"`
	Scope           string  `json:"scope"`
	Error           string  `json:"error"`
}

func (a *Agent) fetchExchange(ctx context.Context, audience string) (*heldToken, error) {
	path := a.cfg.path(tokenEndpoint)
	subject, err := a.ownToken(ctx)
	if err != nil {
		a.report(Report{Kind: ReportExchangeFailed, Method: http.MethodPost, Endpoint: path, Audience: audience, Err: err})
		return nil, err
	}
	held, ans, err := a.postExchange(ctx, subject.raw, audience)
	if err != nil {
		a.report(Report{Kind: ReportExchangeFailed, Duration: ans.duration, Method: http.MethodPost,
			Endpoint: path, Status: ans.status, Audience: audience, Err: err})
		return nil, err
	}
	a.mu.Lock()
	a.exchanged[audience] = held
	a.mu.Unlock()
	summary := held.summary
	a.report(Report{Kind: ReportExchangeNew, Duration: ans.duration, Method: http.MethodPost, Endpoint: path,
		Status: ans.status, Audience: audience, Token: &summary,
		Detail: "new · expires in " + numfmt.Duration(summary.ExpiresAt.Sub(a.now()))})
	return held, nil
}

// postExchange sends one RFC 8693 exchange of subjectToken for audience (authenticating the
// client when the server wants it) and reads the answer. It neither caches nor reports.
func (a *Agent) postExchange(ctx context.Context, subjectToken, audience string) (*heldToken, answer, error) {
	path := a.cfg.path(tokenEndpoint)
	withClientAuth := a.exchangeAuth.Load()
	ans, err := a.sendForm(ctx, tokenEndpoint, a.exchangeForm(subjectToken, audience, withClientAuth))
	if err == nil && !withClientAuth && refusedForNoClientAuth(ans) {
		// Not LumoAuth's SDK behaviour but RFC 6749 §2.3.1: this server wants the client to
		// authenticate the exchange. Do so from now on.
		first := ans.duration
		ans, err = a.sendForm(ctx, tokenEndpoint, a.exchangeForm(subjectToken, audience, true))
		ans.duration += first
		if err == nil && ans.ok() {
			a.exchangeAuth.Store(true)
		}
	}
	if err != nil {
		return nil, ans, err
	}
	var x exchangeAnswer
	if !ans.ok() {
		return nil, ans, a.parseErrorAnswer(path, ans.status, ans.body)
	}
	if err := json.Unmarshal(ans.body, &x); err != nil {
		return nil, ans, a.invalidResponse(path, ans.status, "malformed JSON in the exchange answer: "+err.Error()+" — "+bodySnippet(ans.body), err)
	}
	if x.Error != "" {
		return nil, ans, a.parseErrorAnswer(path, ans.status, ans.body)
	}
	if x.AccessToken == "" {
		return nil, ans, a.invalidResponse(path, ans.status, "the exchange answer has no access_token", nil)
	}
	now := a.now()
	expiry := expiryOf(now, float64(x.ExpiresIn), x.AccessToken)
	summary := summarize(x.AccessToken, expiry, x.Scope)
	summary.Type, summary.SubjectFingerprint, summary.SubjectType = x.IssuedTokenType, Fingerprint(subjectToken), TokenTypeAccessToken
	return &heldToken{raw: x.AccessToken, summary: summary, renewAt: renewAt(now, expiry)}, ans, nil
}

// exchangeForm is the exchange request body; client credentials only when the server wants them.
func (a *Agent) exchangeForm(subjectToken, audience string, clientAuth bool) url.Values {
	form := url.Values{
		"grant_type":         {GrantTypeTokenExchange},
		"subject_token":      {subjectToken},
		"subject_token_type": {TokenTypeAccessToken},
		"audience":           {audience},
	}
	if clientAuth {
		form.Set("client_id", a.cfg.ClientID)
		form.Set("client_secret", a.cfg.ClientSecret)
	}
	return form
}

// refusedForNoClientAuth reports whether the server answered invalid_client (401 or 400).
func refusedForNoClientAuth(ans answer) bool {
	if ans.status != http.StatusUnauthorized && ans.status != http.StatusBadRequest {
		return false
	}
	var eb struct {
		Error string `json:"error"`
	}
	return json.Unmarshal(ans.body, &eb) == nil && eb.Error == "invalid_client"
}
