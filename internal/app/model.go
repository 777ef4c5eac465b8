package app

import (
	"fmt"

	"github.com/lumodash/lumodash/internal/redact"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
)

// Model environment variables (also read from the dotenv file).
const (
	EnvOpenAIKey     = "OPENAI_API_KEY"
	EnvOpenAIBaseURL = "OPENAI_BASE_URL"
	EnvOpenAIModel   = "OPENAI_MODEL"
)

// startModel picks the model: OPENAI_API_KEY → OpenAI; OPENAI_BASE_URL → any
// OpenAI-compatible server (Ollama, vLLM, LM Studio…); neither → the embedded demo model,
// started here (the returned function stops it). SessionSettings.Model beats OPENAI_MODEL.
func startModel(s Settings, env func(string) string) (session.ModelConfig, session.Part, func(), error) {
	none := func() {}
	ss := s.Session
	key, base := env(EnvOpenAIKey), env(EnvOpenAIBaseURL)
	name := ss.Model
	if name == "" {
		name = env(EnvOpenAIModel)
	}
	redact.Secret(key)
	mc := session.ModelConfig{APIKey: key, BaseURL: base, Name: name, Timeout: ss.ModelTimeout, MaxRetries: ss.ModelRetries}
	if ss.ModelRetries == 0 {
		mc.MaxRetries = -1 // --model-retries 0 means none (the session's zero value means its default)
	}
	if key == "" && base == "" {
		if name != "" {
			return mc, session.Part{}, none, configError(fmt.Errorf(
				"model %q needs %s (OpenAI) or %s (an OpenAI-compatible server); without either lumodash uses its embedded demo model, so drop --model/%s",
				name, EnvOpenAIKey, EnvOpenAIBaseURL, EnvOpenAIModel))
		}
		srv, err := demomodel.Start(demomodel.Options{Pace: ss.DemoPace}, "127.0.0.1:0")
		if err != nil {
			return mc, session.Part{}, none, fmt.Errorf("starting the embedded demo model: %w", err)
		}
		mc.BaseURL, mc.Name, mc.Embedded = srv.URL(), demomodel.ModelID, true
		part := session.Part{Role: "model", Name: demomodel.ModelID, Host: hostOf(srv.URL()), Embedded: true}
		return mc, part, func() { _ = srv.Close() }, nil
	}
	if base != "" {
		if err := checkEndpoint(base, s.Insecure); err != nil {
			return mc, session.Part{}, none, configError(fmt.Errorf("%s: %w", EnvOpenAIBaseURL, err))
		}
		if name == "" {
			return mc, session.Part{}, none, configError(fmt.Errorf(
				"%s is set (%s) but no model is named: pass --model or set %s to a model that server serves", EnvOpenAIBaseURL, base, EnvOpenAIModel))
		}
	}
	if mc.Name == "" {
		mc.Name = session.DefaultModel
	}
	host := "api.openai.com"
	if base != "" {
		host = hostOf(base)
	}
	return mc, session.Part{Role: "model", Name: mc.Name, Host: host}, none, nil
}
