package demomodel

import (
	"bufio"
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

func newClient(t *testing.T) (openai.Client, string) {
	t.Helper()
	s, err := Start(Options{}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return openai.NewClient(option.WithBaseURL(s.URL()), option.WithAPIKey("unused"), option.WithMaxRetries(0)), s.URL()
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

// stream runs one streamed request through openai-go's accumulator, which rejects a chunk
// that changes the id or does not continue the response.
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
	c, _ := newClient(t)
	cc := stream(t, c, []openai.ChatCompletionMessageParamUnion{openai.UserMessage(seedPrompt)})
	msg := cc.Choices[0].Message
	var got []string
	for _, tc := range msg.ToolCalls {
		if tc.ID == "" {
			t.Errorf("tool call without id: %+v", tc)
		}
		got = append(got, tc.Function.Name+tc.Function.Arguments)
	}
	if strings.Join(got, " ") != `search_company_documents{"query":"Q3 performance"} query_financial_mcp{"metric":"ebitda","period":"Q3"}` {
		t.Errorf("parallel tool calls = %v", got)
	}
	if cc.Choices[0].FinishReason != "tool_calls" || cc.Model != ModelID || cc.Usage.PromptTokens < 50 || cc.Usage.CompletionTokens < 5 {
		t.Errorf("finish %q model %q usage %+v", cc.Choices[0].FinishReason, cc.Model, cc.Usage)
	}

	// Another search tool's result format and a figure line it cannot parse are still
	// reported, quoted; the figure is not re-stated as if it were read.
	msgs := []openai.ChatCompletionMessageParamUnion{openai.UserMessage(seedPrompt), msg.ToParam()}
	for _, tc := range msg.ToolCalls {
		res := "Found 3 documents matching 'Q3 performance':\n1. Q3 FY2026 Board Update — revenue grew 12%\n2. Q3 Sales Review (2026-10-02)\n3. Regional Results: Q3"
		if tc.Function.Name == "query_financial_mcp" {
			res = "Acme Corp EBITDA, FY2026 Q3: $4.73M (USD)"
		}
		msgs = append(msgs, openai.ToolMessage(res, tc.ID))
	}
	answer := stream(t, c, msgs).Choices[0].Message.Content
	for _, want := range []string{"“Acme Corp EBITDA, FY2026 Q3: $4.73M (USD)”", "Q3 FY2026 Board Update", "Q3 Sales Review", "Regional Results: Q3"} {
		if !strings.Contains(answer, want) {
			t.Errorf("answer lacks %q:\n%s", want, answer)
		}
	}
}

func TestAnswerSaysPlainlyWhenDenied(t *testing.T) {
	c, _ := newClient(t)
	call := openai.ChatCompletionMessage{Role: "assistant"}
	raw := `{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"query_financial_mcp","arguments":"{\"metric\":\"ebitda\"}"}}]}`
	if err := json.Unmarshal([]byte(raw), &call); err != nil {
		t.Fatal(err)
	}
	msgs := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What was EBITDA?"), call.ToParam(),
		openai.ToolMessage("DENIED: agent lacks capability mcp:financial (JIT available)", "call_1")}
	answer := stream(t, c, msgs).Choices[0].Message.Content
	if !strings.Contains(answer, "EBITDA for the latest quarter: access was denied — “agent lacks capability mcp:financial (JIT available).”") {
		t.Errorf("denial not stated/quoted:\n%s", answer)
	}
	if strings.Contains(answer, "$") {
		t.Errorf("answer invents a figure:\n%s", answer)
	}
}

func TestMetricsFromSchemaEnumAndDescription(t *testing.T) {
	tools := []toolDef{{Type: "function", Function: functionDef{Name: "fin", Description: "Metrics: bookings, net_retention.",
		Parameters: map[string]any{"properties": map[string]any{"metric": map[string]any{"enum": []any{"EBITDA", "pipeline_value"}}}}}}}
	msgs := []message{{Role: "user", Content: json.RawMessage(`"compare pipeline value, bookings, net retention and ebitda"`)}}
	var got []string
	for _, c := range plan(msgs, tools, planOptions{toolChoice: "auto", parallel: true}).Calls {
		got = append(got, c.Args["metric"])
	}
	if strings.Join(got, ",") != "pipeline_value,bookings,net_retention,EBITDA" {
		t.Errorf("metrics = %v", got)
	}
}

// TestStreamIsShapedLikeOpenAIs reads the raw stream of a turn with parallel tool calls:
// per call a first delta with index, id, type, name and empty arguments, then argument
// fragments carrying only the index; then the finish reason, a usage chunk with no
// choices, and [DONE]. Usage counts the request's messages and tool definitions.
func TestStreamIsShapedLikeOpenAIs(t *testing.T) {
	_, base := newClient(t)
	msgs := `[{"role":"user","content":"How did revenue and EBITDA change from Q2 to Q3 2026?"}]`
	tools, _ := json.Marshal(seedTools())
	body := `{"model":"lumodash-demo","stream":true,"stream_options":{"include_usage":true},"messages":` + msgs + `,"tools":` + string(tools) + `}`
	resp, err := http.Post(base+"/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" || !strings.HasPrefix(resp.Header.Get("X-Request-Id"), "req_") {
		t.Errorf("headers %v", resp.Header)
	}
	args := map[int]string{}
	ids := map[int]string{}
	var finish string
	var u *usage
	done := false
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if line == "[DONE]" {
			done = true
			continue
		}
		var ch chunk
		if err := json.Unmarshal([]byte(line), &ch); err != nil {
			t.Fatal(err)
		}
		if ch.Usage != nil {
			if len(ch.Choices) != 0 {
				t.Errorf("usage chunk has choices: %s", line)
			}
			u = ch.Usage
		}
		for _, c := range ch.Choices {
			if c.FinishReason != nil {
				finish = *c.FinishReason
			}
			for _, tc := range c.Delta.ToolCalls {
				i := *tc.Index
				_, seen := ids[i]
				switch {
				case !seen && (tc.ID == "" || tc.Function.Name == "" || tc.Type != "function" || tc.Function.Arguments != ""):
					t.Errorf("first delta of call %d: %s", i, line)
				case seen && (tc.ID != "" || tc.Function.Name != ""):
					t.Errorf("a later delta of call %d repeats its id or name: %s", i, line)
				case !seen:
					ids[i] = tc.ID
				default:
					args[i] += tc.Function.Arguments
				}
			}
		}
	}
	if len(ids) != 4 || finish != "tool_calls" || !done {
		t.Fatalf("calls %v finish %q done %v", ids, finish, done)
	}
	for i := range 4 {
		var a map[string]string
		if err := json.Unmarshal([]byte(args[i]), &a); err != nil || a["period"] == "" {
			t.Errorf("call %d arguments %q: %v", i, args[i], err)
		}
	}
	wantPrompt := int64((len(msgs)+len(tools))/4 + 1)
	if u == nil || u.PromptTokens != wantPrompt || u.TotalTokens != u.PromptTokens+u.CompletionTokens || u.CompletionTokens < 20 {
		t.Errorf("usage %+v, want prompt_tokens %d", u, wantPrompt)
	}
}

// TestRequestSettingsAreHonoured: n choices, the token limit (finish_reason "length"),
// tool_choice "none" and parallel_tool_calls false shape the reply as OpenAI's would.
func TestRequestSettingsAreHonoured(t *testing.T) {
	h := httptest.NewServer(NewHandler(Options{}))
	defer h.Close()
	tools, _ := json.Marshal(seedTools())
	post := func(extra string) completion {
		t.Helper()
		body := `{"model":"` + ModelAlias + `","messages":[{"role":"user","content":"Compare revenue and EBITDA in Q2 and Q3 2026"}],"tools":` + string(tools) + extra + `}`
		resp, err := http.Post(h.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var c completion
		if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", extra, resp.StatusCode, err)
		}
		return c
	}
	if c := post(`,"n":2`); len(c.Choices) != 2 || c.Choices[1].Index != 1 || len(c.Choices[1].Message.ToolCalls) != 4 ||
		c.Choices[0].Message.ToolCalls[0].ID == c.Choices[1].Message.ToolCalls[0].ID {
		t.Errorf("n=2: %+v", c.Choices)
	}
	if c := post(`,"parallel_tool_calls":false`); len(c.Choices[0].Message.ToolCalls) != 1 {
		t.Errorf("parallel_tool_calls false: %d calls", len(c.Choices[0].Message.ToolCalls))
	}
	if c := post(`,"tool_choice":"none"`); c.Choices[0].FinishReason != "stop" || c.Choices[0].Message.Content == nil ||
		!strings.Contains(*c.Choices[0].Message.Content, "tool_choice") {
		t.Errorf("tool_choice none: %+v", c.Choices[0])
	}
	if c := post(`,"max_completion_tokens":5`); c.Choices[0].FinishReason != "length" || c.Usage.CompletionTokens != 5 {
		t.Errorf("max_completion_tokens 5: finish %q usage %+v", c.Choices[0].FinishReason, c.Usage)
	}
}

func TestWordChunksKeepEveryByte(t *testing.T) {
	s := "Q3 revenue  grew\n12% — “ok” "
	if got := strings.Join(wordChunks(s), ""); got != s || len(wordChunks(s)) != 6 {
		t.Errorf("%q %q", got, wordChunks(s))
	}
}
