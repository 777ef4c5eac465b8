package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanRemovesHostileSequences(t *testing.T) {
	cases := map[string]struct{ in, want string }{
		"plain":         {"Q3 revenue grew 12%\n\tok", "Q3 revenue grew 12%\n\tok"},
		"csi colour":    {"\x1b[31mred\x1b[0m", "red"},
		"csi clear":     {"a\x1b[2Jb\x1b[H", "ab"},
		"osc8 link":     {"\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"},
		"osc52 clip":    {"x\x1b]52;c;ZXZpbA==\x07y", "xy"},
		"osc st":        {"x\x1b]0;title\x1b\\y", "xy"},
		"dcs":           {"a\x1bP1$qm\x1b\\b", "ab"},
		"bare esc":      {"a\x1bb", "a"},
		"c1 csi":        {"a\u009b31mb", "a31mb"}, // the C1 introducer goes; the rest is inert text
		"bell and bs":   {"a\x07\x08b", "ab"},
		"carriage ret":  {"safe\rEVIL", "safeEVIL"},
		"bidi override": {"abc\u202edcba\u202c", "abcdcba"},
		"bidi isolate":  {"\u2067x\u2069", "x"},
		"wide kept":     {"収益 café e\u0301", "収益 café e\u0301"},
		"invalid utf8":  {"a\xffb", "a\uFFFDb"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Clean(c.in); got != c.want {
				t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestLineFoldsWhitespace(t *testing.T) {
	if got := Line("a\nb\tc\r\nd"); got != "a b c d" {
		t.Errorf("Line = %q", got)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"\x1b[31mx", "\x1b]8;;u\x07t\x1b]8;;\x07", "\u009b1m", "\u202e", "ok\n", "\x1bP\x1b\\", "Q3 · €41.3M — «ok»", "\u200f", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Clean(in)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of %q", in)
		}
		for _, r := range out {
			if !keep(r) {
				t.Fatalf("control %U survived in %q (from %q)", r, out, in)
			}
		}
		if strings.ContainsRune(out, 0x1b) {
			t.Fatalf("ESC survived")
		}
		if isPlain(in) && strip(in) != in {
			t.Fatalf("the fast path kept %q, which strip changes to %q", in, strip(in))
		}
		if Clean(out) != out {
			t.Fatalf("not idempotent: %q", in)
		}
	})
}
