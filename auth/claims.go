package auth

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lumodash/lumodash/internal/redact"
)

// Fingerprint is a short one-way name for a token: the first 8 hex digits of its SHA-256.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:4])
}

// DecodeClaims reads a JWT's payload WITHOUT verifying it — for display only, never for a
// decision. ok is false when the token is not a JWT (the claims are then empty).
func DecodeClaims(token string) (c Claims, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, false
	}
	var w struct {
		Iss          string          `json:"iss"`
		Sub          string          `json:"sub"`
		Aud          json.RawMessage `json:"aud"`
		Scope        json.RawMessage `json:"scope"`
		Scp          []string        `json:"scp"`
		ClientID     string          `json:"client_id"`
		AgentName    string          `json:"agent_name"`
		Organization string          `json:"organization"`
		Tenant       string          `json:"tenant"`
		Org          string          `json:"org"`
		TokenUse     string          `json:"token_use"`
		JTI          string          `json:"jti"`
		Iat          json.Number     `json:"iat"`
		Exp          json.Number     `json:"exp"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if dec.Decode(&w) != nil {
		return Claims{}, false
	}
	c = Claims{
		Issuer: w.Iss, Subject: w.Sub, ClientID: w.ClientID, AgentName: w.AgentName,
		Org: cmp.Or(w.Organization, w.Tenant, w.Org), TokenUse: w.TokenUse, JTI: w.JTI,
		Audience:  stringOrList(w.Aud),
		IssuedAt:  unixTime(w.Iat),
		ExpiresAt: unixTime(w.Exp),
	}
	if scopes := stringOrList(w.Scope); len(scopes) > 0 {
		c.Scope = strings.Join(scopes, " ")
	} else {
		c.Scope = strings.Join(w.Scp, " ")
	}
	return c, true
}

// summarize describes a token without revealing it. expiry and scope come from the token
// answer; when absent the claims fill them.
func summarize(raw string, expiry time.Time, scope string) TokenSummary {
	redact.Token(raw) // every token auth receives passes here
	claims, _ := DecodeClaims(raw)
	if expiry.IsZero() {
		expiry = claims.ExpiresAt
	}
	return TokenSummary{
		Fingerprint: Fingerprint(raw),
		Claims:      claims,
		ExpiresAt:   expiry,
		Scope:       cmp.Or(scope, claims.Scope),
	}
}

// expiryOf decides when a token obtained at now expires: expires_in when the server sent it,
// else the JWT exp claim, else one hour. With exp and iat the token's lifetime (exp − iat) is
// counted from now, so a client clock that is off the server's cannot make a fresh token look
// expired (which would re-run the grant before every request).
func expiryOf(now time.Time, expiresIn float64, raw string) time.Time {
	if expiresIn > 0 && expiresIn < math.MaxInt32 {
		return now.Add(time.Duration(expiresIn * float64(time.Second)))
	}
	if c, ok := DecodeClaims(raw); ok && !c.ExpiresAt.IsZero() {
		if !c.IssuedAt.IsZero() && c.ExpiresAt.After(c.IssuedAt) {
			return now.Add(c.ExpiresAt.Sub(c.IssuedAt))
		}
		return c.ExpiresAt
	}
	return now.Add(time.Hour)
}

// number reads a JSON number that a server may also send as a string.
func number(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case json.Number:
		f, _ := n.Float64()
		return f
	case string:
		f, _ := strconv.ParseFloat(strings.TrimSpace(n), 64)
		return f
	case int64:
		return float64(n)
	case int:
		return float64(n)
	}
	return 0
}

func stringOrList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		if one == "" {
			return nil
		}
		if strings.Contains(one, " ") {
			return strings.Fields(one)
		}
		return []string{one}
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

func unixTime(n json.Number) time.Time {
	f, err := n.Float64()
	if err != nil || f <= 0 || f > 1e11 {
		return time.Time{}
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC()
}
