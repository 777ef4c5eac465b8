package redact

import (
	"encoding/json"
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

// FuzzMayHold: text MayHold passes is text String leaves as it is, and so is the string it
// decodes to if it is a JSON string; and
// its cheap bearer test never turns away text the expression would match.
func FuzzMayHold(f *testing.F) {
	Token("opaque-token-4f9a2b7c1d")
	for _, s := range []string{
		`"plain answer text, Q3 revenue €41.3M"`,
		`"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2ln"`,
		`"\u0065yJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2ln"`,
		`"BEARER 0123456789abcdefXYZ"`,
		`"to\u212aen=0123456789abcdefXYZ"`,
		"\"to\u212aen=0123456789abcdefXYZ\"",
		`"bearer\/0123456789abcdef"`,
		`"used opaque-token-4f9a2b7c1d"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if bearerShape.MatchString(in) && !mayHoldBearer(in) {
			t.Fatalf("mayHoldBearer missed %q", in)
		}
		if MayHold([]byte(in)) {
			return
		}
		if String(in) != in {
			t.Fatalf("MayHold passed %q, which String changes to %q", in, String(in))
		}
		var s string
		if json.Unmarshal([]byte(in), &s) != nil {
			return
		}
		if String(s) != s {
			t.Fatalf("MayHold passed %q, whose string %q String changes to %q", in, s, String(s))
		}
	})
}

func TestMayHold(t *testing.T) {
	Token("opaque-token-4f9a2b7c1d")
	for in, want := range map[string]bool{
		`{"kind":"model.delta","text":"Revenue rose 12% — to €41.3M."}`: false,
		`{"text":"a \"quoted\" line\nand a tab\t"}`:                     false,
		`{"extra":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudCJ9.c2ln"}`:    true,
		`{"extra":"\u0065yJhbGciOiJSUzI1NiJ9"}`:                         true,
		`{"text":"Authorization: BeArEr abc"}`:                          true,
		`{"text":"access_TOKEN=abc"}`:                                   true,
		`{"text":"seen opaque-token-4f9a2b7c1d"}`:                       true,
		`{"text":"a\/b"}`: true,
	} {
		if got := MayHold([]byte(in)); got != want {
			t.Errorf("MayHold(%s) = %v, want %v", in, got, want)
		}
	}
}
