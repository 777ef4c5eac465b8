package demomodel

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
)

// The request checks of POST /v1/chat/completions, in the order the OpenAI API reports
// them: the model (missing → 400, unknown → 404 model_not_found), the messages' presence,
// unknown parameters, then each parameter's type, bounds and values.

// chatParams are the Chat Completions parameters the OpenAI API accepts (openai-node v6,
// ChatCompletionCreateParamsBase). The demo model acts on model, messages, tools,
// tool_choice, parallel_tool_calls, n, stream, stream_options and the token limits, and
// accepts the rest without effect, as a model that ignores them would.
var chatParams = []string{"messages", "model", "audio", "frequency_penalty", "function_call", "functions", "logit_bias",
	"logprobs", "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n", "parallel_tool_calls",
	"prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention", "reasoning_effort",
	"response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream", "stream_options",
	"temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity", "web_search_options"}

// maxChoices is the most choices (n) one request may ask for.
const maxChoices = 128

// readRequest checks a request body and decodes it, or says what is wrong as OpenAI would.
func readRequest(body []byte) (chatRequest, *apiError) {
	var req chatRequest
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil || fields == nil {
		return req, errBadJSON
	}
	present := func(k string) bool { v, ok := fields[k]; return ok && string(bytes.TrimSpace(v)) != "null" }
	if !present("model") {
		return req, errNoModel
	}
	if json.Unmarshal(fields["model"], &req.Model) != nil {
		return req, errType("model", "a string", fields["model"])
	}
	if req.Model == "" {
		return req, errNoModel
	}
	if !knownModel(req.Model) {
		return req, errModelNotFound(req.Model)
	}
	if !present("messages") {
		return req, errMissing("messages")
	}
	var unknown []string
	for k := range fields {
		if !slices.Contains(chatParams, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return req, errUnknownParam(unknown[0])
	}
	if e := readMessages(fields["messages"], &req); e != nil {
		return req, e
	}
	if present("tools") {
		if e := readTools(fields["tools"], &req); e != nil {
			return req, e
		}
	}
	for _, check := range []func(map[string]json.RawMessage, *chatRequest) *apiError{readChoices, readStreaming, readToolChoice, readSampling} {
		if e := check(fields, &req); e != nil {
			return req, e
		}
	}
	return req, nil
}

// number reads fields[k] as a number when present; integer says it must be whole.
func number(fields map[string]json.RawMessage, k string, integer bool) (v float64, set bool, e *apiError) {
	raw, ok := fields[k]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return 0, false, nil
	}
	want := map[bool]string{true: "an integer", false: "a decimal"}[integer]
	if json.Unmarshal(raw, &v) != nil || integer && jsonKind(raw) != "an integer" {
		return 0, false, errType(k, want, raw)
	}
	return v, true, nil
}

func boolean(fields map[string]json.RawMessage, k string) (v, set bool, e *apiError) {
	raw, ok := fields[k]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return false, false, nil
	}
	if json.Unmarshal(raw, &v) != nil {
		return false, false, errType(k, "a boolean", raw)
	}
	return v, true, nil
}

func readChoices(fields map[string]json.RawMessage, req *chatRequest) *apiError {
	req.N = 1
	n, set, e := number(fields, "n", true)
	switch {
	case e != nil:
		return e
	case !set:
		return nil
	case n < 1:
		return errBelow("n", 1, n, true)
	case n > maxChoices:
		return errAbove("n", maxChoices, n, true)
	}
	req.N = int(n)
	return nil
}

func readStreaming(fields map[string]json.RawMessage, req *chatRequest) *apiError {
	var e *apiError
	if req.Stream, _, e = boolean(fields, "stream"); e != nil {
		return e
	}
	if raw, ok := fields["stream_options"]; ok && string(bytes.TrimSpace(raw)) != "null" {
		if !req.Stream {
			return badRequest("stream_options", "", "The 'stream_options' parameter is only allowed when 'stream' is enabled.")
		}
		var opts map[string]json.RawMessage
		if json.Unmarshal(raw, &opts) != nil {
			return errType("stream_options", "an object", raw)
		}
		if v, ok := opts["include_usage"]; ok && json.Unmarshal(v, &req.IncludeUsage) != nil {
			return errType("stream_options.include_usage", "a boolean", v)
		}
	}
	return nil
}

func readToolChoice(fields map[string]json.RawMessage, req *chatRequest) *apiError {
	req.ToolChoice, req.Parallel = "auto", true
	if v, set, e := boolean(fields, "parallel_tool_calls"); e != nil {
		return e
	} else if set {
		req.Parallel = v
	}
	raw, ok := fields["tool_choice"]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	if len(req.Tools) == 0 {
		return badRequest("tool_choice", "", "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.")
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if !slices.Contains([]string{"none", "auto", "required"}, s) {
			return errValue("tool_choice", s, []string{"none", "auto", "required"})
		}
		req.ToolChoice = s
		return nil
	}
	var named struct {
		Type     string `json:"type"`
		Function *struct {
			Name *string `json:"name"`
		} `json:"function"`
	}
	if jsonKind(raw) != "an object" || json.Unmarshal(raw, &named) != nil {
		return errType("tool_choice", "one of one of 'none', 'auto', or 'required' or object", raw)
	}
	switch {
	case named.Function == nil:
		return errMissing("tool_choice.function")
	case named.Function.Name == nil:
		return errMissing("tool_choice.function.name")
	}
	req.ToolChoice = *named.Function.Name
	return nil
}

func readSampling(fields map[string]json.RawMessage, req *chatRequest) *apiError {
	for _, b := range []struct {
		k        string
		min, max float64
	}{{"temperature", 0, 2}, {"top_p", 0, 1}, {"frequency_penalty", -2, 2}, {"presence_penalty", -2, 2}} {
		v, set, e := number(fields, b.k, false)
		switch {
		case e != nil:
			return e
		case set && v < b.min:
			return errBelow(b.k, b.min, v, false)
		case set && v > b.max:
			return errAbove(b.k, b.max, v, false)
		}
	}
	for _, k := range []string{"max_completion_tokens", "max_tokens"} {
		v, set, e := number(fields, k, true)
		switch {
		case e != nil:
			return e
		case set && v < 1:
			return errBelow(k, 1, v, true)
		case set && (req.MaxTokens == 0 || int(v) < req.MaxTokens):
			req.MaxTokens = int(v)
		}
	}
	return nil
}

// modelIDs are the models the demo endpoint serves: its id and a plain alias a client can type.
func modelIDs() []string { return []string{ModelID, ModelAlias} }

func knownModel(id string) bool { return slices.Contains(modelIDs(), id) }
