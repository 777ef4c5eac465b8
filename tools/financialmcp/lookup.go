package financialmcp

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Value is one figure of the dataset.
type Value struct {
	Company string  `json:"company" jsonschema:"the company the figure belongs to"`
	Metric  string  `json:"metric" jsonschema:"canonical metric name, e.g. ebitda"`
	Name    string  `json:"name" jsonschema:"human-readable metric name, e.g. EBITDA"`
	Period  string  `json:"period" jsonschema:"canonical period: 2026-Q3 for a quarter, FY2025 for a fiscal year"`
	Label   string  `json:"label" jsonschema:"human-readable period, e.g. Q3 2026 or FY2026 year to date (Q1–Q3)"`
	Amount  float64 `json:"amount" jsonschema:"the value in Unit (percentages as 18.4, not 0.184; ratios rounded to one decimal like Display)"`
	Unit    string  `json:"unit" jsonschema:"USD, %, people or customers"`
	Display string  `json:"display" jsonschema:"the value formatted for people, e.g. $4.21M or 18.4%"`
}

// Line is the one-line sentence form of v, e.g. "Acme Corp EBITDA, Q3 2026: $4.21M".
func (v Value) Line() string {
	return fmt.Sprintf("%s %s, %s: %s", v.Company, v.Name, v.Label, v.Display)
}

// Errors returned (wrapped) by Lookup; test them with errors.Is.
var (
	ErrUnknownMetric = errors.New("unknown metric")
	ErrUnknownPeriod = errors.New("unknown period")
)

// Lookup returns the value of metric for period.
//
// metric is a canonical name ("ebitda") or an alias ("EBITDA", "net income", "opex"), in any case.
// period is "2026-Q3", "Q3 2026", "Q3-2026", "Q3" (the latest Q3), "" or "latest" (the latest
// quarter), or "FY2025" (the year: total for amounts, year-end for cash, headcount, ARR and
// customers, margins from the year's totals, churn averaged). The current, unfinished fiscal year
// is reported year to date.
func Lookup(metric, period string) (Value, error) {
	def, err := resolveMetric(metric)
	if err != nil {
		return Value{}, err
	}
	p, err := parsePeriod(period)
	if err != nil {
		return Value{}, err
	}
	qs, err := p.quarters()
	if err != nil {
		return Value{}, err
	}
	amount := aggregate(def, qs)
	return Value{
		Company: Company,
		Metric:  def.Metric,
		Name:    def.Name,
		Period:  p.id(),
		Label:   p.label(qs),
		Amount:  amount,
		Unit:    def.Unit,
		Display: format(amount, def.Unit),
	}, nil
}

var metricIndex = func() map[string]*metricDef {
	idx := make(map[string]*metricDef)
	for i := range metricDefs {
		d := &metricDefs[i]
		idx[normalizeMetric(d.Metric)] = d
		idx[normalizeMetric(d.Name)] = d
		for _, a := range d.Aliases {
			idx[normalizeMetric(a)] = d
		}
	}
	return idx
}()

// normalizeMetric folds case and treats "_", "-" and runs of spaces alike.
func normalizeMetric(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("_", " ", "-", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func resolveMetric(metric string) (*metricDef, error) {
	if d, ok := metricIndex[normalizeMetric(metric)]; ok {
		return d, nil
	}
	names := make([]string, len(metricDefs))
	for i, d := range metricDefs {
		names[i] = d.Metric
	}
	what := "no metric given"
	if strings.TrimSpace(metric) != "" {
		what = fmt.Sprintf("%q is not a metric", clip(metric))
	}
	return nil, fmt.Errorf("%w: %s; valid metrics: %s (aliases such as \"EBITDA\", \"net income\", \"opex\", \"ARR\" work too)",
		ErrUnknownMetric, what, strings.Join(names, ", "))
}

// aggregate combines the metric over qs (one quarter, or the quarters of a fiscal year).
func aggregate(def *metricDef, qs []quarter) float64 {
	if def.ratioOf[0] != "" {
		num, den := metricIndex[normalizeMetric(def.ratioOf[0])], metricIndex[normalizeMetric(def.ratioOf[1])]
		return round(100*aggregate(num, qs)/aggregate(den, qs), 1)
	}
	switch def.Kind {
	case KindStock:
		return def.value(qs[len(qs)-1])
	case KindRatio:
		var sum float64
		for _, q := range qs {
			sum += def.value(q)
		}
		return round(sum/float64(len(qs)), 1)
	default:
		var sum float64
		for _, q := range qs {
			sum += def.value(q)
		}
		return sum
	}
}

func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// format renders an amount the way analysts write it: $4.21M, $310K, 18.4%, 1,427.
func format(amount float64, unit string) string {
	switch unit {
	case UnitUSD:
		sign, a := "", amount
		if a < 0 {
			sign, a = "-", -a
		}
		switch {
		case a >= 1e6:
			return fmt.Sprintf("%s$%.2fM", sign, a/1e6)
		case a >= 1e3:
			return fmt.Sprintf("%s$%.0fK", sign, a/1e3)
		default:
			return fmt.Sprintf("%s$%.0f", sign, a)
		}
	case UnitPercent:
		return fmt.Sprintf("%.1f%%", amount)
	default:
		return groupThousands(int64(math.Round(amount)))
	}
}

func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// clip shortens untrusted input before it is echoed in an error message.
func clip(s string) string {
	const max = 48
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
