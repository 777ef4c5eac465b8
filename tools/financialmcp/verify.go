package financialmcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/modelcontextprotocol/go-sdk/auth"
)

// clockSkew is the tolerance for exp, nbf and iat.
const clockSkew = 30 * time.Second

// tokenVerifier checks bearer JWTs for this resource server.
type tokenVerifier struct {
	issuers    []string // the authorization server's issuers (one per LumoAuth prefix)
	resource   string   // the audience tokens are exchanged for; the server's URL is its other name
	now        func() time.Time
	keys       *keySet
	introspect *introspector // nil = offline checks only
}

// accessClaims are the non-registered claims read from an access token.
type accessClaims struct {
	Scope    json.RawMessage `json:"scope"` // "a b" (RFC 8693/9068) or ["a","b"]
	Scp      []string        `json:"scp"`
	ClientID string          `json:"client_id"`
	TaskID   string          `json:"task_id"` // set on tokens from a JIT grant
	// AuthorizationDetails are the JIT grants the token carries (RFC 9396), which the JIT
	// rules ask for.
	AuthorizationDetails []grantDetail `json:"authorization_details"`
}

// grantDetail is the part of an RFC 9396 authorization details object the rules read.
type grantDetail struct {
	Type       string   `json:"type"`
	Actions    []string `json:"actions"`
	Identifier string   `json:"identifier"`
}

// invalid wraps auth.ErrInvalidToken so the SDK middleware answers 401.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", auth.ErrInvalidToken, fmt.Sprintf(format, args...))
}

// Verify checks token for this server, known as v.resource and as resourceURL. Errors wrap
// auth.ErrInvalidToken when the token is at fault, and never contain the token itself.
func (v *tokenVerifier) Verify(ctx context.Context, token, resourceURL string) (*auth.TokenInfo, error) {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, invalid("not a JWS-signed JWT with alg RS256 (%v)", err)
	}
	if len(tok.Headers) != 1 {
		return nil, invalid("expected exactly one signature, got %d", len(tok.Headers))
	}
	key, err := v.keys.key(ctx, tok.Headers[0].KeyID)
	if err != nil {
		var unknown errUnknownKey
		if errors.As(err, &unknown) {
			return nil, invalid("%v", err)
		}
		return nil, fmt.Errorf("cannot verify tokens right now: %w", err) // our side: 500
	}
	var std jwt.Claims
	var extra accessClaims
	if err := tok.Claims(key, &std, &extra); err != nil {
		return nil, invalid("signature does not verify against the authorization server's key")
	}
	if std.Expiry == nil {
		return nil, invalid("the token has no exp claim")
	}
	if !slices.Contains(v.issuers, std.Issuer) {
		return nil, invalid("issuer %q is not the trusted issuer %s", clip(std.Issuer), strings.Join(v.issuers, " or "))
	}
	now := v.now()
	audiences := jwt.Audience{v.resource, resourceURL}
	expected := jwt.Expected{Issuer: std.Issuer, AnyAudience: audiences, Time: now}
	if err := std.ValidateWithLeeway(expected, clockSkew); err != nil {
		return nil, v.describe(err, std, audiences, now)
	}
	scopes, err := parseScopes(extra)
	if err != nil {
		return nil, invalid("%v", err)
	}
	if v.introspect != nil {
		active, err := v.introspect.active(ctx, token)
		switch {
		case err != nil: // fail closed: a token that may be revoked is not honoured unchecked
			return nil, invalid("could not confirm with the authorization server that the token is still active (%v)", err)
		case !active && extra.TaskID != "":
			return nil, invalid("the token was revoked: its JIT task %s is complete, or the token was revoked", clip(extra.TaskID))
		case !active:
			return nil, invalid("the token was revoked at the authorization server")
		}
	}
	return &auth.TokenInfo{
		Scopes: scopes,
		// The SDK middleware compares Expiration with the wall clock, so express the time the
		// token has left on our (possibly injected) clock as a wall-clock instant.
		Expiration: time.Now().Add(std.Expiry.Time().Sub(now)),
		UserID:     std.Subject,
		Extra: map[string]any{"sub": std.Subject, "client_id": extra.ClientID, "iss": std.Issuer,
			extraGrants: extra.AuthorizationDetails},
	}, nil
}

// extraGrants is the TokenInfo.Extra key of the token's authorization details.
const extraGrants = "authorization_details"

// describe turns a go-jose validation error into a message that says what to do.
func (v *tokenVerifier) describe(err error, c jwt.Claims, audiences jwt.Audience, now time.Time) error {
	switch {
	case errors.Is(err, jwt.ErrInvalidAudience):
		return invalid("audience %s does not include %s; exchange the agent token for this resource (RFC 8693) or ask for a token with resource=%s (RFC 8707)",
			clip(strings.Join(c.Audience, ",")), strings.Join(audiences, " or "), audiences[1])
	case errors.Is(err, jwt.ErrExpired):
		return invalid("token expired at %s (now %s)", c.Expiry.Time().UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrNotValidYet):
		return invalid("token not valid before %s (now %s)", c.NotBefore.Time().UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	case errors.Is(err, jwt.ErrIssuedInTheFuture):
		return invalid("token issued in the future (iat %s)", c.IssuedAt.Time().UTC().Format(time.RFC3339))
	default:
		return invalid("%v", err)
	}
}

func parseScopes(c accessClaims) ([]string, error) {
	var scopes []string
	if len(c.Scope) > 0 && string(c.Scope) != "null" {
		var s string
		var list []string
		switch {
		case json.Unmarshal(c.Scope, &s) == nil:
			scopes = strings.Fields(s)
		case json.Unmarshal(c.Scope, &list) == nil:
			scopes = list
		default:
			return nil, errors.New("the scope claim is neither a string nor a list of strings")
		}
	}
	return append(scopes, c.Scp...), nil
}
