package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
)

// ExchangeAs trades subject — a token other than the agent's own, e.g. the JIT token of an
// approved request — for one whose audience is audience (RFC 8693). The answer is not cached:
// it lives only as long as the grant it was exchanged from, which the caller tracks.
// Failures are *OAuthError and are reported like any exchange.
func (a *Agent) ExchangeAs(ctx context.Context, subject *Credential, audience string) (*Credential, error) {
	audience = strings.TrimSpace(audience)
	path := a.cfg.path(tokenEndpoint)
	fail := func(ans answer, err error) (*Credential, error) {
		a.report(Report{Kind: ReportExchangeFailed, Duration: ans.duration, Method: http.MethodPost,
			Endpoint: path, Status: ans.status, Audience: audience, Err: err, Detail: "with the JIT token"})
		return nil, err
	}
	switch {
	case subject == nil || subject.raw == "":
		return fail(answer{}, &OAuthError{Endpoint: path, Code: "invalid_request",
			Description: "ExchangeAs needs a subject token, e.g. the credential from JITToken"})
	case audience == "":
		return fail(answer{}, &OAuthError{Endpoint: path, Code: "invalid_request",
			Description: "token exchange needs an audience, e.g. urn:mcp:financial-data"})
	}
	held, ans, err := a.postExchange(ctx, subject.raw, audience)
	if err != nil {
		return fail(ans, err)
	}
	summary := held.summary
	a.report(Report{Kind: ReportExchangeNew, Duration: ans.duration, Method: http.MethodPost, Endpoint: path,
		Status: ans.status, Audience: audience, Token: &summary,
		Detail: "new · with the JIT token · expires in " + numfmt.Duration(summary.ExpiresAt.Sub(a.now()))})
	return held.credential(audience, false), nil
}

// HeaderInsufficientAuthorizationDetails is the header in which a resource server names the
// authorization details a call lacks (base64 of their JSON), next to a 403 whose
// WWW-Authenticate says error="insufficient_authorization_details".
const HeaderInsufficientAuthorizationDetails = "Insufficient-Authorization-Details"

// ParseInsufficientAuthorizationDetails decodes that header's value: base64 (standard or
// URL alphabet, padded or not) of one authorization_details object or an array of them.
func ParseInsufficientAuthorizationDetails(value string) ([]AuthorizationDetails, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, fmt.Errorf("the %s header is empty", HeaderInsufficientAuthorizationDetails)
	}
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(value); err == nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the %s header is not base64: %w", HeaderInsufficientAuthorizationDetails, err)
	}
	raw = []byte(strings.TrimSpace(string(raw)))
	var details []AuthorizationDetails
	if len(raw) > 0 && raw[0] == '[' {
		err = json.Unmarshal(raw, &details)
	} else {
		var one AuthorizationDetails
		err = json.Unmarshal(raw, &one)
		details = []AuthorizationDetails{one}
	}
	if err != nil {
		return nil, fmt.Errorf("the %s header does not hold authorization_details JSON: %w", HeaderInsufficientAuthorizationDetails, err)
	}
	for _, d := range details {
		if strings.TrimSpace(d.Type) == "" {
			return nil, fmt.Errorf("the %s header names authorization details without a type", HeaderInsufficientAuthorizationDetails)
		}
	}
	return details, nil
}
