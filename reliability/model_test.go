package reliability_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/faultserver"
	"github.com/lumodash/lumodash/session"
)

// sseReply streams a scripted Chat Completions answer: content fragments or one tool call.
func sseReply(content []string, tool, args string) faultserver.Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		faultserver.PeekBody(r)
		w.Header().Set("Content-Type", "text/event-stream")
		chunk := func(delta string, finish string) {
			fin := "null"
			if finish != "" {
				fin = `"` + finish + `"`
			}
			fmt.Fprintf(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}\n\n", delta, fin)
			w.(http.Flusher).Flush()
		}
		chunk(`{"role":"assistant"}`, "")
		for _, c := range content {
			b, _ := json.Marshal(c)
			chunk(`{"content":`+string(b)+`}`, "")
		}
		finish := "stop"
		if tool != "" {
			a, _ := json.Marshal(args)
			chunk(fmt.Sprintf(`{"tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":%q,"arguments":%s}}]}`, tool, a), "")
			finish = "tool_calls"
		}
		chunk(`{}`, finish)
		fmt.Fprint(w, "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":120,\"total_tokens\":1020}}\n\ndata: [DONE]\n\n")
	}
}

// cutAfter forwards a stream and drops the connection once it has carried n content deltas.
func cutAfter(n int) faultserver.Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		next.ServeHTTP(&cuttingWriter{ResponseWriter: w, left: n}, r)
	}
}

type cuttingWriter struct {
	http.ResponseWriter
	left int
}

var errCut = errors.New("cut by the fault proxy")

func (c *cuttingWriter) Write(p []byte) (int, error) {
	written := 0
	for _, ev := range bytes.SplitAfter(p, []byte("\n\n")) { // whole SSE events only
		c.left -= bytes.Count(ev, []byte(`"content":"`)) - bytes.Count(ev, []byte(`"content":""`))
		if c.left < 0 {
			c.ResponseWriter.(http.Flusher).Flush()
			return written, errCut // ReverseProxy then aborts the connection mid-stream
		}
		n, err := c.ResponseWriter.Write(ev)
		written += n
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

func (c *cuttingWriter) Flush() { c.ResponseWriter.(http.Flusher).Flush() }

// isAnswerTurn matches model requests that already carry tool results (the answering turn).
func isAnswerTurn(r *http.Request) bool {
	return bytes.Contains(faultserver.PeekBody(r), []byte(`"role":"tool"`))
}

func TestReliabilityModelFaults(t *testing.T) { // not parallel: the enormous answer runs alone
	model := func(f faultserver.Fault) func(*testing.T, *faultWorld) {
		return func(t *testing.T, fw *faultWorld) { fw.model.Set(f) }
	}
	apiErr := func(code int, body string, header map[string]string) faultserver.Fault {
		return faultserver.Status(code, header, body)
	}
	huge := strings.Repeat("All figures are in the Q3 review. ", 60_000) // ~2 MB answer
	runFaultCases(t, "research-analyst", []faultCase{
		{name: "401", code: cli.ExitModel, ui: "OPENAI_API_KEY", want: []string{"HTTP 401", "OPENAI_API_KEY"},
			inject: model(apiErr(401, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`, nil))},
		{name: "unknown model", code: cli.ExitModel, ui: "was not found", want: []string{"HTTP 404", "--model / OPENAI_MODEL"},
			inject: model(apiErr(404, `{"error":{"message":"The model does not exist","code":"model_not_found"}}`, nil))},
		{name: "429 with Retry-After", code: cli.ExitOK, want: []string{"rate limited", "HTTP 429"},
			inject: model(faultserver.When(faultserver.Once(faultserver.Any),
				apiErr(429, `{"error":{"message":"Rate limit reached","type":"requests"}}`, map[string]string{"Retry-After": "1"}))),
			check: func(t *testing.T, fw *faultWorld, h headless) {
				r := ofKind(h.events, session.KindModelRetry)
				if len(r) != 1 || r[0].Delay != time.Second || h.took < time.Second {
					t.Errorf("retry %+v after %s; want one retry honouring Retry-After: 1", r, h.took)
				}
			}},
		{name: "500", code: cli.ExitModel, ui: "HTTP 500", want: []string{"HTTP 500", "gave up after 2 attempts"},
			inject: model(apiErr(500, `{"error":{"message":"The server had an error"}}`, nil))},
		{name: "stream cut once mid-answer", code: cli.ExitOK, want: []string{"was cut"},
			inject: model(faultserver.When(faultserver.Once(isAnswerTurn), cutAfter(3))),
			check: func(t *testing.T, fw *faultWorld, h headless) {
				r := ofKind(h.events, session.KindModelRetry)
				if len(r) != 1 || !strings.Contains(r[0].Text, "partial answer of this turn is discarded") {
					t.Errorf("retry events %+v", r)
				}
				if fin := lastOf(h.events, session.KindRequestFinish); !strings.Contains(fin.Text, "EBITDA") {
					t.Errorf("the retried answer is incomplete: %q", fin.Text)
				}
			}},
		{name: "stream cut every time", code: cli.ExitModel, ui: "was cut", want: []string{"was cut before the model finished", "gave up after 2 attempts"},
			inject: model(faultserver.When(isAnswerTurn, cutAfter(3)))},
		{name: "malformed SSE", code: cli.ExitModel, ui: "not valid JSON", want: []string{"sent a stream that is not valid JSON"},
			inject: model(func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
				w.Header().Set("Content-Type", "text/event-stream")
				fmt.Fprint(w, "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\n\ndata: {not json at all\n\n")
			})},
		{name: "invalid tool-call JSON", code: cli.ExitOK, want: []string{"not valid JSON"},
			inject: model(faultserver.When(faultserver.Once(faultserver.Any), sseReply(nil, "query_financial_mcp", `{"metric": EBITDA`)))},
		{name: "unknown tool", code: cli.ExitOK, want: []string{`there is no tool named "delete_everything"`},
			inject: model(faultserver.When(faultserver.Once(faultserver.Any), sseReply(nil, "delete_everything", `{}`)))},
		{name: "endless tool loop", code: cli.ExitModel, ui: "--max-turns", want: []string{"still calling tools after 8 model turns", "--max-turns"},
			inject: model(sseReply(nil, "search_company_documents", `{"query":"Q3 performance"}`)),
			check: func(t *testing.T, fw *faultWorld, h headless) {
				if n := len(ofKind(h.events, session.KindModelResponse)); n != session.DefaultMaxTurns {
					t.Errorf("%d model turns, want the limit %d", n, session.DefaultMaxTurns)
				}
			}},
		{name: "enormous answer", code: cli.ExitOK, alone: true,
			inject: model(faultserver.When(isAnswerTurn, sseReply(strings.SplitAfter(huge, ". "), "", ""))),
			check: func(t *testing.T, fw *faultWorld, h headless) {
				if fin := lastOf(h.events, session.KindRequestFinish); fin.Text != huge {
					t.Errorf("answer of %d bytes kept as %d bytes", len(huge), len(fin.Text))
				}
			}},
	})
}
