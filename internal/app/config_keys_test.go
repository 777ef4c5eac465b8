package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnknownConfigKeysAreNamedWithSuggestions: every unknown key is reported at once, by
// line and name (no Go type), with the closest known key and the keys allowed there.
func TestUnknownConfigKeysAreNamedWithSuggestions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	yaml := "themee: dark\nwarn_percent: 70\nmcp_servers:\n  - nmae: crm\n    url: https://crm.example.com/mcp\n    audience: urn:mcp:crm\nzzz: 1\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(Settings{ConfigPath: path})
	if err == nil {
		t.Fatal("unknown keys were accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		`line 1: unknown key "themee" at the top level — did you mean theme?`,
		`line 4: unknown key "nmae" in an mcp_servers entry — did you mean name?`,
		`line 7: unknown key "zzz" at the top level (known keys: mcp_servers, prices, warn_percent`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "app.") || strings.Contains(msg, "zzz\" at the top level — did you mean") {
		t.Errorf("error names a Go type or suggests a far key:\n%s", msg)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"theme", "theme", 0}, {"themee", "theme", 1}, {"nmae", "name", 1}, {"price", "prices", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}} {
		if got := editDistance(c.a, c.b); got != c.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}
