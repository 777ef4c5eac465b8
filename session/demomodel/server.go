// Package demomodel is the embedded model: an OpenAI-compatible Chat Completions endpoint
// (streaming and not, plus /v1/models) backed by a deterministic, offline planner. It lets
// lumodash run a complete analyst session with no API key: it plans the tool calls a
// question needs from a small rule set (rules.go), and answers from what the tools returned.
// Requests are checked and refused the way the OpenAI API refuses them.
package demomodel

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/lumodash/lumodash/internal/httpserve"
)

// ModelID is the model name the demo endpoint reports; it says on screen that it is offline.
const ModelID = "lumodash-demo (offline)"

// ModelAlias is the same model under a name without spaces, for clients and shells.
const ModelAlias = "lumodash-demo"

// modelsCreated is the demo model's "created" time in /v1/models (2026-01-01 UTC): fixed,
// as a model's is, rather than the time of the request.
const modelsCreated = 1767225600

// maxBody is the largest request body read.
const maxBody = 16 << 20

// Options configure the demo model.
type Options struct {
	// Pace is the pause between streamed chunks (~15 ms looks like typing; 0 in tests).
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
	mux.HandleFunc("/v1/models", only(http.MethodGet, h.models))
	mux.HandleFunc("/v1/models/{id}", only(http.MethodGet, h.model))
	mux.HandleFunc("/v1/chat/completions", only(http.MethodPost, h.chat))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{status: http.StatusNotFound, kind: "invalid_request_error",
			message: fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path)})
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", fmt.Sprintf("req_demo%012x", h.seq.Add(1)))
		mux.ServeHTTP(w, r)
	})
}

// only answers a method the route does not serve as the OpenAI API does.
func only(method string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != method {
			writeError(w, &apiError{status: http.StatusMethodNotAllowed, kind: "invalid_request_error",
				message: fmt.Sprintf("Invalid method for URL (%s %s)", r.Method, r.URL.Path)})
			return
		}
		next(w, r)
	}
}

func head(id, object string, now time.Time) responseHead {
	return responseHead{ID: id, Object: object, Created: now.Unix(), Model: ModelID, ServiceTier: "default", SystemFingerprint: fingerprint}
}

func modelObject(id string) map[string]any {
	return map[string]any{"id": id, "object": "model", "created": modelsCreated, "owned_by": "lumodash"}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (h *handler) models(w http.ResponseWriter, _ *http.Request) {
	var data []map[string]any
	for _, id := range modelIDs() {
		data = append(data, modelObject(id))
	}
	writeJSON(w, map[string]any{"object": "list", "data": data})
}

func (h *handler) model(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !knownModel(id) {
		writeError(w, &apiError{status: http.StatusNotFound, kind: "invalid_request_error", param: str("model"), code: str("model_not_found"),
			message: fmt.Sprintf("The model '%s' does not exist", clip(id))})
		return
	}
	writeJSON(w, modelObject(id))
}

func (h *handler) chat(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, errBadJSON)
		return
	}
	req, bad := readRequest(body)
	if bad != nil {
		writeError(w, bad)
		return
	}
	rep := plan(req.Messages, req.Tools, planOptions{toolChoice: req.ToolChoice, parallel: req.Parallel})
	id := fmt.Sprintf("chatcmpl-demo%d", h.seq.Add(1))
	choices := make([]rendered, req.N)
	for k := range choices {
		choices[k] = render(rep, id, k, req.MaxTokens)
	}
	u := estimateUsage(req, choices)
	if req.Stream {
		h.stream(w, r, req, id, choices, u)
		return
	}
	out := completion{responseHead: head(id, "chat.completion", h.opts.Now()), Usage: u}
	for k, c := range choices {
		msg := completionMessage{Role: "assistant", ToolCalls: c.calls}
		if len(c.calls) == 0 {
			msg.Content = &choices[k].content
		}
		out.Choices = append(out.Choices, completionChoice{Index: k, Message: msg, FinishReason: c.finish})
	}
	writeJSON(w, out)
}
