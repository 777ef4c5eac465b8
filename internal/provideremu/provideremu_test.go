package provideremu

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

const seedTools = `[{"type":"function","function":{"name":"search_company_documents","parameters":{"type":"object","properties":{"query":{"type":"string"}}}}},
{"type":"function","function":{"name":"query_financial_mcp","description":"A metric (revenue, gross_profit, ebitda, ebitda_margin, cash) for a quarter","parameters":{"type":"object","properties":{"metric":{"type":"string"}}}}}]`

func start(t *testing.T, profile string, faults ...Fault) *Server {
	t.Helper()
	p, ok := Lookup(profile)
	if !ok {
		t.Fatalf("no profile %s", profile)
	}
	s, err := Start(Options{Profile: p, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// post sends a chat request with messages (JSON) and returns the status and the SSE data lines.
func post(t *testing.T, s *Server, messages, extra string) (int, []map[string]any) {
	t.Helper()
	body := `{"model":"` + s.Model() + `","stream":true,"tools":` + seedTools + `,"messages":` + messages + extra + `}`
	resp, err := http.Post(s.URL()+"/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var events []map[string]any
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok || line == "[DONE]" {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("bad event %q", line)
		}
		events = append(events, e)
	}
	return resp.StatusCode, events
}

const seedMessages = `[{"role":"user","content":"Search documents for Q3 performance, then query the financial MCP for EBITDA."}]`

// toolDeltas lists every delta.tool_calls item of the stream.
func toolDeltas(events []map[string]any) []map[string]any {
	var out []map[string]any
	for _, e := range events {
		for _, c := range e["choices"].([]any) {
			d := c.(map[string]any)["delta"].(map[string]any)
			for _, tc := range asList(d["tool_calls"]) {
				out = append(out, tc.(map[string]any))
			}
		}
	}
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

func TestProfilesReproduceTheirWireQuirks(t *testing.T) {
	check := map[string]func(t *testing.T, events []map[string]any, deltas []map[string]any){
		"ollama-index0": func(t *testing.T, _ []map[string]any, d []map[string]any) {
			if len(d) != 2 || d[0]["index"] != 0.0 || d[1]["index"] != 0.0 || d[0]["id"] == d[1]["id"] {
				t.Errorf("want two whole calls at index 0 with their own ids: %v", d)
			}
		},
		"ollama-noindex": func(t *testing.T, _ []map[string]any, d []map[string]any) {
			for _, tc := range d {
				if _, ok := tc["index"]; ok {
					t.Errorf("index sent: %v", tc)
				}
			}
		},
		"litellm": func(t *testing.T, e []map[string]any, _ []map[string]any) {
			ids := map[any]bool{}
			for _, ev := range e {
				ids[ev["id"]] = true
			}
			if len(ids) != len(e) {
				t.Errorf("%d chunk ids for %d chunks", len(ids), len(e))
			}
		},
		"lmstudio": func(t *testing.T, _ []map[string]any, d []map[string]any) {
			if len(d) < 4 || d[0]["id"] == d[1]["id"] || d[0]["index"] != d[1]["index"] {
				t.Errorf("want a new id on every delta of one call: %v", d[:2])
			}
		},
		"nim": func(t *testing.T, _ []map[string]any, d []map[string]any) {
			for _, tc := range d {
				if tc["function"].(map[string]any)["name"] == nil {
					t.Errorf("a delta without the name: %v", tc)
				}
			}
		},
		"vllm": func(t *testing.T, _ []map[string]any, d []map[string]any) {
			if _, ok := d[0]["function"].(map[string]any)["arguments"]; ok {
				t.Errorf("the first delta carries arguments: %v", d[0])
			}
		},
	}
	for name, fn := range check {
		t.Run(name, func(t *testing.T) {
			s := start(t, name)
			status, events := post(t, s, seedMessages, "")
			if status != 200 {
				t.Fatal(status)
			}
			fn(t, events, toolDeltas(events))
		})
	}
}

func TestUsageAsEachServerSendsIt(t *testing.T) {
	usageOf := func(events []map[string]any) (map[string]any, int) {
		var u map[string]any
		nulls := 0
		for _, e := range events {
			v, present := e["usage"]
			switch {
			case present && v == nil:
				nulls++
			case present:
				u = v.(map[string]any)
			}
		}
		return u, nulls
	}
	ask := `,"stream_options":{"include_usage":true}`
	s := start(t, "openai")
	_, events := post(t, s, seedMessages, "")
	if u, _ := usageOf(events); u != nil {
		t.Errorf("openai sent usage unasked: %v", u)
	}
	_, events = post(t, s, seedMessages, ask)
	if u, nulls := usageOf(events); u == nil || nulls != len(events)-1 || len(events[len(events)-1]["choices"].([]any)) != 0 {
		t.Errorf("openai usage %v, %d null usages of %d chunks", u, nulls, len(events))
	}
	_, events = post(t, start(t, "llamacpp"), seedMessages, "")
	if u, _ := usageOf(events); u == nil || events[len(events)-1]["timings"] == nil {
		t.Errorf("llama-server sends usage and timings on the last chunk: %v", events[len(events)-1])
	}
	_, events = post(t, start(t, "o-series"), seedMessages, ask)
	if u, _ := usageOf(events); u["completion_tokens_details"].(map[string]any)["reasoning_tokens"] != 192.0 {
		t.Errorf("o-series usage %v", u)
	}
	_, events = post(t, start(t, "openai", Fault{Kind: FaultNoUsage}), seedMessages, ask)
	if u, _ := usageOf(events); u != nil {
		t.Errorf("no_usage sent %v", u)
	}
}

func TestRequestChecks(t *testing.T) {
	if status, _ := post(t, start(t, "o-series"), seedMessages, `,"max_tokens":100`); status != 400 {
		t.Errorf("o-series accepted max_tokens: %d", status)
	}
	badHistory := `[{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"m","arguments":"{\"a\":1}{\"b\":2}"}}]},{"role":"tool","tool_call_id":"a","content":"r"}]`
	if status, _ := post(t, start(t, "ollama"), badHistory, ""); status != 400 {
		t.Errorf("ollama accepted invalid history arguments: %d", status)
	}
	s := start(t, "ollama")
	ps := func() string {
		resp, err := http.Get(strings.TrimSuffix(s.URL(), "/v1") + "/api/ps")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if before := ps(); strings.Contains(before, "context_length") {
		t.Errorf("/api/ps lists the model before it is loaded: %s", before)
	}
	post(t, s, seedMessages, "")
	if after := ps(); !strings.Contains(after, `"context_length":8192`) {
		t.Errorf("/api/ps after a request: %s", after)
	}
}

// TestAnswerIsBuiltFromToolResults: the answering turn quotes what the tools returned, not
// a fixed text: a figure that appears nowhere in the emulator comes back in the answer.
func TestAnswerIsBuiltFromToolResults(t *testing.T) {
	msgs := `[{"role":"user","content":"Search documents for Q3 performance, then query the financial MCP for EBITDA."},
{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"search_company_documents","arguments":"{\"query\":\"Q3 performance\"}"}},
{"id":"b","type":"function","function":{"name":"query_financial_mcp","arguments":"{\"metric\":\"EBITDA\"}"}}]},
{"role":"tool","tool_call_id":"a","content":"Found 1 document matching 'Q3 performance':\n1. Zeta Review (zeta.md, score 2.00)\n   Zeta grew 7%."},
{"role":"tool","tool_call_id":"b","content":"Zeta Corp EBITDA, Q3 2031: $9.87M"}]`
	_, events := post(t, start(t, "openai"), msgs, "")
	var answer strings.Builder
	for _, e := range events {
		for _, c := range e["choices"].([]any) {
			if s, ok := c.(map[string]any)["delta"].(map[string]any)["content"].(string); ok {
				answer.WriteString(s)
			}
		}
	}
	for _, want := range []string{"$9.87M", "Zeta Review", "Zeta grew 7%"} {
		if !strings.Contains(answer.String(), want) {
			t.Errorf("answer lacks %q:\n%s", want, answer.String())
		}
	}
}
