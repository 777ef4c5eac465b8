package auth

import (
	"strings"
	"testing"
	"time"
)

func TestDecodeClaims(t *testing.T) {
	tests := []struct {
		name  string
		token string
		ok    bool
		check func(Claims) bool
	}{
		{"aud string, tenant", fakeJWT(map[string]any{"aud": "urn:a", "tenant": "acme", "exp": 1773500000, "iat": 1773496400.5}), true,
			func(c Claims) bool {
				return len(c.Audience) == 1 && c.Audience[0] == "urn:a" && c.Org == "acme" &&
					c.ExpiresAt.Equal(time.Unix(1773500000, 0)) && c.IssuedAt.Equal(time.Unix(1773496400, 5e8))
			}},
		{"aud list, organization, scp", fakeJWT(map[string]any{"aud": []string{"a", "b"}, "organization": "org", "scp": []string{"x", "y"}}), true,
			func(c Claims) bool { return len(c.Audience) == 2 && c.Org == "org" && c.Scope == "x y" }},
		{"all strings", fakeJWT(map[string]any{"iss": "i", "sub": "s", "client_id": "c", "agent_name": "n", "token_use": "access", "jti": "j", "scope": "a b"}), true,
			func(c Claims) bool {
				return c.Issuer == "i" && c.Subject == "s" && c.ClientID == "c" && c.AgentName == "n" && c.TokenUse == "access" && c.JTI == "j" && c.Scope == "a b"
			}},
		{"opaque", "opaque-token", false, nil},
		{"bad base64", "a.!!!.c", false, nil},
		{"payload not JSON", "a.bm90IGpzb24.c", false, nil},
	}
	for _, tt := range tests {
		c, ok := DecodeClaims(tt.token)
		if ok != tt.ok || (tt.check != nil && !tt.check(c)) {
			t.Errorf("%s: ok=%v claims %+v", tt.name, ok, c)
		}
	}
}

func FuzzDecodeClaims(f *testing.F) {
	f.Add(fakeJWT(map[string]any{"aud": "x", "exp": 1}))
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		c, ok := DecodeClaims(token)
		if !ok && (c.Subject != "" || c.Audience != nil) {
			t.Fatal("claims from a token that did not decode")
		}
		s := summarize(token, time.Time{}, "")
		if len(s.Fingerprint) != 8 || (len(token) > 8 && strings.Contains(s.Fingerprint, token)) {
			t.Fatalf("fingerprint %q", s.Fingerprint)
		}
	})
}
