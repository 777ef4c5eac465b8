package financialmcp

// quarter is one reported quarter of Acme Corp. Fiscal years follow the calendar year.
// Only base amounts are stored; operating expenses and both margins are derived from them, so
// the ratios can never disagree with the amounts.
type quarter struct {
	Year, Q     int
	Revenue     float64 // USD
	GrossProfit float64 // USD
	EBITDA      float64 // USD; EBITDA = gross profit − operating expenses (excl. D&A)
	NetIncome   float64 // USD
	Cash        float64 // USD, end of quarter
	Headcount   float64 // people, end of quarter
	ARR         float64 // USD, end of quarter
	Customers   float64 // paying customers, end of quarter
	Churn       float64 // % of customers at the start of the quarter lost during it
}

// quarters is ordered oldest first; the last entry is the latest reported quarter.
var quarters = []quarter{
	{2024, 1, 17_180_000, 12_090_000, 1_380_000, 310_000, 31_400_000, 318, 66_200_000, 1148, 2.6},
	{2024, 2, 17_700_000, 12_510_000, 1_610_000, 470_000, 31_900_000, 327, 68_300_000, 1171, 2.5},
	{2024, 3, 18_240_000, 12_930_000, 1_830_000, 620_000, 32_600_000, 336, 70_400_000, 1196, 2.4},
	{2024, 4, 18_790_000, 13_380_000, 2_090_000, 810_000, 33_800_000, 344, 72_500_000, 1224, 2.3},
	{2025, 1, 19_270_000, 13_780_000, 2_240_000, 930_000, 34_300_000, 352, 74_400_000, 1251, 2.3},
	{2025, 2, 19_840_000, 14_250_000, 2_580_000, 1_170_000, 35_200_000, 361, 76_700_000, 1279, 2.2},
	{2025, 3, 20_430_000, 14_730_000, 2_930_000, 1_420_000, 36_400_000, 371, 79_000_000, 1308, 2.1},
	{2025, 4, 21_020_000, 15_200_000, 3_240_000, 1_660_000, 37_900_000, 382, 81_400_000, 1338, 2.0},
	{2026, 1, 21_570_000, 15_650_000, 3_520_000, 1_870_000, 38_700_000, 391, 83_700_000, 1366, 1.9},
	{2026, 2, 22_210_000, 16_160_000, 3_860_000, 2_130_000, 39_800_000, 401, 86_200_000, 1395, 1.9},
	{2026, 3, 22_880_000, 16_726_000, 4_210_000, 2_410_000, 41_300_000, 412, 88_900_000, 1427, 1.7},
}

// Company is the fictional company the dataset describes.
const Company = "Acme Corp"

// Units of a Value.
const (
	UnitUSD       = "USD"
	UnitPercent   = "%"
	UnitPeople    = "people"
	UnitCustomers = "customers"
)

// Kind says how a metric aggregates over a fiscal year.
type Kind string

// Metric kinds.
const (
	KindFlow  Kind = "flow"  // summed over the quarters of a year
	KindStock Kind = "stock" // the value at the end of the year (last reported quarter)
	KindRatio Kind = "ratio" // recomputed from the year's totals (margins) or averaged (churn)
)

// MetricInfo describes one metric of the dataset.
type MetricInfo struct {
	Metric      string   `json:"metric" jsonschema:"canonical metric name to pass to get_metric"`
	Name        string   `json:"name" jsonschema:"human-readable name"`
	Unit        string   `json:"unit" jsonschema:"USD, %, people or customers"`
	Kind        Kind     `json:"kind" jsonschema:"flow (summed per year), stock (year-end) or ratio"`
	Description string   `json:"description" jsonschema:"what the metric measures"`
	Aliases     []string `json:"aliases,omitempty" jsonschema:"other accepted names"`
}

// metricDef binds a metric's description to how it is read from a quarter.
type metricDef struct {
	MetricInfo
	value func(q quarter) float64
	// ratioOf, for margins, gives numerator and denominator metrics so a year's margin is
	// computed from the year's totals rather than averaged.
	ratioOf [2]string
}

var metricDefs = []metricDef{
	{MetricInfo: MetricInfo{"revenue", "Revenue", UnitUSD, KindFlow,
		"Total recognised revenue (subscriptions and services) in the period.",
		[]string{"sales", "total revenue", "turnover", "top line"}},
		value: func(q quarter) float64 { return q.Revenue }},
	{MetricInfo: MetricInfo{"gross_profit", "Gross profit", UnitUSD, KindFlow,
		"Revenue minus cost of revenue (hosting, support, services delivery).",
		[]string{"gross profit", "gp"}},
		value: func(q quarter) float64 { return q.GrossProfit }},
	{MetricInfo: MetricInfo{"gross_margin", "Gross margin", UnitPercent, KindRatio,
		"Gross profit as a percentage of revenue.",
		[]string{"gross margin", "gm", "gross margin %", "gross margin percent"}},
		ratioOf: [2]string{"gross_profit", "revenue"}},
	{MetricInfo: MetricInfo{"ebitda", "EBITDA", UnitUSD, KindFlow,
		"Earnings before interest, taxes, depreciation and amortisation: gross profit minus operating expenses.",
		[]string{"earnings before interest taxes depreciation and amortization", "operating profit before d&a"}},
		value: func(q quarter) float64 { return q.EBITDA }},
	{MetricInfo: MetricInfo{"ebitda_margin", "EBITDA margin", UnitPercent, KindRatio,
		"EBITDA as a percentage of revenue.",
		[]string{"ebitda margin", "ebitda %", "ebitda margin %"}},
		ratioOf: [2]string{"ebitda", "revenue"}},
	{MetricInfo: MetricInfo{"operating_expenses", "Operating expenses", UnitUSD, KindFlow,
		"Sales and marketing, research and development, general and administrative (excluding depreciation and amortisation).",
		[]string{"opex", "operating expenses", "operating costs", "operating expense"}},
		value: func(q quarter) float64 { return q.GrossProfit - q.EBITDA }},
	{MetricInfo: MetricInfo{"net_income", "Net income", UnitUSD, KindFlow,
		"Profit after depreciation, amortisation, interest and taxes.",
		[]string{"net income", "net profit", "profit", "earnings", "bottom line"}},
		value: func(q quarter) float64 { return q.NetIncome }},
	{MetricInfo: MetricInfo{"cash", "Cash", UnitUSD, KindStock,
		"Cash and cash equivalents at the end of the period.",
		[]string{"cash balance", "cash and equivalents", "cash and cash equivalents", "cash on hand"}},
		value: func(q quarter) float64 { return q.Cash }},
	{MetricInfo: MetricInfo{"headcount", "Headcount", UnitPeople, KindStock,
		"Full-time employees at the end of the period.",
		[]string{"employees", "staff", "fte", "ftes", "head count", "team size"}},
		value: func(q quarter) float64 { return q.Headcount }},
	{MetricInfo: MetricInfo{"arr", "ARR", UnitUSD, KindStock,
		"Annual recurring revenue: annualised value of active subscriptions at the end of the period.",
		[]string{"annual recurring revenue", "annualized recurring revenue", "annualised recurring revenue"}},
		value: func(q quarter) float64 { return q.ARR }},
	{MetricInfo: MetricInfo{"customers", "Customers", UnitCustomers, KindStock,
		"Paying customer accounts at the end of the period.",
		[]string{"customer count", "customers count", "logos", "accounts", "number of customers"}},
		value: func(q quarter) float64 { return q.Customers }},
	{MetricInfo: MetricInfo{"churn", "Customer churn", UnitPercent, KindRatio,
		"Quarterly logo churn: share of customers at the start of the quarter lost during it (yearly figure: average of the quarters).",
		[]string{"churn rate", "customer churn", "logo churn", "attrition"}},
		value: func(q quarter) float64 { return q.Churn }},
}

// Metrics lists the dataset's metrics with descriptions, units and accepted aliases.
func Metrics() []MetricInfo {
	out := make([]MetricInfo, len(metricDefs))
	for i, d := range metricDefs {
		out[i] = d.MetricInfo
		out[i].Aliases = append([]string(nil), d.Aliases...)
	}
	return out
}

// Quarters lists the reported quarters, oldest first, in the canonical form "2026-Q3".
func Quarters() []string {
	out := make([]string, len(quarters))
	for i, q := range quarters {
		out[i] = quarterID(q.Year, q.Q)
	}
	return out
}
