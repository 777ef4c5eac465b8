package devserver

import (
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

// Token uses, in the token_use claim.
const (
	useAccess   = "access"   // client credentials and JIT tokens: the agent's own
	useExchange = "exchange" // RFC 8693 tokens for one protected resource
)

// tokenClaims are the claims of every token this server issues.
type tokenClaims struct {
	Issuer       string           `json:"iss"`
	Subject      string           `json:"sub"`
	Audience     jwt.Audience     `json:"aud"`
	Expiry       *jwt.NumericDate `json:"exp"`
	IssuedAt     *jwt.NumericDate `json:"iat"`
	NotBefore    *jwt.NumericDate `json:"nbf"`
	ID           string           `json:"jti"`
	ClientID     string           `json:"client_id"`
	Scope        string           `json:"scope,omitempty"`
	AgentName    string           `json:"agent_name"`
	AgentID      string           `json:"agent_id,omitempty"`
	Tenant       string           `json:"tenant"`
	Organization string           `json:"organization"`
	TokenUse     string           `json:"token_use"`
	// Act is the RFC 8693 actor of an exchanged token.
	Act *actor `json:"act,omitempty"`
	// JIT grants (RFC 9396 authorization details), also carried into tokens exchanged from them.
	AuthorizationDetails []authorizationDetail `json:"authorization_details,omitempty"`
	JITCapability        string                `json:"jit_capability,omitempty"`
	TaskID               string                `json:"task_id,omitempty"`
	JITRequestID         string                `json:"jit_request_id,omitempty"`
	// ParentJTI is the jti of the token an exchanged token was exchanged from: revoking that
	// token revokes this one too.
	ParentJTI string `json:"parent_jti,omitempty"`
}

type actor struct {
	Subject  string `json:"sub"`
	ClientID string `json:"client_id,omitempty"`
}

// primary says whether the token is an agent's own access token (not one for a resource):
// its audience is its (verified) issuer.
func (c tokenClaims) primary() bool {
	return c.TokenUse == useAccess && c.Audience.Contains(c.Issuer)
}

func subjectOf(a AgentConfig) string { return a.IdentityType + ":" + a.ClientID }

// mint signs a token of issuer for c. expires is capped by the caller (TTL or a grant's end).
func (s *Server) mint(issuer string, c *client, aud jwt.Audience, scope, use string, expires time.Time, extra func(*tokenClaims)) (string, tokenClaims, error) {
	now := s.now()
	claims := tokenClaims{
		Issuer: issuer, Subject: subjectOf(c.conf), Audience: aud,
		Expiry: jwt.NewNumericDate(expires), IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now),
		ID: randomID("", 12), ClientID: c.conf.ClientID, Scope: scope,
		AgentName: c.conf.Name, AgentID: c.conf.AgentID,
		Tenant: s.cfg.Organization, Organization: s.cfg.Organization, TokenUse: use,
	}
	if extra != nil {
		extra(&claims)
	}
	raw, err := s.keys.sign(claims)
	if err != nil {
		return "", tokenClaims{}, fmt.Errorf("signing the token: %w", err)
	}
	return raw, claims, nil
}

// clockSkew tolerates small differences between the server's clock and an issuing instant.
const clockSkew = 5 * time.Second

// verify checks a token of ours: signature, issuer (either prefix's), time, client and
// revocation (RFC 7009, or its JIT task completed). It returns the reason it is not valid, or "".
func (s *Server) verify(raw string) (tokenClaims, *client, string) {
	var claims tokenClaims
	if err := s.keys.parse(raw, &claims); err != nil {
		return claims, nil, "the token is not a JWT signed by this server"
	}
	now := s.now()
	switch {
	case !s.ours(claims.Issuer):
		return claims, nil, fmt.Sprintf("the token was issued by %q, not by this server", claims.Issuer)
	case claims.Expiry == nil || !now.Before(claims.Expiry.Time()):
		return claims, nil, "the token has expired; obtain a new one from oauth/token"
	case claims.NotBefore != nil && now.Add(clockSkew).Before(claims.NotBefore.Time()):
		return claims, nil, "the token is not valid yet"
	}
	c, ok := s.clients[claims.ClientID]
	if !ok {
		return claims, nil, fmt.Sprintf("the token's client %q is not registered", claims.ClientID)
	}
	s.mu.Lock()
	completed := claims.TaskID != "" && s.jit.taskCompleted(claims.TaskID)
	_, revoked := s.revoked[claims.ID]
	_, parentRevoked := s.revoked[claims.ParentJTI]
	s.mu.Unlock()
	switch {
	case completed:
		return claims, nil, fmt.Sprintf("the token was revoked: JIT task %s is complete", claims.TaskID)
	case revoked:
		return claims, nil, "the token was revoked (oauth/revoke)"
	case claims.ParentJTI != "" && parentRevoked:
		return claims, nil, "the token was revoked: the token it was exchanged from was revoked (oauth/revoke)"
	}
	return claims, c, ""
}

// expiresIn is the whole seconds from now to t, at least 1.
func expiresIn(t, now time.Time) int64 {
	if d := int64(t.Sub(now).Round(time.Second) / time.Second); d > 0 {
		return d
	}
	return 1
}
