package session

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
)

func TestJSONPrinterIsNDJSONWithoutSecrets(t *testing.T) {
	var b bytes.Buffer
	p := NewJSONPrinter(&b)
	p.Emit(Event{V: 1, Kind: KindTokenExchange, Audience: "urn:mcp:financial-data", Token: &auth.TokenSummary{Fingerprint: "abcd1234"}, Text: "<&>"})
	p.Emit(Event{V: 1, Kind: KindPrompt, Text: "line1\nline2"})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"text":"<&>"`) {
		t.Fatalf("%q", b.String())
	}
	for _, l := range lines {
		var e Event
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
	}
}
