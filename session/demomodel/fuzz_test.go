package demomodel

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzChat sends arbitrary bodies and conversations: the endpoint answers every one with a
// completion or an OpenAI error object, never a panic or a hang.
func FuzzChat(f *testing.F) {
	tools, _ := json.Marshal(seedTools())
	for _, q := range []string{seedPrompt, "Compare gross margin across FY2024, FY2025 and FY2026", "and for Q4?", "What did the board memo say about Q4 priorities?", "last 3 quarters of churn vs Q9 2099"} {
		msgs, _ := json.Marshal([]map[string]string{{"role": "user", "content": q}})
		f.Add(`{"model":"lumodash-demo","messages":` + string(msgs) + `,"tools":` + string(tools) + `}`)
	}
	f.Add(`{"model":"lumodash-demo","messages":[{"role":"user","content":"revenue Q3"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"query_financial_mcp","arguments":"{\"metric\":\"\",\"period\":\"Q3\"}"}}]},{"role":"tool","tool_call_id":"a","content":"Error: unknown metric: valid metrics: revenue"}],"tools":` + string(tools) + `}`)
	f.Add(`{"model":"lumodash-demo","messages":[{"role":"user","content":"x"}],"stream":true,"n":3,"max_tokens":2}`)
	h := NewHandler(Options{})
	f.Fuzz(func(t *testing.T, body string) {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body)))
		switch rr.Code {
		case http.StatusOK:
			if !strings.HasPrefix(rr.Body.String(), "{") && !strings.HasPrefix(rr.Body.String(), "data: ") {
				t.Fatalf("200 with %q", rr.Body.String())
			}
		case http.StatusBadRequest, http.StatusNotFound:
			var e openaiError
			if err := json.Unmarshal(rr.Body.Bytes(), &e); err != nil || e.Error.Message == "" || e.Error.Type == "" {
				t.Fatalf("%d with %q", rr.Code, rr.Body.String())
			}
		default:
			t.Fatalf("status %d for %q", rr.Code, body)
		}
	})
}
