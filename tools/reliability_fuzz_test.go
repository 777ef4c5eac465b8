package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzToolArguments feeds arbitrary argument JSON, as a model might send it, through the
// path every tool call takes: schema validation, then the tool's own decoding (the document
// search runs over the embedded corpus; the financial tool stops before the network for want
// of a token). Nothing may panic, and nothing shown may carry control characters.
func FuzzToolArguments(f *testing.F) {
	for _, s := range []string{
		`{"query":"Q3 performance"}`, `{"query":"Q3","max_results":3}`, `{"metric":"EBITDA","period":"Q3 2026"}`,
		`{"metric": EBITDA}`, `{"query":{"$gt":""}}`, `[]`, `null`, `""`, `{"query":"\u001b]52;c;eA==\u0007"}`,
		`{"query":"` + strings.Repeat("a", 5000) + `"}`, `{"metric":"ebitda","period":"FY2025","extra":1}`, "{\"query\":\"\xff\xfe\"}",
	} {
		f.Add(s)
	}
	search, _, err := NewDocumentSearch("")
	if err != nil {
		f.Fatal(err)
	}
	financial := NewFinancialMCP(nil, "http://127.0.0.1:1/mcp")
	f.Fuzz(func(t *testing.T, raw string) {
		for _, tool := range []Tool{search, financial} {
			if err := ValidateArgs(tool.Parameters(), json.RawMessage(raw)); err != nil {
				if msg := err.Error(); msg == "" || len(msg) > 4000 {
					t.Fatalf("%s: validation message of %d bytes for %q", tool.Name(), len(msg), raw)
				}
				continue
			}
			res, err := tool.Call(context.Background(), json.RawMessage(raw), nil)
			if tool == Tool(search) && err == nil && (strings.ContainsRune(res.Text, 0x1b) || !utf8.ValidString(res.Text)) {
				t.Fatalf("search result for %q carries control or invalid text", raw)
			}
			if tool == Tool(financial) && err == nil {
				t.Fatalf("financial call without a token succeeded for %q", raw)
			}
		}
	})
}
