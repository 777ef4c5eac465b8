package demomodel

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// openaiError is the error body as the OpenAI API writes it.
type openaiError struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

const okMessages = `"messages":[{"role":"user","content":"hi"}]`

// errorCases are malformed requests and the OpenAI API's answer to each: status, param,
// code ("" = null) and the start of the message. The shapes follow OpenAI's documented
// error object and the answers its API gives (openai-node's APIError reads status, code,
// param and type from them).
var errorCases = []struct {
	name, body  string
	status      int
	param, code string
	message     string
}{
	{"invalid JSON", `{"model":`, 400, "", "", "We could not parse the JSON body of your request."},
	{"a JSON array", `[1,2]`, 400, "", "", "We could not parse the JSON body of your request."},
	{"no model", `{` + okMessages + `}`, 400, "", "", "you must provide a model parameter"},
	{"an empty model", `{"model":"",` + okMessages + `}`, 400, "", "", "you must provide a model parameter"},
	{"a numeric model", `{"model":7,` + okMessages + `}`, 400, "model", "invalid_type", "Invalid type for 'model': expected a string, but got an integer instead."},
	{"an unknown model", `{"model":"gpt-nope",` + okMessages + `}`, 404, "", "model_not_found", "The model `gpt-nope` does not exist or you do not have access to it."},
	{"no messages", `{"model":"lumodash-demo"}`, 400, "messages", "missing_required_parameter", "Missing required parameter: 'messages'."},
	{"empty messages", `{"model":"lumodash-demo","messages":[]}`, 400, "messages", "empty_array", "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead."},
	{"messages as a string", `{"model":"lumodash-demo","messages":"hi"}`, 400, "messages", "invalid_type", "Invalid type for 'messages': expected an array of objects, but got a string instead."},
	{"a message that is not an object", `{"model":"lumodash-demo","messages":["hi"]}`, 400, "messages[0]", "invalid_type", "Invalid type for 'messages[0]': expected an object, but got a string instead."},
	{"a message with no role", `{"model":"lumodash-demo","messages":[{"content":"hi"}]}`, 400, "messages[0].role", "missing_required_parameter", "Missing required parameter: 'messages[0].role'."},
	{"an unknown role", `{"model":"lumodash-demo","messages":[{"role":"bogus","content":"hi"}]}`, 400, "messages[0].role", "invalid_value",
		"Invalid value: 'bogus'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'."},
	{"numeric content", `{"model":"lumodash-demo","messages":[{"role":"user","content":7}]}`, 400, "messages[0].content", "invalid_type",
		"Invalid type for 'messages[0].content': expected one of a string or array of objects, but got an integer instead."},
	{"a tool message with no id", `{"model":"lumodash-demo","messages":[{"role":"user","content":"hi"},{"role":"tool","content":"x"}]}`, 400, "messages[1].tool_call_id", "missing_required_parameter", "Missing required parameter: 'messages[1].tool_call_id'."},
	{"a tool message answering nothing", `{"model":"lumodash-demo","messages":[{"role":"user","content":"hi"},{"role":"tool","tool_call_id":"c1","content":"x"}]}`, 400, "messages.[1].role", "",
		"Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'."},
	{"an unanswered tool call", `{"model":"lumodash-demo","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"user","content":"and?"}]}`,
		400, "messages.[1].role", "", "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: c1"},
	{"an unknown parameter", `{"model":"lumodash-demo",` + okMessages + `,"zzz":1}`, 400, "zzz", "unknown_parameter", "Unknown parameter: 'zzz'."},
	{"tools as a string", `{"model":"lumodash-demo",` + okMessages + `,"tools":"none"}`, 400, "tools", "invalid_type", "Invalid type for 'tools': expected an array of objects, but got a string instead."},
	{"a tool with no function", `{"model":"lumodash-demo",` + okMessages + `,"tools":[{"type":"function"}]}`, 400, "tools[0].function", "missing_required_parameter", "Missing required parameter: 'tools[0].function'."},
	{"a tool with no name", `{"model":"lumodash-demo",` + okMessages + `,"tools":[{"type":"function","function":{"parameters":{}}}]}`, 400, "tools[0].function.name", "missing_required_parameter", "Missing required parameter: 'tools[0].function.name'."},
	{"a tool of an unknown type", `{"model":"lumodash-demo",` + okMessages + `,"tools":[{"type":"web","function":{"name":"f"}}]}`, 400, "tools[0].type", "invalid_value", "Invalid value: 'web'. Supported values are: 'function' and 'custom'."},
	{"a tool name with spaces", `{"model":"lumodash-demo",` + okMessages + `,"tools":[{"type":"function","function":{"name":"my tool"}}]}`, 400, "tools[0].function.name", "invalid_value",
		"Invalid 'tools[0].function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'."},
	{"n of 0", `{"model":"lumodash-demo",` + okMessages + `,"n":0}`, 400, "n", "integer_below_min_value", "Invalid 'n': integer below minimum value. Expected a value >= 1, but got 0 instead."},
	{"n too large", `{"model":"lumodash-demo",` + okMessages + `,"n":500}`, 400, "n", "integer_above_max_value", "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 500 instead."},
	{"a string n", `{"model":"lumodash-demo",` + okMessages + `,"n":"2"}`, 400, "n", "invalid_type", "Invalid type for 'n': expected an integer, but got a string instead."},
	{"stream_options without stream", `{"model":"lumodash-demo",` + okMessages + `,"stream_options":{"include_usage":true}}`, 400, "stream_options", "", "The 'stream_options' parameter is only allowed when 'stream' is enabled."},
	{"an unknown tool_choice", `{"model":"lumodash-demo",` + okMessages + `,"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"bogus"}`, 400, "tool_choice", "invalid_value",
		"Invalid value: 'bogus'. Supported values are: 'none', 'auto', and 'required'."},
	{"tool_choice without tools", `{"model":"lumodash-demo",` + okMessages + `,"tool_choice":"auto"}`, 400, "tool_choice", "", "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified."},
	{"temperature above 2", `{"model":"lumodash-demo",` + okMessages + `,"temperature":3}`, 400, "temperature", "decimal_above_max_value", "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 3 instead."},
	{"max_tokens of 0", `{"model":"lumodash-demo",` + okMessages + `,"max_completion_tokens":0}`, 400, "max_completion_tokens", "integer_below_min_value", "Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 1, but got 0 instead."},
}

func TestErrorsAreOpenAIs(t *testing.T) {
	h := httptest.NewServer(NewHandler(Options{}))
	defer h.Close()
	for _, c := range errorCases {
		resp, err := http.Post(h.URL+"/v1/chat/completions", "application/json", strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		var e openaiError
		decodeErr := json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		param, code := "", ""
		if e.Error.Param != nil {
			param = *e.Error.Param
		}
		if e.Error.Code != nil {
			code = *e.Error.Code
		}
		if decodeErr != nil || resp.StatusCode != c.status || param != c.param || code != c.code || e.Error.Type != "invalid_request_error" || !strings.HasPrefix(e.Error.Message, c.message) {
			t.Errorf("%s: %d param=%q code=%q type=%q %q (decode %v)\n want %d param=%q code=%q %q", c.name, resp.StatusCode, param, code, e.Error.Type, e.Error.Message, decodeErr, c.status, c.param, c.code, c.message)
		}
	}
}

// TestAcceptedParametersAreAccepted: what the OpenAI API accepts and the demo model does not
// act on (sampling, metadata, store…) is accepted, not refused.
func TestAcceptedParametersAreAccepted(t *testing.T) {
	h := httptest.NewServer(NewHandler(Options{}))
	defer h.Close()
	body := `{"model":"` + ModelID + `",` + okMessages + `,"temperature":0.2,"top_p":1,"seed":7,"store":false,"user":"u","metadata":{"a":"b"},` +
		`"frequency_penalty":0,"presence_penalty":0,"max_tokens":500,"stop":["ZZ"],"response_format":{"type":"text"},"service_tier":"auto","n":1,"stream":false}`
	resp, err := http.Post(h.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c completion
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil || resp.StatusCode != 200 || c.Model != ModelID || c.Choices[0].Message.Content == nil {
		t.Errorf("%d %v %+v", resp.StatusCode, err, c)
	}
}

func TestModelsAndRoutes(t *testing.T) {
	h := httptest.NewServer(NewHandler(Options{}))
	defer h.Close()
	get := func(method, path string, v any) int {
		t.Helper()
		req, _ := http.NewRequest(method, h.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_ = json.NewDecoder(resp.Body).Decode(v)
		return resp.StatusCode
	}
	var list struct {
		Object string `json:"object"`
		Data   []struct {
			ID, Object, OwnedBy string
			Created             int64
		} `json:"data"`
	}
	if s := get("GET", "/v1/models", &list); s != 200 || list.Object != "list" || len(list.Data) != 2 || list.Data[0].ID != ModelID || list.Data[0].Object != "model" || list.Data[0].Created != modelsCreated {
		t.Errorf("list: %d %+v", s, list)
	}
	var m map[string]any
	if s := get("GET", "/v1/models/lumodash-demo%20(offline)", &m); s != 200 || m["id"] != ModelID || m["object"] != "model" {
		t.Errorf("retrieve: %d %v", s, m)
	}
	for _, c := range []struct {
		method, path string
		status       int
		param, code  string
		message      string
	}{
		{"GET", "/v1/models/gpt-nope", 404, "model", "model_not_found", "The model 'gpt-nope' does not exist"},
		{"GET", "/v1/embeddings", 404, "", "", "Invalid URL (GET /v1/embeddings)"},
		{"GET", "/v1/chat/completions", 405, "", "", "Invalid method for URL (GET /v1/chat/completions)"},
		{"DELETE", "/v1/models", 405, "", "", "Invalid method for URL (DELETE /v1/models)"},
	} {
		var e openaiError
		s := get(c.method, c.path, &e)
		param, code := "", ""
		if e.Error.Param != nil {
			param = *e.Error.Param
		}
		if e.Error.Code != nil {
			code = *e.Error.Code
		}
		if s != c.status || param != c.param || code != c.code || e.Error.Message != c.message {
			t.Errorf("%s %s: %d %q %q %q", c.method, c.path, s, param, code, e.Error.Message)
		}
	}
}
