package financialmcp

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	cases := []struct {
		in   string
		want string // canonical id, "" = error
	}{
		{"2026-Q3", "2026-Q3"}, {"Q3 2026", "2026-Q3"}, {"Q3-2026", "2026-Q3"}, {"q3 2026", "2026-Q3"},
		{"  2026 q3 ", "2026-Q3"}, {"Q3/2026", "2026-Q3"}, {"FY2026 Q3", "2026-Q3"}, {"Q3 FY2026", "2026-Q3"},
		{"Q3 FY26", "2026-Q3"}, {"FY26-Q3", "2026-Q3"}, {"2024q1", "2024-Q1"},
		{"Q3", "2026-Q3"}, {"Q4", "2025-Q4"}, {"q1", "2026-Q1"},
		{"", "2026-Q3"}, {"latest", "2026-Q3"}, {"LATEST", "2026-Q3"}, {"latest quarter", "2026-Q3"}, {"current", "2026-Q3"},
		{"FY2025", "FY2025"}, {"fy2025", "FY2025"}, {"FY 2025", "FY2025"}, {"FY-2024", "FY2024"}, {"2025", "FY2025"}, {"FY25", "FY2025"},
		{"Q5 2026", ""}, {"Q0", ""}, {"2026-Q", ""}, {"next year", ""}, {"H1 2026", ""}, {"Q3 20266", ""},
		{strings.Repeat("Q3 ", 40), ""},
	}
	for _, tc := range cases {
		p, err := parsePeriod(tc.in)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("parsePeriod(%q) = %s, want an error", tc.in, p.id())
		case tc.want == "" && !errors.Is(err, ErrUnknownPeriod):
			t.Errorf("parsePeriod(%q) error %v does not wrap ErrUnknownPeriod", tc.in, err)
		case tc.want != "" && err != nil:
			t.Errorf("parsePeriod(%q): %v", tc.in, err)
		case tc.want != "" && p.id() != tc.want:
			t.Errorf("parsePeriod(%q) = %s, want %s", tc.in, p.id(), tc.want)
		}
	}
}

func TestMetricAliases(t *testing.T) {
	cases := map[string]string{
		"revenue": "revenue", "Revenue": "revenue", "SALES": "revenue", "total revenue": "revenue",
		"gross_profit": "gross_profit", "Gross Profit": "gross_profit", "gross-profit": "gross_profit",
		"gross margin": "gross_margin", "GM": "gross_margin",
		"EBITDA": "ebitda", "ebitda": "ebitda", "EBITDA margin": "ebitda_margin", "ebitda_margin": "ebitda_margin",
		"opex": "operating_expenses", "OpEx": "operating_expenses", "operating expenses": "operating_expenses",
		"net income": "net_income", "Net_Income": "net_income", "net profit": "net_income",
		"cash": "cash", "Cash balance": "cash", "headcount": "headcount", "employees": "headcount",
		"ARR": "arr", "annual recurring revenue": "arr", "customers": "customers", "Customer count": "customers",
		"churn": "churn", "churn rate": "churn", "  logo   churn ": "churn",
	}
	for in, want := range cases {
		v, err := Lookup(in, "")
		if err != nil || v.Metric != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", in, v.Metric, err, want)
		}
	}
	for _, in := range []string{"", "vibes", "ebitdaa", "revenue growth"} {
		_, err := Lookup(in, "")
		if !errors.Is(err, ErrUnknownMetric) || !strings.Contains(err.Error(), "ebitda_margin") {
			t.Errorf("Lookup(%q) error %v: want ErrUnknownMetric listing the metrics", in, err)
		}
	}
}

func TestLookupValues(t *testing.T) {
	cases := []struct {
		metric, period, display, label, unit string
	}{
		{"revenue", "Q3 2026", "$22.88M", "Q3 2026", UnitUSD},
		{"EBITDA", "2026-Q3", "$4.21M", "Q3 2026", UnitUSD},
		{"ebitda margin", "", "18.4%", "Q3 2026", UnitPercent},
		{"headcount", "Q3", "412", "Q3 2026", UnitPeople},
		{"customers", "latest", "1,427", "Q3 2026", UnitCustomers},
		{"net income", "2024-Q1", "$310K", "Q1 2024", UnitUSD},
		{"revenue", "FY2025", "$80.56M", "FY2025", UnitUSD},        // sum of four quarters
		{"cash", "FY2025", "$37.90M", "FY2025", UnitUSD},           // year-end
		{"gross margin", "FY2025", "71.9%", "FY2025", UnitPercent}, // from the year's totals
		{"churn", "FY2024", "2.5%", "FY2024", UnitPercent},         // average of the quarters
		{"revenue", "FY2026", "$66.66M", "FY2026 year to date (Q1–Q3)", UnitUSD},
	}
	for _, tc := range cases {
		v, err := Lookup(tc.metric, tc.period)
		if err != nil {
			t.Errorf("Lookup(%q, %q): %v", tc.metric, tc.period, err)
			continue
		}
		if v.Display != tc.display || v.Label != tc.label || v.Unit != tc.unit || v.Company != Company {
			t.Errorf("Lookup(%q, %q) = %+v; want display %s label %q unit %s", tc.metric, tc.period, v, tc.display, tc.label, tc.unit)
		}
	}
}

// TestDatasetConsistency checks the invariants the corpus and the demo rely on.
func TestDatasetConsistency(t *testing.T) {
	qs := Quarters()
	if len(qs) != 11 || qs[0] != "2024-Q1" || qs[10] != "2026-Q3" {
		t.Fatalf("quarters = %v, want 2024-Q1 … 2026-Q3", qs)
	}
	for _, p := range qs {
		get := func(m string) float64 {
			v, err := Lookup(m, p)
			if err != nil {
				t.Fatal(err)
			}
			return v.Amount
		}
		rev, gp, ebitda, opex := get("revenue"), get("gross_profit"), get("ebitda"), get("opex")
		if math.Abs(gp-opex-ebitda) > 0.5 {
			t.Errorf("%s: gross profit − opex = %.0f, EBITDA %.0f", p, gp-opex, ebitda)
		}
		if m := get("gross_margin"); math.Abs(m-100*gp/rev) > 0.05 {
			t.Errorf("%s: gross margin %.1f vs %.2f", p, m, 100*gp/rev)
		}
		if m := get("ebitda_margin"); math.Abs(m-100*ebitda/rev) > 0.05 {
			t.Errorf("%s: EBITDA margin %.1f vs %.2f", p, m, 100*ebitda/rev)
		}
		if ni := get("net_income"); ni <= 0 || ni >= ebitda {
			t.Errorf("%s: net income %.0f not between 0 and EBITDA %.0f", p, ni, ebitda)
		}
		if ebitda < 1e6 || ebitda > 5e6 {
			t.Errorf("%s: EBITDA %.0f is not in the low millions", p, ebitda)
		}
	}
	now, _ := Lookup("revenue", "2026-Q3")
	ago, _ := Lookup("revenue", "2025-Q3")
	if g := 100 * (now.Amount/ago.Amount - 1); g < 11.5 || g > 12.5 {
		t.Errorf("Q3 2026 revenue growth year over year = %.1f%%, want ~12%%", g)
	}
}

func TestMetricsListsEveryMetric(t *testing.T) {
	want := []string{"revenue", "gross_profit", "gross_margin", "ebitda", "ebitda_margin", "operating_expenses",
		"net_income", "cash", "headcount", "arr", "customers", "churn"}
	ms := Metrics()
	if len(ms) != len(want) {
		t.Fatalf("Metrics() has %d entries, want %d", len(ms), len(want))
	}
	for i, m := range ms {
		if m.Metric != want[i] || m.Description == "" || m.Unit == "" {
			t.Errorf("Metrics()[%d] = %+v", i, m)
		}
		if _, err := Lookup(m.Metric, ""); err != nil {
			t.Errorf("listed metric %q does not look up: %v", m.Metric, err)
		}
	}
	ms[0].Aliases[0] = "mutated"
	if Metrics()[0].Aliases[0] == "mutated" {
		t.Error("Metrics() exposes the internal alias slice")
	}
}
