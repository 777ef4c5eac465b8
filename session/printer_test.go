package session

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/auth"
)

func TestPlainPrinterSanitisesAndStreams(t *testing.T) {
	var b bytes.Buffer
	p := NewPlainPrinter(&b)
	allowed := false
	p.Emit(Event{Kind: KindPrompt, Text: "hi\x1b]8;;http://evil\x07"})
	p.Emit(Event{Kind: KindModelDelta, Text: "Q3 \x1b[31mrevenue"})
	p.Emit(Event{Kind: KindModelDelta, Text: " grew\u202e"})
	p.Emit(Event{Kind: KindCapabilityCheck, Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: &allowed, Reason: "agent lacks\x1b[2J it", JITAvailable: true})
	p.Emit(Event{Kind: KindToolResult, Tool: "t", Status: "failed", Text: "Error:\nbad\x07"})
	p.Emit(Event{Kind: KindModelResponse, Turn: 1, Usage: &Usage{PromptTokens: 1000, CompletionTokens: 20}, Cost: &Cost{Note: NoteUnpriced}})
	p.Emit(Event{Kind: KindUsageReported, Status: "ok"}) // not shown
	out := b.String()
	want := "you › hi\nanalyst › Q3 revenue grew\nCAP     query_financial_mcp needs mcp:financial → deny (agent lacks it) · JIT available\n" +
		"        ✗ failed t · Error: bad\nMODEL   turn 1 · 1,020 tokens (1,000 in / 20 out) · unpriced · 0s\n"
	if out != want {
		t.Errorf("plain output\n got %q\nwant %q", out, want)
	}
}

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

func TestPricesAndCosts(t *testing.T) {
	pt := NewPriceTable(map[string]Price{"My-Local": {InputPerMTok: 1, OutputPerMTok: 2}, "gpt-4o-mini": {InputPerMTok: 10, OutputPerMTok: 20}})
	u := Usage{PromptTokens: 1_000_000, CompletionTokens: 500_000, CachedTokens: 200_000}
	cases := []struct {
		model string
		local bool
		want  string
	}{
		{"gpt-4o-mini", false, "$20.00"},      // override: 1M×10 + 0.5M×20 (cached priced as input)
		{"gpt-4o-2024-08-06", false, "$7.25"}, // snapshot of gpt-4o: 0.8M×2.5 + 0.2M×1.25 + 0.5M×10
		{"my-local", false, "$2.00"},          // added by config, case-insensitive
		{"llama3.1:8b", false, NoteUnpriced},  // unknown: never $0.00
		{"lumodash-demo (offline)", true, NoteLocal},
	}
	for _, c := range cases {
		if got := pt.Cost(c.model, u, c.local).String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.model, got, c.want)
		}
	}
	sum := Cost{}.Add(pt.Cost("gpt-4o", u, false)).Add(pt.Cost("unknown", u, false))
	if sum.Priced || sum.String() != NoteUnpriced {
		t.Errorf("priced + unpriced = %+v", sum)
	}
	if s := (Cost{USD: 0.00021, Priced: true}).String(); s != "$0.0002" {
		t.Error(s)
	}
}
