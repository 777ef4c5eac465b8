package demomodel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/testpeers"
	"github.com/lumodash/lumodash/session/demomodel"
	"github.com/lumodash/lumodash/tools"
)

// toolServer runs the world's real tools for a Node peer: POST {name, arguments} runs the
// tool through the gate (capability check, token exchange, MCP call) and answers its text.
func (w *world) toolServer(t testing.TB) string {
	gate := tools.NewGate(w.agent, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var req struct{ Name, Arguments string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		tool, ok := w.tools.Lookup(req.Name)
		if !ok {
			http.Error(rw, "no tool "+req.Name, http.StatusNotFound)
			return
		}
		_, _ = rw.Write([]byte(gate.Call(r.Context(), tool, "node", json.RawMessage(req.Arguments)).Text))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// runNode runs a script of testdata with the npm peers and env, and decodes its JSON output.
func runNode(t *testing.T, pkg, script string, env map[string]string, out any) {
	t.Helper()
	node, modules := testpeers.Node(t, pkg)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "testdata/"+script)
	cmd.Env = append(os.Environ(), "NODE_PATH="+modules)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("node %s printed %q: %v", script, stdout.String(), err)
	}
}

type sdkConversation struct {
	Calls  [][]string
	Answer string
	Usage  struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
	}
	Deltas []struct {
		Fragments int
		IDOnFirst bool
		IDLater   bool
	}
}

type sdkError struct {
	Name, Class, Message string
	Status               int
	Code, Param, Type    *string
}

// TestOpenAINodeSDK: the official openai npm SDK runs two streamed tool-calling
// conversations (its own tool runner) and meets OpenAI's errors, classes and all.
func TestOpenAINodeSDK(t *testing.T) {
	w := newWorld(t, "research-analyst")
	var out struct {
		Comparison, Document sdkConversation
		Errors               []sdkError
		Models               struct {
			List      []string
			Retrieved string
		}
	}
	runNode(t, "openai", "openai_sdk.cjs", map[string]string{"BASE_URL": w.modelURL, "TOOL_URL": w.toolServer(t), "MODEL": demomodel.ModelID}, &out)

	cmp := out.Comparison
	want := [][]string{{fin("revenue", "2026-Q2"), fin("revenue", "2026-Q3"), fin("ebitda", "2026-Q2"), fin("ebitda", "2026-Q3")}}
	if fmt.Sprint(cmp.Calls) != fmt.Sprint(want) {
		t.Errorf("comparison calls %q, want %q", cmp.Calls, want)
	}
	checkFigures(t, "comparison (openai npm)", cmp.Answer, [][2]string{{"revenue", "2026-Q2"}, {"revenue", "2026-Q3"}, {"ebitda", "2026-Q2"}, {"ebitda", "2026-Q3"}})
	if !strings.Contains(cmp.Answer, "| Revenue | $22.21M | $22.88M |") {
		t.Errorf("comparison answer:\n%s", cmp.Answer)
	}
	if cmp.Usage.PromptTokens < 100 || cmp.Usage.TotalTokens != cmp.Usage.PromptTokens+cmp.Usage.CompletionTokens {
		t.Errorf("usage %+v", cmp.Usage)
	}
	if len(cmp.Deltas) != 4 {
		t.Errorf("tool-call deltas %+v", cmp.Deltas)
	}
	for _, d := range cmp.Deltas {
		if !d.IDOnFirst || d.IDLater || d.Fragments < 2 {
			t.Errorf("a tool call streamed as %+v: want its id and name on the first delta only, arguments in fragments", d)
		}
	}
	doc := out.Document
	if fmt.Sprint(doc.Calls) != fmt.Sprint([][]string{{search("Q4 priorities")}, {search("priorities decisions requested")}}) ||
		!strings.Contains(doc.Answer, "Approve the FY2027 hiring envelope") {
		t.Errorf("document conversation: %q\n%s", doc.Calls, doc.Answer)
	}

	wantErrors := map[string]sdkError{
		"missing model":             {Class: "BadRequestError", Status: 400, Message: "you must provide a model parameter"},
		"unknown model":             {Class: "NotFoundError", Status: 404, Code: ptr("model_not_found"), Message: "The model `gpt-nope` does not exist or you do not have access to it."},
		"unknown role":              {Class: "BadRequestError", Status: 400, Code: ptr("invalid_value"), Param: ptr("messages[0].role"), Message: "Invalid value: 'bogus'."},
		"missing messages":          {Class: "BadRequestError", Status: 400, Code: ptr("missing_required_parameter"), Param: ptr("messages")},
		"empty messages":            {Class: "BadRequestError", Status: 400, Code: ptr("empty_array"), Param: ptr("messages")},
		"tool without function":     {Class: "BadRequestError", Status: 400, Code: ptr("missing_required_parameter"), Param: ptr("tools[0].function")},
		"tools not an array":        {Class: "BadRequestError", Status: 400, Code: ptr("invalid_type"), Param: ptr("tools")},
		"n of 0":                    {Class: "BadRequestError", Status: 400, Code: ptr("integer_below_min_value"), Param: ptr("n")},
		"unknown parameter":         {Class: "BadRequestError", Status: 400, Code: ptr("unknown_parameter"), Param: ptr("zzz_unknown")},
		"invalid JSON":              {Class: "BadRequestError", Status: 400, Message: "We could not parse the JSON body of your request."},
		"unknown model, streamed":   {Class: "NotFoundError", Status: 404, Code: ptr("model_not_found")},
		"retrieve an unknown model": {Class: "NotFoundError", Status: 404, Code: ptr("model_not_found"), Param: ptr("model")},
	}
	if len(out.Errors) != len(wantErrors) {
		t.Errorf("%d error cases ran, want %d", len(out.Errors), len(wantErrors))
	}
	for _, got := range out.Errors {
		want := wantErrors[got.Name]
		if got.Class != want.Class || got.Status != want.Status || str(got.Code) != str(want.Code) || str(got.Param) != str(want.Param) ||
			str(got.Type) != "invalid_request_error" || !strings.HasPrefix(got.Message, want.Message) {
			t.Errorf("%s: the SDK raised %s %d code=%s param=%s type=%s %q; want %s %d code=%s param=%s %q", got.Name, got.Class, got.Status,
				str(got.Code), str(got.Param), str(got.Type), got.Message, want.Class, want.Status, str(want.Code), str(want.Param), want.Message)
		}
	}
	if fmt.Sprint(out.Models.List) != fmt.Sprint([]string{demomodel.ModelID, demomodel.ModelAlias}) || out.Models.Retrieved != demomodel.ModelID {
		t.Errorf("models %+v", out.Models)
	}
}

// TestOpenAIAgentsSDK: one @openai/agents run with two function tools over Chat Completions.
func TestOpenAIAgentsSDK(t *testing.T) {
	testpeers.Node(t, "openai")
	w := newWorld(t, "research-analyst")
	var out struct {
		Calls  []string
		Answer string
	}
	runNode(t, "@openai/agents", "openai_agents.cjs", map[string]string{"BASE_URL": w.modelURL, "TOOL_URL": w.toolServer(t),
		"MODEL": demomodel.ModelAlias, "QUESTION": "What was revenue in Q2 2025, and how does it compare with Q2 2026?"}, &out)
	if fmt.Sprint(out.Calls) != fmt.Sprint([]string{fin("revenue", "2025-Q2"), fin("revenue", "2026-Q2")}) {
		t.Errorf("agent tool calls %q", out.Calls)
	}
	checkFigures(t, "agent run", out.Answer, [][2]string{{"revenue", "2025-Q2"}, {"revenue", "2026-Q2"}})
	if !strings.Contains(out.Answer, "Revenue rose from $19.84M in Q2 2025 to $22.21M in Q2 2026") {
		t.Errorf("agent answer:\n%s", out.Answer)
	}
}

func ptr(s string) *string { return &s }

func str(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}
