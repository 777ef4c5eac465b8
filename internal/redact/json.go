package redact

import (
	"bytes"
	"strings"
)

// MayHold reports whether String could take anything out of the JSON text b: out of any
// string b encodes, or out of b itself (where a key next to its value could read as
// "access_token": …). True for a registered value, a JWT's "eyJ", a \u or \/ escape (which
// can spell any character, so hide any of these), or the start of a bearer shape. It is
// conservative, true for some text String leaves alone, so that text it passes can be
// written as it is, undecoded, and read as redacted.
func MayHold(b []byte) bool {
	if bytes.Contains(b, []byte("eyJ")) || spellingEscape(b) || bearerStart(b) {
		return true
	}
	registry.RLock()
	defer registry.RUnlock()
	for _, v := range registry.secrets {
		if bytes.Contains(b, []byte(v)) {
			return true
		}
	}
	for _, v := range registry.tokens {
		if bytes.Contains(b, []byte(v)) {
			return true
		}
	}
	return false
}

// spellingEscape reports a \u or \/ escape in b. JSON's other escapes (\" \\ \b \f \n \r
// \t) stand only for quotes, backslashes and white space.
func spellingEscape(b []byte) bool {
	for i := bytes.IndexByte(b, '\\'); i >= 0 && i+1 < len(b); {
		if b[i+1] == 'u' || b[i+1] == '/' {
			return true
		}
		j := bytes.IndexByte(b[i+2:], '\\')
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}

// bearerStart reports what could begin bearerShape in b or in a string it encodes (given no
// spelling escape): "bearer" and white space (raw, or escaped: a backslash); "token=";
// "access_token" and a quote, white space, ':' or '='. Case folds as (?i) does. It finds
// its candidates with IndexByte ('b', 'k' and the Kelvin sign's first byte are rare in
// text), which keeps it to a fraction of decoding the line.
func bearerStart(b []byte) bool {
	for _, c := range []byte{'b', 'B'} {
		for i := range indexes(b, c) {
			if hasFold(b[i:], "bearer") && i+6 < len(b) && whiteOrEscape(b[i+6]) {
				return true
			}
		}
	}
	for _, c := range []byte{'k', 'K', kelvin[0]} {
		for i := range indexes(b, c) {
			k := 1
			if c == kelvin[0] {
				if !bytes.HasPrefix(b[i:], []byte(kelvin)) {
					continue
				}
				k = len(kelvin)
			}
			start, end := i-2, i+k+2 // "to", the k, "en"
			if start < 0 || end > len(b) || !hasFold(b[start:], "to") || !hasFold(b[i+k:], "en") {
				continue
			}
			if end < len(b) && b[end] == '=' {
				return true
			}
			if start >= 7 && hasFold(b[start-7:], "access_") && end < len(b) && (whiteOrEscape(b[end]) || strings.IndexByte(`"':=`, b[end]) >= 0) {
				return true
			}
		}
	}
	return false
}

func whiteOrEscape(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\\'
}

// indexes yields the offsets of c in b.
func indexes(b []byte, c byte) func(yield func(int) bool) {
	return func(yield func(int) bool) {
		for off := 0; ; {
			j := bytes.IndexByte(b[off:], c)
			if j < 0 || !yield(off+j) {
				return
			}
			off += j + 1
		}
	}
}
