package demomodel_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/session"
)

// question is one analyst question: the tool calls it must make, turn by turn (tool and
// JSON arguments), the figures its answer may show (metric, period), and text it must hold.
type question struct {
	ask     string
	calls   [][]string
	figures [][2]string
	has     []string
	hasNot  []string
	outcome session.Outcome
}

func fin(metric, period string) string {
	if period == "" {
		return fmt.Sprintf(`query_financial_mcp {"metric":%q}`, metric)
	}
	return fmt.Sprintf(`query_financial_mcp {"metric":%q,"period":%q}`, metric, period)
}

func search(q string) string { return fmt.Sprintf(`search_company_documents {"query":%q}`, q) }

var analystQuestions = []question{
	{ask: "Compare gross margin across FY2024, FY2025 and FY2026",
		calls:   [][]string{{fin("gross_margin", "FY2024"), fin("gross_margin", "FY2025"), fin("gross_margin", "FY2026")}},
		figures: [][2]string{{"gross_margin", "FY2024"}, {"gross_margin", "FY2025"}, {"gross_margin", "FY2026"}},
		has:     []string{"| FY2026 YTD |", "year to date (Q1–Q3), not a full year"}},
	{ask: "What was revenue in Q2 2025, and how does it compare with Q2 2026?",
		calls:   [][]string{{fin("revenue", "2025-Q2"), fin("revenue", "2026-Q2")}},
		figures: [][2]string{{"revenue", "2025-Q2"}, {"revenue", "2026-Q2"}}, has: []string{"Revenue rose from"}},
	{ask: "How did revenue change from Q2 to Q3 2026?",
		calls:   [][]string{{fin("revenue", "2026-Q2"), fin("revenue", "2026-Q3")}},
		figures: [][2]string{{"revenue", "2026-Q2"}, {"revenue", "2026-Q3"}}},
	{ask: "How did margins move from Q2 to Q3 2026?",
		calls:   [][]string{{fin("ebitda_margin", "2026-Q2"), fin("ebitda_margin", "2026-Q3"), fin("gross_margin", "2026-Q2"), fin("gross_margin", "2026-Q3")}},
		figures: [][2]string{{"ebitda_margin", "2026-Q2"}, {"ebitda_margin", "2026-Q3"}, {"gross_margin", "2026-Q2"}, {"gross_margin", "2026-Q3"}},
		has:     []string{"pts"}},
	{ask: "Show ARR and customers for the last 4 quarters", // relative to the latest quarter, which the first results say
		calls: [][]string{{fin("arr", ""), fin("customers", "")},
			{fin("arr", "2026-Q2"), fin("customers", "2026-Q2"), fin("arr", "2026-Q1"), fin("customers", "2026-Q1"), fin("arr", "2025-Q4"), fin("customers", "2025-Q4")}},
		figures: [][2]string{{"arr", "2025-Q4"}, {"arr", "2026-Q1"}, {"arr", "2026-Q2"}, {"arr", "2026-Q3"},
			{"customers", "2025-Q4"}, {"customers", "2026-Q1"}, {"customers", "2026-Q2"}, {"customers", "2026-Q3"}}},
	{ask: "How did EBITDA grow year over year in Q3?",
		calls:   [][]string{{fin("ebitda", "Q3")}, {fin("ebitda", "2025-Q3")}},
		figures: [][2]string{{"ebitda", "2026-Q3"}, {"ebitda", "2025-Q3"}}},
	{ask: "What was the gross margin in FY25 vs FY24?",
		calls:   [][]string{{fin("gross_margin", "FY2025"), fin("gross_margin", "FY2024")}},
		figures: [][2]string{{"gross_margin", "FY2024"}, {"gross_margin", "FY2025"}}},
	{ask: "opex for the third quarter of 2026? and annual recurring revenue",
		calls:   [][]string{{fin("operating_expenses", "2026-Q3"), fin("arr", "2026-Q3")}},
		figures: [][2]string{{"operating_expenses", "2026-Q3"}, {"arr", "2026-Q3"}}},
	{ask: "Net income in 2025-Q2 versus the previous quarter, please",
		calls:   [][]string{{fin("net_income", "2025-Q2"), fin("net_income", "2025-Q1")}},
		figures: [][2]string{{"net_income", "2025-Q1"}, {"net_income", "2025-Q2"}}},
	{ask: "How did revenue and EBITDA trend over H1 2026?",
		calls:   [][]string{{fin("revenue", "2026-Q1"), fin("revenue", "2026-Q2"), fin("ebitda", "2026-Q1"), fin("ebitda", "2026-Q2")}},
		figures: [][2]string{{"revenue", "2026-Q1"}, {"revenue", "2026-Q2"}, {"ebitda", "2026-Q1"}, {"ebitda", "2026-Q2"}}},
	{ask: "Show revenue since 2024", // years up to the latest, which the first result says; a year to date is not compared
		calls:   [][]string{{fin("revenue", "FY2024"), fin("revenue", "")}, {fin("revenue", "FY2025"), fin("revenue", "FY2026")}},
		figures: [][2]string{{"revenue", "FY2024"}, {"revenue", "FY2025"}, {"revenue", "FY2026"}},
		has:     []string{"Revenue rose from $71.91M in FY2024 to $80.56M in FY2025", "no change to a full year is shown"}, hasNot: []string{"Q3 2026"}},
	{ask: "What did the board memo say about Q4 priorities?", // the memo's priorities, not its header
		calls: [][]string{{search("Q4 priorities")}, {search("priorities decisions requested")}},
		has: []string{"**Board Memo: Q3 2026 Results and Q4 Priorities**", "Decisions requested: 1. Approve the FY2027 hiring envelope", "approve three Q4 decisions",
			"2. Approve the pricing change", "3. Authorise management to negotiate a minority investment"}, // all three decisions, not the first
		hasNot: []string{"Classification", "Chief Executive Officer"}},
	{ask: "What does the pricing memo recommend?", // the kind named, then the words such memos use for it
		calls: [][]string{{search("recommend")}, {search("pricing memo recommend")}, {search("recommendation recommends decision requested")}},
		has:   []string{"**Pricing Memo: Moving to Usage-Based Tiers**", "Decision requested: Approve the three-tier model"}},
	{ask: "What does the Q3 2026 QBR say about revenue?", // a document and a figure: both, and whether they agree
		calls:   [][]string{{search("revenue Q3 2026"), fin("revenue", "2026-Q3")}}, // the first search already finds the QBR's revenue passage
		figures: [][2]string{{"revenue", "2026-Q3"}},
		has:     []string{"**Q3 2026 Quarterly Business Review**", "Revenue reached $22.88M", "$22.88M agrees with the financial data"}},
	{ask: "What did the board memo say about EBITDA?", // the memo names its quarter; the figure is fetched for it
		calls: [][]string{{search("EBITDA")}, {search("board memo EBITDA")},
			{search("EBITDA Q3 2026 Results and Q4 Priorities"), fin("ebitda", "2026-Q3")}},
		figures: [][2]string{{"ebitda", "2026-Q3"}},
		has:     []string{"EBITDA: $4.21M", "$4.21M agrees with the financial data"}},
	{ask: "Search documents for Q3 performance, then query the financial MCP for EBITDA.",
		calls:   [][]string{{search("Q3 performance"), fin("ebitda", "Q3")}},
		figures: [][2]string{{"ebitda", "2026-Q3"}},
		has:     []string{"**Q3 2026 Quarterly Business Review**", "Revenue reached $22.88M"}},
	{ask: "Why did churn fall in Q3 2026?", // why: the documents explain the figures
		calls:   [][]string{{search("churn fall Q3 2026"), fin("churn", "2026-Q3"), fin("churn", "2025-Q3")}},
		figures: [][2]string{{"churn", "2026-Q3"}, {"churn", "2025-Q3"}},
		has:     []string{"Customer Churn Analysis", "fell to 1.7% in Q3 2026"}},
	{ask: "What will revenue be in Q1 2027?", // not in the data: said so, and the nearest quarter it has
		calls:   [][]string{{fin("revenue", "2027-Q1")}, {fin("revenue", "2026-Q1")}},
		figures: [][2]string{{"revenue", "2026-Q1"}},
		has:     []string{"no data for 2027-Q1", "the nearest period it has"}},
	{ask: "What is our headcount plan for next year, and how many people do we have now?", // a plan is in the documents, the figure in the data
		calls:   [][]string{{search("headcount plan next year many people we have now"), fin("headcount", "")}},
		figures: [][2]string{{"headcount", "2026-Q3"}},
		has:     []string{"Headcount, Q3 2026: **412**", "**Hiring Plan FY2027**", "64 net new roles"}},
	{ask: "Tell me a joke", // no metric: the documents are searched, and nothing is found
		calls: [][]string{{search("joke")}},
		has:   []string{"found nothing", "names no metric"}},
	{ask: "hello there", has: []string{"offline demo model", "search_company_documents", "query_financial_mcp"}},
}

func TestAnalystQuestions(t *testing.T) {
	for _, q := range analystQuestions {
		t.Run(q.ask, func(t *testing.T) {
			a := newAnalyst(t, "research-analyst")
			checkTurn(t, q, a.ask(q.ask))
		})
	}
}

// TestFollowUps asks in one session: each question refers to the one before.
func TestFollowUps(t *testing.T) {
	a := newAnalyst(t, "research-analyst")
	for _, q := range []question{
		{ask: "What was revenue in the second quarter of 2025?", calls: [][]string{{fin("revenue", "2025-Q2")}},
			figures: [][2]string{{"revenue", "2025-Q2"}}},
		{ask: "and for Q4?", calls: [][]string{{fin("revenue", "2025-Q4")}}, figures: [][2]string{{"revenue", "2025-Q4"}}},
		{ask: "what about operating margin?", // not a metric: the server says so and lists the ones it has
			calls:   [][]string{{fin("operating margin", "2025-Q4")}, {fin("gross_margin", "2025-Q4"), fin("ebitda_margin", "2025-Q4")}},
			figures: [][2]string{{"gross_margin", "2025-Q4"}, {"ebitda_margin", "2025-Q4"}},
			has:     []string{`"operating margin" is not a metric`, "gross margin and EBITDA margin"}},
		{ask: "How did revenue change from Q2 to Q3 2026?", calls: [][]string{{fin("revenue", "2026-Q2"), fin("revenue", "2026-Q3")}},
			figures: [][2]string{{"revenue", "2026-Q2"}, {"revenue", "2026-Q3"}}},
		{ask: "And Q4?", calls: [][]string{{fin("revenue", "2026-Q4")}, {fin("revenue", "2025-Q4")}},
			figures: [][2]string{{"revenue", "2025-Q4"}}, has: []string{"no data for 2026-Q4"}},
	} {
		checkTurn(t, q, a.ask(q.ask))
	}
}

// TestDeniedCallIsSaid: an agent without mcp:financial gets the documents, and the answer
// says which part it could not answer and why, with no figure it did not receive.
func TestDeniedCallIsSaid(t *testing.T) {
	a := newAnalyst(t, "junior-analyst")
	checkTurn(t, question{ask: "Search documents for Q3 performance, then query the financial MCP for EBITDA.",
		calls:   [][]string{{search("Q3 performance"), fin("ebitda", "Q3")}},
		has:     []string{"Revenue reached $22.88M", "**Not answered** (so this answer is incomplete)", "EBITDA for Q3 (latest): access was denied", "Agent lacks 'mcp:financial' capability"},
		outcome: session.OutcomeDenied}, a.ask("Search documents for Q3 performance, then query the financial MCP for EBITDA."))
	checkTurn(t, question{ask: "Compare gross margin across FY2024, FY2025 and FY2026",
		calls:   [][]string{{fin("gross_margin", "FY2024"), fin("gross_margin", "FY2025"), fin("gross_margin", "FY2026")}},
		has:     []string{"**Could not answer:**", "Gross margin for FY2024, FY2025 and FY2026: access was denied"},
		outcome: session.OutcomeDenied}, a.ask("Compare gross margin across FY2024, FY2025 and FY2026"))
}

func checkTurn(t *testing.T, q question, got turn) {
	t.Helper()
	want := q.outcome
	if want == "" {
		want = session.OutcomeOK
	}
	if got.outcome != want {
		t.Errorf("%q: outcome %s, want %s", q.ask, got.outcome, want)
	}
	var gotCalls [][]string
	for _, turn := range got.calls {
		var names []string
		for _, c := range turn {
			names = append(names, c.tool+" "+c.args)
		}
		gotCalls = append(gotCalls, names)
	}
	if fmt.Sprint(gotCalls) != fmt.Sprint(q.calls) && !(len(gotCalls) == 0 && len(q.calls) == 0) {
		t.Errorf("%q: tool calls by turn\n got %q\nwant %q", q.ask, gotCalls, q.calls)
	}
	for _, s := range q.has {
		if !strings.Contains(got.answer, s) {
			t.Errorf("%q: answer lacks %q:\n%s", q.ask, s, got.answer)
		}
	}
	for _, s := range q.hasNot {
		if strings.Contains(got.answer, s) {
			t.Errorf("%q: answer has %q:\n%s", q.ask, s, got.answer)
		}
	}
	checkFigures(t, q.ask, got.answer, q.figures)
}
