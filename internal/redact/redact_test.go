package redact

import (
	"strings"
	"testing"
)

func TestStringTakesOutWhatWasRegisteredAndWhatLooksLikeAToken(t *testing.T) {
	Secret("client-secret-Zq81xT")
	Token("opaque-token-4f9a2b7c1d")
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	for _, c := range []struct{ in, want string }{
		{"secret client-secret-Zq81xT leaked", "secret [redacted] leaked"},
		{"used opaque-token-4f9a2b7c1d twice: opaque-token-4f9a2b7c1d", "used opaque… twice: opaque…"},
		{`Bearer error="invalid_token", error_description="token ` + jwt + ` expired"`, `Bearer error="invalid_token", error_description="token eyJhbG… expired"`},
		{"Authorization: Bearer 0123456789abcdefXYZ=", "Authorization: Bearer 012345…"},
		{`{"access_token":"AAAAbbbbCCCCddddEEEE"}`, `{"access_token":"AAAAbb…"}`},
		{"ordinary text with a token word", "ordinary text with a token word"},
		{"short", "short"},
	} {
		got := String(c.in)
		if got != c.want {
			t.Errorf("String(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
		if again := String(got); again != got {
			t.Errorf("not idempotent: %q → %q", got, again)
		}
	}
}

func TestRegistryForgetsTheOldestBeyondItsBound(t *testing.T) {
	first := "first-token-" + strings.Repeat("x", 10)
	Token(first)
	for i := range maxTokens {
		Token("filler-token-" + strings.Repeat("y", 4) + string(rune('a'+i%26)) + strings.Repeat("z", i/26))
	}
	if got := String("see " + first); got != "see "+first {
		t.Errorf("the oldest token is still redacted after %d more: %q", maxTokens, got)
	}
	registry.RLock()
	n := len(registry.tokens)
	registry.RUnlock()
	if n > maxTokens {
		t.Errorf("registry holds %d tokens, bound %d", n, maxTokens)
	}
}
