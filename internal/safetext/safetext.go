// Package safetext neutralises untrusted text (model output, tool results, server errors)
// before it reaches a terminal: escape sequences, control characters and bidi overrides go.
package safetext

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Clean returns s without terminal escape sequences (CSI, OSC, DCS, APC…), C0/C1 control
// characters other than newline and tab, and Unicode bidi embedding/override/isolate marks.
// Invalid UTF-8 is replaced with U+FFFD.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	return strip(s)
}

// strip is Clean without its fast path.
func strip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if keep(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Line is Clean with newlines and tabs turned into spaces, for one-line summaries.
func Line(s string) string {
	s = Clean(s)
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == '\t' }), " ")
}

func keep(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return true
	case r < 0x20 || r == 0x7f: // C0 controls and DEL (bare ESC included)
		return false
	case r >= 0x80 && r <= 0x9f: // C1 controls (8-bit CSI, OSC, DCS…)
		return false
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return false // bidi embeddings, overrides, isolates and marks
	}
	return true
}

// isPlain reports whether Clean would return s as it is: valid UTF-8 with no rune Clean
// drops (escape sequences start with ESC or a C1 control, both dropped). ASCII is checked a
// byte at a time, the rest a rune at a time, so the common case costs one pass and no copy.
func isPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !keep(r) {
			return false
		}
		i += size
	}
	return true
}
