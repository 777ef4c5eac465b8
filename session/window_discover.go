package session

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// discoverTimeout bounds asking a server for its context window; a server that does not
// answer in time is simply not asked again.
const discoverTimeout = 3 * time.Second

// windowReport is one server endpoint that can report the window a model runs with.
type windowReport struct {
	source string
	method string
	path   string // relative to the server root (base URL without /v1), or to the base URL when base is set
	base   bool
	body   func(model string) any
	read   func(body []byte, model string) int64
}

var numCtxParam = regexp.MustCompile(`(?m)^num_ctx\s+(\d+)`)

// windowReports are tried together; the first in this order that answers wins.
var windowReports = []windowReport{
	// vLLM: GET /v1/models lists each model's max_model_len (vllm/entrypoints/openai/protocol.py ModelCard).
	{source: "vLLM /v1/models max_model_len", method: http.MethodGet, path: "models", base: true, read: func(b []byte, model string) int64 {
		var v struct {
			Data []struct {
				ID          string `json:"id"`
				MaxModelLen int64  `json:"max_model_len"`
			} `json:"data"`
		}
		_ = json.Unmarshal(b, &v)
		for _, d := range v.Data {
			if d.ID == model {
				return d.MaxModelLen
			}
		}
		return 0
	}},
	// LM Studio: GET /api/v0/models/{model}: the loaded context length, else the model's maximum.
	{source: "LM Studio /api/v0/models", method: http.MethodGet, path: "api/v0/models/", read: func(b []byte, _ string) int64 {
		var v struct {
			LoadedContextLength int64 `json:"loaded_context_length"`
			MaxContextLength    int64 `json:"max_context_length"`
		}
		_ = json.Unmarshal(b, &v)
		if v.LoadedContextLength > 0 {
			return v.LoadedContextLength
		}
		return v.MaxContextLength
	}},
	// llama.cpp llama-server: GET /props, default_generation_settings.n_ctx (the running window).
	{source: "llama.cpp /props n_ctx", method: http.MethodGet, path: "props", read: func(b []byte, _ string) int64 {
		var v struct {
			DefaultGenerationSettings struct {
				NCtx int64 `json:"n_ctx"`
			} `json:"default_generation_settings"`
			NCtx int64 `json:"n_ctx"`
		}
		_ = json.Unmarshal(b, &v)
		return max(v.DefaultGenerationSettings.NCtx, v.NCtx)
	}},
	// Ollama: GET /api/ps gives a loaded model's running context_length.
	{source: "Ollama /api/ps context_length", method: http.MethodGet, path: "api/ps", read: func(b []byte, model string) int64 {
		var v struct {
			Models []struct {
				Name, Model   string
				ContextLength int64 `json:"context_length"`
			} `json:"models"`
		}
		_ = json.Unmarshal(b, &v)
		for _, m := range v.Models {
			if m.Name == model || m.Model == model {
				return m.ContextLength
			}
		}
		return 0
	}},
	// Ollama: POST /api/show: the Modelfile's num_ctx, else model_info["<arch>.context_length"]
	// (what the model was trained for, when it is not loaded; the server may run it smaller).
	{source: "Ollama /api/show", method: http.MethodPost, path: "api/show",
		body: func(model string) any { return map[string]string{"model": model} },
		read: func(b []byte, _ string) int64 {
			var v struct {
				Parameters string         `json:"parameters"`
				ModelInfo  map[string]any `json:"model_info"`
			}
			_ = json.Unmarshal(b, &v)
			if m := numCtxParam.FindStringSubmatch(v.Parameters); m != nil {
				n, _ := strconv.ParseInt(m[1], 10, 64)
				return n
			}
			for k, val := range v.ModelInfo {
				if f, ok := val.(float64); ok && strings.HasSuffix(k, ".context_length") {
					return int64(f)
				}
			}
			return 0
		}},
}

// discoverWindow asks the server at baseURL, on every endpoint of windowReports at once,
// for the window model runs with.
func discoverWindow(ctx context.Context, hc *http.Client, baseURL, key, model string) contextWindow {
	ctx, cancel := context.WithTimeout(ctx, discoverTimeout)
	defer cancel()
	base := strings.TrimRight(baseURL, "/") + "/"
	root := strings.TrimSuffix(base, "v1/")
	found := make([]int64, len(windowReports))
	var wg sync.WaitGroup
	for i, rep := range windowReports {
		wg.Go(func() {
			target := root + rep.path
			if rep.base {
				target = base + rep.path
			}
			if strings.HasSuffix(rep.path, "/") {
				target += url.PathEscape(model)
			}
			var body io.Reader
			if rep.body != nil {
				b, _ := json.Marshal(rep.body(model))
				body = bytes.NewReader(b)
			}
			req, err := http.NewRequestWithContext(ctx, rep.method, target, body)
			if err != nil {
				return
			}
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			resp, err := hc.Do(req)
			if err != nil {
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			if err == nil && resp.StatusCode == http.StatusOK {
				found[i] = rep.read(b, model)
			}
		})
	}
	wg.Wait()
	for i, n := range found {
		if n > 0 {
			return contextWindow{tokens: n, source: windowReports[i].source}
		}
	}
	return contextWindow{}
}
