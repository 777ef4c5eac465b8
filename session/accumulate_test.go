package session

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

// accumulate feeds tool-call deltas (the JSON of delta.tool_calls items), one chunk each.
func accumulate(t *testing.T, deltas ...string) modelReply {
	t.Helper()
	var s turnStream
	for _, d := range deltas {
		var c openai.ChatCompletionChunk
		if err := json.Unmarshal([]byte(`{"id":"x","choices":[{"index":0,"delta":{"tool_calls":[`+d+`]}}]}`), &c); err != nil {
			t.Fatal(err)
		}
		s.add(c)
	}
	s.finish = "tool_calls"
	return s.reply(1, "m")
}

func callsOf(m modelReply) string {
	var b strings.Builder
	for _, c := range m.calls {
		b.WriteString(c.id + " " + c.name + " " + c.args)
		if c.invalid {
			b.WriteString(" (invalid)")
		}
		b.WriteString("; ")
	}
	return b.String()
}

// The shapes the provider profiles do not produce, but servers in the wild do.
func TestAccumulatorEdgeCases(t *testing.T) {
	cases := []struct {
		name   string
		deltas []string
		want   string
	}{
		{"a name streamed in pieces", []string{`{"index":0,"id":"a","function":{"name":"search_"}}`, `{"index":0,"function":{"name":"documents","arguments":"{}"}}`},
			"a search_documents {}; "},
		{"the same tool twice at index 0", []string{`{"index":0,"id":"a","function":{"name":"m","arguments":"{\"x\":1}"}}`, `{"index":0,"id":"b","function":{"name":"m","arguments":"{\"x\":2}"}}`},
			`a m {"x":1}; b m {"x":2}; `},
		{"the same tool twice at index 0, no ids", []string{`{"index":0,"function":{"name":"m","arguments":"{\"x\":1}"}}`, `{"index":0,"function":{"name":"m","arguments":"{\"x\":2}"}}`},
			`call_t1_1 m {"x":1}; call_t1_2 m {"x":2}; `},
		{"a call without arguments, then another", []string{`{"index":0,"id":"a","function":{"name":"now"}}`, `{"index":0,"id":"b","function":{"name":"today","arguments":""}}`},
			"a now {}; b today {}; "},
		{"one id for two calls", []string{`{"index":0,"id":"a","function":{"name":"m","arguments":"{}"}}`, `{"index":1,"id":"a","function":{"name":"n","arguments":"{}"}}`},
			"a m {}; call_t1_2 n {}; "},
		{"trailing whitespace after complete arguments", []string{`{"index":0,"id":"a","function":{"name":"m","arguments":"{}"}}`, `{"index":0,"function":{"arguments":" \n"}}`},
			"a m {}; "},
		{"arguments cut short", []string{`{"index":0,"id":"a","function":{"name":"m","arguments":"{\"metric\": \"EBI"}}`},
			`a m {"metric": "EBI (invalid); `},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := callsOf(accumulate(t, c.deltas...)); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestTextToolCallsAreReadOnlyForOfferedTools(t *testing.T) {
	known := func(n string) bool { return n == "lookup" }
	cases := []struct {
		content, calls, rest, problem string
	}{
		{`Checking.<tool_call>{"name": "lookup", "arguments": {"m": "x"}}</tool_call>`, `lookup {"m": "x"}; `, "Checking.", ""},
		{`<tool_call>{"name": "lookup", "arguments": "{\"m\":1}"}`, `lookup {"m":1}; `, "", ""},  // unclosed; arguments as a string
		{`{"name": "weather", "arguments": {}}`, "", `{"name": "weather", "arguments": {}}`, ""}, // JSON prose, not a call
		{`<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call>`, "", "", `names "rm_rf", which is not one of the tools offered`},
		{`[TOOL_CALLS][{"name": "lookup", "arguments": {"m": 1}`, "", "", "could not be read"},
		{"The figure is 4.2.", "", "The figure is 4.2.", ""},
		{"[1] Revenue grew {strongly}", "", "[1] Revenue grew {strongly}", ""},
	}
	for _, c := range cases {
		calls, rest, _, problem := parseTextCalls(c.content, known)
		var got strings.Builder
		for _, mc := range calls {
			got.WriteString(mc.name + " " + mc.args + "; ")
		}
		if got.String() != c.calls || (c.problem == "" && rest != c.rest) || !strings.Contains(problem, c.problem) || (c.problem == "") != (problem == "") {
			t.Errorf("%q: calls %q rest %q problem %q", c.content, got.String(), rest, problem)
		}
	}
}
