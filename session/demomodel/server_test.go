package demomodel

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
)

func newClient(t *testing.T) openai.Client {
	t.Helper()
	s, err := Start(Options{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return openai.NewClient(option.WithBaseURL(s.URL()), option.WithAPIKey("unused"), option.WithMaxRetries(0))
}

func seedTools() []openai.ChatCompletionToolUnionParam {
	return []openai.ChatCompletionToolUnionParam{
		openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name: "search_company_documents", Description: openai.String("Search internal company documents."),
			Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"query": map[string]any{"type": "string"}}, "required": []string{"query"}},
		}),
		openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name: "query_financial_mcp", Description: openai.String("Query the secured financial metrics MCP server."),
			Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{
				"metric": map[string]any{"type": "string"}, "period": map[string]any{"type": "string"}}, "required": []string{"metric"}},
		}),
	}
}

const seedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."

// stream runs one streamed request and returns the accumulated completion.
func stream(t *testing.T, c openai.Client, msgs []openai.ChatCompletionMessageParamUnion) openai.ChatCompletion {
	t.Helper()
	s := c.Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{
		Model: ModelID, Messages: msgs, Tools: seedTools(),
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	})
	var acc openai.ChatCompletionAccumulator
	chunks := 0
	for s.Next() {
		if !acc.AddChunk(s.Current()) {
			t.Fatalf("chunk %d rejected by the accumulator", chunks)
		}
		chunks++
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if chunks < 3 {
		t.Fatalf("only %d chunks: not streamed", chunks)
	}
	return acc.ChatCompletion
}

func TestSeedPromptPlansBothToolsInOneTurn(t *testing.T) {
	c := newClient(t)
	cc := stream(t, c, []openai.ChatCompletionMessageParamUnion{openai.UserMessage(seedPrompt)})
	msg := cc.Choices[0].Message
	if len(msg.ToolCalls) != 2 {
		t.Fatalf("want 2 parallel tool calls, got %+v", msg.ToolCalls)
	}
	got := map[string]string{}
	for _, tc := range msg.ToolCalls {
		if tc.ID == "" {
			t.Errorf("tool call without id: %+v", tc)
		}
		got[tc.Function.Name] = tc.Function.Arguments
	}
	if got["search_company_documents"] != `{"query":"Q3 performance"}` {
		t.Errorf("search args = %s", got["search_company_documents"])
	}
	if got["query_financial_mcp"] != `{"metric":"ebitda","period":"Q3"}` {
		t.Errorf("financial args = %s", got["query_financial_mcp"])
	}
	if cc.Choices[0].FinishReason != "tool_calls" {
		t.Errorf("finish reason %q", cc.Choices[0].FinishReason)
	}
	if cc.Usage.PromptTokens < 50 || cc.Usage.CompletionTokens < 5 || cc.Model != ModelID {
		t.Errorf("usage/model not reported: %+v %q", cc.Usage, cc.Model)
	}

	// Second turn: answer from the tool results, quoting them.
	msgs := []openai.ChatCompletionMessageParamUnion{openai.UserMessage(seedPrompt), msg.ToParam()}
	for _, tc := range msg.ToolCalls {
		res := "Found 3 documents matching 'Q3 performance':\n1. Q3 FY2026 Board Update — revenue grew 12%\n2. Q3 Sales Review (2026-10-02)\n3. Regional Results: Q3"
		if tc.Function.Name == "query_financial_mcp" {
			res = "Acme Corp EBITDA, FY2026 Q3: $4.73M (USD)"
		}
		msgs = append(msgs, openai.ToolMessage(res, tc.ID))
	}
	answer := stream(t, c, msgs).Choices[0].Message.Content
	for _, want := range []string{"$4.73M", "**Q3 FY2026 Board Update**", "**Q3 Sales Review**", "**Regional Results: Q3**", "3 document"} {
		if !strings.Contains(answer, want) {
			t.Errorf("answer lacks %q:\n%s", want, answer)
		}
	}
}

func TestAnswerSaysPlainlyWhenDenied(t *testing.T) {
	c := newClient(t)
	call := openai.ChatCompletionMessage{Role: "assistant"}
	raw := `{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"query_financial_mcp","arguments":"{\"metric\":\"ebitda\"}"}}]}`
	if err := json.Unmarshal([]byte(raw), &call); err != nil {
		t.Fatal(err)
	}
	msgs := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What was EBITDA?"), call.ToParam(),
		openai.ToolMessage("DENIED: agent lacks capability mcp:financial (JIT available)", "call_1")}
	answer := stream(t, c, msgs).Choices[0].Message.Content
	if !strings.Contains(answer, "denied") || !strings.Contains(answer, "agent lacks capability mcp:financial") {
		t.Errorf("denial not stated/quoted:\n%s", answer)
	}
	if strings.Contains(answer, "$") {
		t.Errorf("answer invents a figure:\n%s", answer)
	}
}

func TestPlanning(t *testing.T) {
	var tools []toolDef
	b, _ := json.Marshal(seedTools())
	if err := json.Unmarshal(b, &tools); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		seedPrompt: `search_company_documents{"query":"Q3 performance"} query_financial_mcp{"metric":"ebitda","period":"Q3"}`,
		"What were revenue and net income in 2025 Q4?":                     `query_financial_mcp{"metric":"revenue","period":"2025-Q4"} query_financial_mcp{"metric":"net_income","period":"2025-Q4"}`,
		"Show the EBITDA margin for FY2025":                                `query_financial_mcp{"metric":"ebitda_margin","period":"FY2025"}`,
		"Find documents about the hiring plan":                             `search_company_documents{"query":"hiring plan"}`,
		"search churn in the documents":                                    `search_company_documents{"query":"churn"}`,
		"Tell me a joke":                                                   ``,
		"opex for the third quarter of 2026? and annual recurring revenue": `query_financial_mcp{"metric":"operating_expenses","period":"Q3"} query_financial_mcp{"metric":"arr","period":"Q3"}`,
	}
	for prompt, want := range cases {
		var got []string
		for _, c := range planCalls(prompt, tools) {
			got = append(got, c.Name+c.argsJSON())
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%q:\n got %s\nwant %s", prompt, strings.Join(got, " "), want)
		}
	}
}

func TestMetricsFromSchemaEnumAndDescription(t *testing.T) {
	tools := []toolDef{{Type: "function", Function: functionDef{Name: "fin", Description: "Metrics: bookings, net_retention.",
		Parameters: map[string]any{"properties": map[string]any{"metric": map[string]any{"enum": []any{"EBITDA", "pipeline_value"}}}}}}}
	var got []string
	for _, c := range planCalls("compare pipeline value, bookings, net retention and ebitda", tools) {
		got = append(got, c.Args["metric"])
	}
	if strings.Join(got, ",") != "pipeline_value,bookings,net_retention,EBITDA" {
		t.Errorf("metrics = %v", got)
	}
}

func TestUnknownRequestGetsHelpfulAnswer(t *testing.T) {
	c := newClient(t)
	res, err := c.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model: ModelID, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hello there")}, Tools: seedTools()})
	if err != nil {
		t.Fatal(err)
	}
	a := res.Choices[0].Message.Content
	if !strings.Contains(a, "search_company_documents") || !strings.Contains(a, "ebitda") || res.Usage.TotalTokens == 0 {
		t.Errorf("answer %q usage %+v", a, res.Usage)
	}
}

func TestModelsAndBadRequests(t *testing.T) {
	h := httptest.NewServer(NewHandler(Options{}))
	defer h.Close()
	c := openai.NewClient(option.WithBaseURL(h.URL+"/v1"), option.WithAPIKey("x"), option.WithMaxRetries(0))
	page, err := c.Models.List(context.Background())
	if err != nil || len(page.Data) != 1 || page.Data[0].ID != ModelID {
		t.Fatalf("models: %v %+v", err, page)
	}
	for body, want := range map[string]string{"{not json": "not valid JSON", `{"model":"x","messages":[]}`: "at least one message"} {
		resp, err := http.Post(h.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var e apiError
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(e.Error.Message, want) {
			t.Errorf("%s: %d %+v", body, resp.StatusCode, e)
		}
	}
}

func TestWordChunksKeepEveryByte(t *testing.T) {
	s := "Q3 revenue  grew\n12% — “ok” "
	if got := strings.Join(wordChunks(s), ""); got != s || len(wordChunks(s)) != 6 {
		t.Errorf("%q %q", got, wordChunks(s))
	}
}
