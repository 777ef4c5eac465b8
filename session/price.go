package session

import (
	"math"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
)

// Price is a model's price in USD per million tokens.
type Price struct {
	InputPerMTok       float64 `json:"input_per_mtok" yaml:"input_per_mtok"`
	CachedInputPerMTok float64 `json:"cached_input_per_mtok" yaml:"cached_input_per_mtok"` // 0 = same as input
	OutputPerMTok      float64 `json:"output_per_mtok" yaml:"output_per_mtok"`
}

// DefaultPrices are OpenAI's list prices (USD per million tokens) for the models lumodash
// is commonly run with. Override or extend them with the configuration file's prices.
var DefaultPrices = map[string]Price{
	"gpt-4o-mini":  {0.15, 0.075, 0.60},
	"gpt-4o":       {2.50, 1.25, 10.00},
	"gpt-4.1":      {2.00, 0.50, 8.00},
	"gpt-4.1-mini": {0.40, 0.10, 1.60},
	"gpt-4.1-nano": {0.10, 0.025, 0.40},
	"o3":           {2.00, 0.50, 8.00},
	"o3-mini":      {1.10, 0.55, 4.40},
	"o4-mini":      {1.10, 0.275, 4.40},
	"gpt-5":        {1.25, 0.125, 10.00},
	"gpt-5-mini":   {0.25, 0.025, 2.00},
	"gpt-5-nano":   {0.05, 0.005, 0.40},
}

// Cost notes.
const (
	NoteUnpriced = "unpriced"
	NoteLocal    = "local (free)"
)

// PriceTable finds a model's price: an exact match, else a dated snapshot of a known model
// ("gpt-4o-mini-2024-07-18" → "gpt-4o-mini").
type PriceTable map[string]Price

// NewPriceTable merges overrides over DefaultPrices.
func NewPriceTable(overrides map[string]Price) PriceTable {
	t := PriceTable{}
	for k, v := range DefaultPrices {
		t[k] = v
	}
	for k, v := range overrides {
		t[strings.ToLower(k)] = v
	}
	return t
}

// Lookup returns the price of model, if known.
func (t PriceTable) Lookup(model string) (Price, bool) {
	m := strings.ToLower(strings.TrimSpace(model))
	if p, ok := t[m]; ok {
		return p, true
	}
	best, found := "", false
	for name := range t {
		if strings.HasPrefix(m, name+"-20") && len(name) > len(best) {
			best, found = name, true
		}
	}
	return t[best], found
}

// Cost prices usage of model. Local models are free; unknown models are unpriced (never $0).
func (t PriceTable) Cost(model string, u Usage, local bool) Cost {
	if local {
		return Cost{Priced: true, Note: NoteLocal}
	}
	p, ok := t.Lookup(model)
	if !ok {
		return Cost{Note: NoteUnpriced}
	}
	cached := min(u.CachedTokens, u.PromptTokens)
	cachedPrice := p.CachedInputPerMTok
	if cachedPrice == 0 {
		cachedPrice = p.InputPerMTok
	}
	usd := (float64(u.PromptTokens-cached)*p.InputPerMTok + float64(cached)*cachedPrice + float64(u.CompletionTokens)*p.OutputPerMTok) / 1e6
	// Resent history is the prompt's prefix, which is what a provider caches first.
	hist := min(u.HistoryTokens, u.PromptTokens)
	histCached := min(cached, hist)
	histUSD := (float64(hist-histCached)*p.InputPerMTok + float64(histCached)*cachedPrice) / 1e6
	return Cost{USD: math.Round(usd*1e8) / 1e8, Priced: true, HistoryUSD: math.Round(histUSD*1e8) / 1e8}
}

// Add sums two costs: priced only when both are; a local cost stays local.
func (c Cost) Add(o Cost) Cost {
	switch {
	case c.Note == "" && !c.Priced && c.USD == 0: // zero value: nothing yet
		return o
	case o.Note == "" && !o.Priced && o.USD == 0:
		return c
	case c.Note == NoteLocal && o.Note == NoteLocal:
		return c
	case !c.Priced || !o.Priced:
		return Cost{USD: c.USD + o.USD, Note: NoteUnpriced}
	}
	return Cost{USD: c.USD + o.USD, Priced: true, HistoryUSD: c.HistoryUSD + o.HistoryUSD}
}

// String renders the cost for people: "$0.0021", "local (free)" or "unpriced".
func (c Cost) String() string {
	switch {
	case c.Note == NoteLocal:
		return NoteLocal
	case !c.Priced:
		return NoteUnpriced
	}
	return numfmt.USD(c.USD)
}

// Add sums usage.
func (u Usage) Add(o Usage) Usage {
	return Usage{PromptTokens: u.PromptTokens + o.PromptTokens, CompletionTokens: u.CompletionTokens + o.CompletionTokens,
		CachedTokens: u.CachedTokens + o.CachedTokens, ReasoningTokens: u.ReasoningTokens + o.ReasoningTokens,
		HistoryTokens: u.HistoryTokens + o.HistoryTokens, Estimated: u.Estimated || o.Estimated}
}
