package financialmcp

import (
	"context"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// GetMetricArgs are the arguments of the get_metric tool.
type GetMetricArgs struct {
	Metric string `json:"metric" jsonschema:"metric name or alias, e.g. revenue, EBITDA, gross margin, net income, opex, ARR, churn"`
	Period string `json:"period,omitempty" jsonschema:"2026-Q3, Q3 2026, Q3 (latest Q3), FY2025 (fiscal year) or empty for the latest quarter"`
}

// MetricList is the structured result of the list_metrics tool.
type MetricList struct {
	Company  string       `json:"company"`
	Metrics  []MetricInfo `json:"metrics"`
	Quarters []string     `json:"quarters" jsonschema:"reported quarters, oldest first"`
	Periods  string       `json:"periods" jsonschema:"accepted period forms"`
}

const periodHelp = `"2026-Q3", "Q3 2026", "Q3" (latest Q3), "FY2025" (fiscal year: totals for amounts, year-end for stocks), "" or "latest" (latest quarter)`

func newMCPServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "acme-financial-data", Title: "Acme Corp financial metrics", Version: "1.0.0"},
		&mcp.ServerOptions{Instructions: "Quarterly financial metrics of Acme Corp, FY2024 Q1 to FY2026 Q3. " +
			"Call list_metrics for the metric names, then get_metric(metric, period)."})
	mcp.AddTool(s, &mcp.Tool{
		Name:        "get_metric",
		Title:       "Get a financial metric",
		Description: "Returns one Acme Corp financial metric for a quarter or fiscal year. Periods: " + periodHelp + ".",
	}, getMetric)
	mcp.AddTool(s, &mcp.Tool{
		Name:        "list_metrics",
		Title:       "List financial metrics",
		Description: "Lists the Acme Corp metrics get_metric knows, with units, descriptions and the reported quarters.",
	}, listMetrics)
	return s
}

// getMetric returns an error for an unknown metric or period; the SDK turns it into a tool
// result with IsError set, so the model can read it and correct itself.
func getMetric(_ context.Context, _ *mcp.CallToolRequest, args GetMetricArgs) (*mcp.CallToolResult, Value, error) {
	v, err := Lookup(args.Metric, args.Period)
	if err != nil {
		return nil, Value{}, err
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: v.Line()}}}, v, nil
}

func listMetrics(_ context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, MetricList, error) {
	list := MetricList{Company: Company, Metrics: Metrics(), Quarters: Quarters(), Periods: periodHelp}
	var b strings.Builder
	fmt.Fprintf(&b, "%s metrics, %s … %s:\n", Company, list.Quarters[0], list.Quarters[len(list.Quarters)-1])
	for _, m := range list.Metrics {
		fmt.Fprintf(&b, "- %s (%s, %s): %s\n", m.Metric, m.Name, m.Unit, m.Description)
	}
	fmt.Fprintf(&b, "Periods: %s.", periodHelp)
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: b.String()}}}, list, nil
}
