// Package provideremu emulates the OpenAI-compatible Chat Completions servers lumodash is
// used with (OpenAI, an o-series reasoning model, Ollama, vLLM, llama.cpp, LM Studio, LiteLLM,
// NVIDIA NIM) on 127.0.0.1, each with its documented streaming quirks, context-window
// reports and failures, so the analyst loop can be tested against all of them over real
// HTTP. Each quirk cites its source where it is reproduced (profile.go, fault.go).
//
// The emulated model is a small planner (analyst.go): the seed prompt gets two tool calls in
// one turn, and the answer is built from the tool results the client sends back.
//
// Point lumodash at one with OPENAI_BASE_URL=<Server.URL()> and OPENAI_MODEL=<Server.Model()>.
package provideremu

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	Profile Profile
	Faults  []Fault
	Window  int    // overrides the profile's context window (0 = the profile's)
	Addr    string // listen address (default 127.0.0.1:0)
}

// Request is what the server saw of one chat completion request and how it answered.
type Request struct {
	Turn          string // "plan" or "answer"
	PromptTokens  int    // as the server counted them (before any truncation)
	Messages      int
	StreamOptions bool      // the request had stream_options
	Status        int       // HTTP status answered
	Fault         FaultKind // the fault that hit it, if any
	Truncated     bool      // the server dropped part of the prompt to fit its window (Ollama)
	Calls         []string  // the tools it asked for
	Body          []byte
}

// Server is one emulated provider.
type Server struct {
	opts   Options
	ln     net.Listener
	srv    *http.Server
	mu     sync.Mutex
	reqs   []Request
	hits   []int // per fault, how many matching requests it saw
	loaded bool  // a chat request arrived (Ollama lists the model in /api/ps only then)
}

// Start serves opts.Profile on a loopback port until Close.
func Start(opts Options) (*Server, error) {
	if opts.Profile.Name == "" {
		return nil, errors.New("provideremu: Options.Profile is required (see Profiles)")
	}
	if opts.Window <= 0 {
		opts.Window = opts.Profile.Window
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, ln: ln, hits: make([]int, len(opts.Faults))}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("GET /v1/models", s.models)
	s.discovery(mux)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the OpenAI-compatible base URL, ending in /v1.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/v1" }

// Model is the model id the server serves.
func (s *Server) Model() string { return s.opts.Profile.Model }

// Window is the context window the server enforces.
func (s *Server) Window() int { return s.opts.Window }

// Requests returns every chat completion request so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

func (s *Server) record(r Request) {
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	s.mu.Unlock()
}

// fault picks the first choreographed fault that still hits a request of turn t, and
// counts the hit.
func (s *Server) fault(t turnKind) FaultKind {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.opts.Faults {
		if f.Kind == FaultNoUsage || f.Kind == FaultStreamOptions || !f.Kind.appliesTo(t) {
			continue
		}
		if s.hits[i]++; s.hits[i] > f.After && (f.Times == 0 || s.hits[i] <= f.After+f.Times) {
			return f.Kind
		}
	}
	return ""
}

// take reports whether the standing fault k still applies, counting the hit.
func (s *Server) take(k FaultKind) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.opts.Faults {
		if f.Kind != k {
			continue
		}
		if s.hits[i]++; s.hits[i] > f.After && (f.Times == 0 || s.hits[i] <= f.After+f.Times) {
			return true
		}
	}
	return false
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return
	}
	req, err := parseRequest(body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, openAIError("We could not parse the JSON body of your request: "+err.Error(), "invalid_request_error", ""))
		return
	}
	rec := Request{Turn: "plan", Messages: len(req.Messages), StreamOptions: len(req.StreamOptions) > 0, Body: body}
	if req.turn() == turnAnswer {
		rec.Turn = "answer"
	}
	rec.PromptTokens = promptTokens(req)
	write := s.respond(&req, &rec)
	s.record(rec)
	write(w)
}
