package session

import "testing"

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
