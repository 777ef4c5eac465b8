// Package redact is the one place secrets are taken out of text before it is shown, written
// or exported: every token the process has seen (registered by auth as it receives them),
// the client secret and API keys, and anything shaped like a JWT or a bearer credential, from
// whichever peer it came.
package redact

import (
	"regexp"
	"strings"
	"sync"
)

// Placeholders shown in place of what was taken out.
const (
	SecretMark = "[redacted]" // a client secret or API key: nothing of it is shown
	Ellipsis   = "…"          // ends the short prefix a token is shown as
)

// tokenPrefix is how much of a token is kept: enough to tell two apart in a log, far too
// little to use one.
const tokenPrefix = 6

// minLen is the shortest value registered: shorter ones would redact ordinary words.
const minLen = 8

// maxTokens bounds the registry in a long-lived process; the oldest are forgotten first
// (a token that old has expired, and JWT-shaped ones are caught by their shape anyway).
const maxTokens = 1024

var registry struct {
	sync.RWMutex
	secrets []string
	tokens  []string
	known   map[string]bool
}

// Secret registers a value that is never shown, not even a prefix (client secret, API key).
func Secret(s string) { add(s, true) }

// Token registers a token the process holds; it is shown as its first characters and "…".
func Token(s string) { add(s, false) }

func add(s string, secret bool) {
	if len(s) < minLen {
		return
	}
	registry.Lock()
	defer registry.Unlock()
	if registry.known == nil {
		registry.known = map[string]bool{}
	}
	if registry.known[s] {
		return
	}
	registry.known[s] = true
	if secret {
		registry.secrets = append(registry.secrets, s)
		return
	}
	if len(registry.tokens) >= maxTokens {
		delete(registry.known, registry.tokens[0])
		registry.tokens = registry.tokens[1:]
	}
	registry.tokens = append(registry.tokens, s)
}

var (
	// jwtShape is a JWS compact serialisation: a base64url JSON header ("eyJ"), payload and
	// signature (empty for alg none).
	jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// bearerShape is an opaque credential after "Bearer" (or a token= / access_token= field):
	// 16 or more token68 characters (RFC 6750 §2.1).
	bearerShape = regexp.MustCompile(`(?i)(bearer\s+|access_token["']?\s*[:=]\s*["']?|token=)([A-Za-z0-9\-._~+/]{16,}=*)`)
)

// String returns s with every registered secret and token, every JWT and every bearer
// credential replaced: secrets by "[redacted]", tokens by a short prefix and "…".
func String(s string) string {
	if len(s) < minLen {
		return s
	}
	registry.RLock()
	for _, sec := range registry.secrets {
		if len(sec) <= len(s) && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, SecretMark)
		}
	}
	for _, tok := range registry.tokens {
		if len(tok) <= len(s) && strings.Contains(s, tok) {
			s = strings.ReplaceAll(s, tok, Short(tok))
		}
	}
	registry.RUnlock()
	if strings.Contains(s, "eyJ") {
		s = jwtShape.ReplaceAllStringFunc(s, Short)
	}
	if mayHoldBearer(s) {
		s = bearerShape.ReplaceAllStringFunc(s, func(m string) string {
			sub := bearerShape.FindStringSubmatch(m)
			return sub[1] + Short(sub[2])
		})
	}
	return s
}

// Short is how a token is shown: its first few characters and "…".
func Short(tok string) string {
	if strings.HasSuffix(tok, Ellipsis) {
		return tok
	}
	return tok[:min(tokenPrefix, len(tok))] + Ellipsis
}

// mayHoldBearer is a cheap test that spares the regular expression most text: "bearer" or
// "token" in any case, as the expression's (?i) folds it (the Kelvin sign K is a k).
func mayHoldBearer[T string | []byte](s T) bool {
	for i := range len(s) {
		switch s[i] | 0x20 {
		case 'b':
			if hasFold(s[i:], "bearer") {
				return true
			}
		case 't':
			if hasFold(s[i:], "to") {
				rest := s[i+2:]
				if len(rest) > 0 && rest[0]|0x20 == 'k' {
					rest = rest[1:]
				} else if len(rest) >= len(kelvin) && string(rest[:len(kelvin)]) == kelvin {
					rest = rest[len(kelvin):]
				} else {
					continue
				}
				if hasFold(rest, "en") {
					return true
				}
			}
		}
	}
	return false
}

const kelvin = "\u212a"

// hasFold reports whether s starts with word in ASCII letters of either case (word is
// lower case).
func hasFold[T string | []byte](s T, word string) bool {
	if len(s) < len(word) {
		return false
	}
	for i := range len(word) {
		if s[i]|0x20 != word[i] {
			return false
		}
	}
	return true
}
