package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/session/demomodel"
)

// Model environment variables (also read from the dotenv file).
const (
	envOpenAIKey     = "OPENAI_API_KEY"
	envOpenAIBaseURL = "OPENAI_BASE_URL"
	envOpenAIModel   = "OPENAI_MODEL"
)

// modelFromEnv picks the model: OPENAI_API_KEY → OpenAI; OPENAI_BASE_URL → any
// OpenAI-compatible server (Ollama, vLLM, LM Studio…); neither → the embedded demo model,
// started here (the returned function stops it). --model beats OPENAI_MODEL.
func modelFromEnv(g *globalFlags, fc *fileConfig, sf *sessionFlags) (session.ModelConfig, session.Part, func(), error) {
	none := func() {}
	dotenv, err := auth.LoadDotEnv(g.envFile)
	if err != nil {
		return session.ModelConfig{}, session.Part{}, none, withCode(exitConfig, fmt.Errorf("--env-file: %w", err))
	}
	env := auth.EnvChain(os.Getenv, auth.MapEnv(dotenv))
	key, base := env(envOpenAIKey), env(envOpenAIBaseURL)
	name := sf.model
	if name == "" {
		name = env(envOpenAIModel)
	}
	mc := session.ModelConfig{APIKey: key, BaseURL: base, Name: name, Timeout: sf.modelTimeout, MaxRetries: sf.modelRetries}
	if sf.modelRetries == 0 {
		mc.MaxRetries = -1 // --model-retries 0 means none (the session's zero value means its default)
	}
	if key == "" && base == "" {
		if name != "" {
			return mc, session.Part{}, none, withCode(exitConfig, fmt.Errorf(
				"model %q needs %s (OpenAI) or %s (an OpenAI-compatible server); without either lumodash uses its embedded demo model, so drop --model/%s",
				name, envOpenAIKey, envOpenAIBaseURL, envOpenAIModel))
		}
		srv, err := demomodel.Start(demomodel.Options{Pace: sf.demoPace}, "127.0.0.1:0")
		if err != nil {
			return mc, session.Part{}, none, withCode(exitError, fmt.Errorf("starting the embedded demo model: %w", err))
		}
		mc.BaseURL, mc.Name, mc.Embedded = srv.URL(), demomodel.ModelID, true
		part := session.Part{Role: "model", Name: demomodel.ModelID, Host: hostOf(srv.URL()), Embedded: true}
		return mc, part, func() { _ = srv.Close() }, nil
	}
	if base != "" {
		if err := checkEndpoint(base, g.insecure); err != nil {
			return mc, session.Part{}, none, withCode(exitConfig, fmt.Errorf("%s: %w", envOpenAIBaseURL, err))
		}
		if name == "" {
			return mc, session.Part{}, none, withCode(exitConfig, fmt.Errorf(
				"%s is set (%s) but no model is named: pass --model or set %s to a model that server serves", envOpenAIBaseURL, base, envOpenAIModel))
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

// prices converts the configuration file's price table.
func prices(fc *fileConfig) map[string]session.Price {
	if fc == nil || len(fc.Prices) == 0 {
		return nil
	}
	out := make(map[string]session.Price, len(fc.Prices))
	for name, p := range fc.Prices {
		out[name] = session.Price{InputPerMTok: p.InputPerMTok, CachedInputPerMTok: p.CachedInputPerMTok, OutputPerMTok: p.OutputPerMTok}
	}
	return out
}

func init() { serveExtras = append(serveExtras, serveDemoModel) }

// serveDemoModel runs the embedded demo model next to `lumodash serve`, so any
// OpenAI-compatible client (the seed's Python example included) can use it offline.
func serveDemoModel(_ context.Context, _ *globalFlags, _ *fileConfig, dev *devserver.Server, out io.Writer) (func(), error) {
	srv, err := demomodel.Start(demomodel.Options{Pace: 15 * time.Millisecond}, nextPort(nextPort(dev.URL())))
	if err != nil {
		srv, err = demomodel.Start(demomodel.Options{Pace: 15 * time.Millisecond}, "127.0.0.1:0")
	}
	if err != nil {
		return nil, withCode(exitError, fmt.Errorf("starting the embedded demo model: %w", err))
	}
	fmt.Fprintf(out, "demo model (embedded, offline, OpenAI-compatible) · %s\n  export OPENAI_BASE_URL=%s OPENAI_MODEL=%s\n\n",
		srv.URL(), srv.URL(), shellQuote(demomodel.ModelID))
	return func() { _ = srv.Close() }, nil
}
