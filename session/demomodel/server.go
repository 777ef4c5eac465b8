// Package demomodel is the embedded model: an OpenAI-compatible Chat Completions endpoint
// (streaming and not, plus /v1/models) backed by a deterministic, offline planner. It lets
// lumodash run a complete analyst session with no API key: it calls the tools the request asks
// for and answers from what the tools actually returned.
package demomodel

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/lumodash/lumodash/internal/httpserve"
)

// ModelID is the model name the demo endpoint reports; it says on screen that it is offline.
const ModelID = "lumodash-demo (offline)"

// Options configure the demo model.
type Options struct {
	// Pace is the pause between streamed word chunks (~15 ms looks like typing; 0 in tests).
	Pace time.Duration
	// Now is the clock for the "created" field (default time.Now).
	Now func() time.Time
}

// Server is a running demo model endpoint on a loopback port.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Start serves the demo model on addr ("127.0.0.1:0" picks a free port).
func Start(opts Options, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo model: listening on %s: %w", addr, err)
	}
	s := &Server{ln: ln, srv: httpserve.Server(NewHandler(opts), httpserve.Timeouts{})}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the OpenAI base URL of the endpoint, e.g. http://127.0.0.1:41234/v1.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/v1" }

// Close stops the server, ending open streams.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		return s.srv.Close()
	}
	return nil
}

type handler struct {
	opts Options
	seq  atomic.Int64
}

// NewHandler returns the endpoint's HTTP handler (routes under /v1/).
func NewHandler(opts Options) http.Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &handler{opts: opts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/models", h.models)
	mux.HandleFunc("POST /v1/chat/completions", h.chat)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", fmt.Sprintf("the demo model serves POST /v1/chat/completions and GET /v1/models, not %s %s", r.Method, r.URL.Path))
	})
	return mux
}

func (h *handler) models(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"object": "list",
		"data": []map[string]any{{
			"id": ModelID, "object": "model", "created": h.opts.Now().Unix(), "owned_by": "lumodash",
		}},
	})
}

func (h *handler) chat(w http.ResponseWriter, r *http.Request) {
	var req chatRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<20))
	if err := dec.Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_json", "request body is not valid JSON: "+err.Error())
		return
	}
	if len(req.Messages) == 0 {
		writeError(w, http.StatusBadRequest, "missing_messages", "messages must contain at least one message")
		return
	}
	rep := plan(req.Messages, req.Tools)
	id := fmt.Sprintf("chatcmpl-demo-%d", h.seq.Add(1))
	u := estimateUsage(req, rep)
	if req.Stream {
		h.stream(w, r, req, rep, id, u)
		return
	}
	out := completion{ID: id, Object: "chat.completion", Created: h.opts.Now().Unix(), Model: ModelID, Usage: u}
	msg := completionMessage{Role: "assistant", ToolCalls: rep.toolCalls(id)}
	finish := "tool_calls"
	if len(rep.Calls) == 0 {
		msg.Content = &rep.Content
		finish = "stop"
	}
	out.Choices = []completionChoice{{Message: msg, FinishReason: finish}}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// stream writes the reply as server-sent events: role, word chunks or tool-call fragments,
// the finish reason, then (when asked) a usage chunk with no choices, then [DONE].
func (h *handler) stream(w http.ResponseWriter, r *http.Request, req chatRequest, rep reply, id string, u usage) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "no_streaming", "this connection cannot stream")
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	created := h.opts.Now().Unix()
	send := func(choices []chunkChoice, us *usage) bool {
		if choices == nil {
			choices = []chunkChoice{}
		}
		b, _ := json.Marshal(chunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: ModelID, Choices: choices, Usage: us})
		if _, err := fmt.Fprintf(w, "data: %s\n\n", b); err != nil {
			return false
		}
		flusher.Flush()
		return true
	}
	if !send([]chunkChoice{{Delta: delta{Role: "assistant"}}}, nil) {
		return
	}
	for _, piece := range rep.pieces(id) {
		if h.opts.Pace > 0 {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(h.opts.Pace):
			}
		}
		if r.Context().Err() != nil || !send([]chunkChoice{{Delta: piece}}, nil) {
			return
		}
	}
	finish := "stop"
	if len(rep.Calls) > 0 {
		finish = "tool_calls"
	}
	if !send([]chunkChoice{{Delta: delta{}, FinishReason: &finish}}, nil) {
		return
	}
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		if !send(nil, &u) {
			return
		}
	}
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	flusher.Flush()
}

// pieces splits the reply into stream deltas: the content in word chunks, each tool call's
// arguments in two fragments (as real servers do) so clients must reassemble them.
func (rep reply) pieces(id string) []delta {
	var out []delta
	if len(rep.Calls) == 0 {
		for _, w := range wordChunks(rep.Content) {
			out = append(out, delta{Content: w})
		}
		return out
	}
	for i, tc := range rep.toolCalls(id) {
		idx := i
		args := tc.Function.Arguments
		half := len(args) / 2
		first := toolCall{Index: &idx, ID: tc.ID, Type: "function", Function: functionCall{Name: tc.Function.Name, Arguments: args[:half]}}
		second := toolCall{Index: &idx, Function: functionCall{Arguments: args[half:]}}
		out = append(out, delta{ToolCalls: []toolCall{first}}, delta{ToolCalls: []toolCall{second}})
	}
	return out
}

// wordChunks splits s after each run of spaces, keeping every byte.
func wordChunks(s string) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexAny(s, " \n")
		if i < 0 {
			out = append(out, s)
			break
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
			j++
		}
		out = append(out, s[:j])
		s = s[j:]
	}
	return out
}

// estimateUsage counts tokens as characters/4: an honest estimate, labelled as such by the
// runner (Usage.Estimated), since the demo model has no tokenizer.
func estimateUsage(req chatRequest, rep reply) usage {
	var in int
	for _, m := range req.Messages {
		in += len(m.text()) + 4
		for _, tc := range m.ToolCalls {
			in += len(tc.Function.Name) + len(tc.Function.Arguments)
		}
	}
	if len(req.Tools) > 0 {
		b, _ := json.Marshal(req.Tools)
		in += len(b)
	}
	out := len(rep.Content)
	for _, c := range rep.Calls {
		out += len(c.Name) + len(c.argsJSON())
	}
	var u usage
	u.PromptTokens = int64(in/4 + 1)
	u.CompletionTokens = int64(out/4 + 1)
	u.TotalTokens = u.PromptTokens + u.CompletionTokens
	return u
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{Error: apiErrorBody{Message: msg, Type: "invalid_request_error", Code: code}})
}
