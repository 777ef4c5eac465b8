package provideremu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// trainedWindow is the context length the model was trained for, which a local server's
// metadata reports beside (and above) the window it actually runs with.
const trainedWindow = 32768

func (s *Server) models(w http.ResponseWriter, _ *http.Request) {
	p := s.opts.Profile
	m := map[string]any{"id": p.Model, "object": "model", "created": time.Now().Unix() - 86400, "owned_by": "organization-owner"}
	switch p.Discovery {
	case DiscoverVLLM: // vllm/entrypoints/openai/protocol.py ModelCard
		m["owned_by"], m["root"], m["parent"], m["max_model_len"] = "vllm", p.Model, nil, s.opts.Window
	case DiscoverLlamaCpp: // llama-server: the training length in meta, the running one in /props
		m["owned_by"], m["meta"] = "llamacpp", map[string]any{"n_ctx_train": trainedWindow, "n_params": 7615616512}
	case DiscoverOllama:
		m["owned_by"] = "library"
	}
	writeValue(w, map[string]any{"object": "list", "data": []any{m}})
}

// discovery adds the endpoints where the profile's server reports its context window.
func (s *Server) discovery(mux *http.ServeMux) {
	p := s.opts.Profile
	switch p.Discovery {
	case DiscoverOllama:
		// docs.ollama.com/api: POST /api/show has model_info["<arch>.context_length"] (what the
		// model was trained for) and the Modelfile parameters (num_ctx, the window it runs
		// with); GET /api/ps lists loaded models with their context_length.
		mux.HandleFunc("POST /api/show", func(w http.ResponseWriter, r *http.Request) {
			var q struct{ Model, Name string }
			_ = json.NewDecoder(r.Body).Decode(&q)
			if q.Model != p.Model && q.Name != p.Model {
				writeJSON(w, http.StatusNotFound, fmt.Sprintf(`{"error":"model '%s' not found"}`, q.Model))
				return
			}
			writeValue(w, map[string]any{
				"parameters": fmt.Sprintf("num_ctx                        %d\nstop                           \"<|im_end|>\"", s.opts.Window),
				"details":    map[string]any{"format": "gguf", "family": p.Arch, "parameter_size": "7.6B", "quantization_level": "Q4_K_M"},
				"model_info": map[string]any{"general.architecture": p.Arch, p.Arch + ".context_length": trainedWindow},
			})
		})
		mux.HandleFunc("GET /api/ps", func(w http.ResponseWriter, _ *http.Request) {
			s.mu.Lock()
			loaded := s.loaded
			s.mu.Unlock()
			models := []any{}
			if loaded {
				models = append(models, map[string]any{"name": p.Model, "model": p.Model, "size": 6654289920,
					"expires_at": time.Now().Add(5 * time.Minute).Format(time.RFC3339), "size_vram": 6654289920, "context_length": s.opts.Window})
			}
			writeValue(w, map[string]any{"models": models})
		})
	case DiscoverLMStudio:
		// lmstudio.ai/docs/app/api/endpoints/rest: GET /api/v0/models[/{model}].
		card := func() map[string]any {
			return map[string]any{"id": p.Model, "object": "model", "type": "llm", "publisher": "lmstudio-community", "arch": "qwen2",
				"compatibility_type": "gguf", "quantization": "Q4_K_M", "state": "loaded",
				"max_context_length": trainedWindow, "loaded_context_length": s.opts.Window}
		}
		mux.HandleFunc("GET /api/v0/models", func(w http.ResponseWriter, _ *http.Request) {
			writeValue(w, map[string]any{"object": "list", "data": []any{card()}})
		})
		mux.HandleFunc("GET /api/v0/models/{id...}", func(w http.ResponseWriter, r *http.Request) {
			if r.PathValue("id") != p.Model {
				writeJSON(w, http.StatusNotFound, fmt.Sprintf(`{"error":"Model %q not found"}`, r.PathValue("id")))
				return
			}
			writeValue(w, card())
		})
	case DiscoverLlamaCpp:
		// llama.cpp tools/server/README.md: GET /props, default_generation_settings.n_ctx.
		mux.HandleFunc("GET /props", func(w http.ResponseWriter, _ *http.Request) {
			writeValue(w, map[string]any{"default_generation_settings": map[string]any{"n_ctx": s.opts.Window, "params": map[string]any{"n_predict": -1}},
				"total_slots": 1, "model_path": "models/" + p.Model})
		})
	}
}

func writeValue(w http.ResponseWriter, v any) {
	b, _ := json.Marshal(v)
	writeJSON(w, http.StatusOK, string(b))
}
