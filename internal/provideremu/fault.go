package provideremu

import (
	"fmt"
	"net/http"
)

// FaultKind names a documented failure a server can show.
type FaultKind string

// Faults. Each hits the turn named in its comment: the planning turn (the model decides on
// tool calls), the answering turn (tool results in the request) or any request.
const (
	FaultLength        FaultKind = "length"             // answering: the answer stops at finish_reason "length"
	FaultLengthInArgs  FaultKind = "length_in_args"     // planning: cut inside the tool-call arguments, finish_reason "length"
	FaultContentFilter FaultKind = "content_filter"     // answering: finish_reason "content_filter" after part of the answer
	FaultRefusal       FaultKind = "refusal"            // planning: the model refuses in delta.refusal
	FaultRateLimit     FaultKind = "rate_limit"         // any: 429 with Retry-After: 1
	FaultQuota         FaultKind = "insufficient_quota" // any: 429 insufficient_quota (not worth retrying)
	Fault500           FaultKind = "http_500"           // any: 500 server_error
	Fault503           FaultKind = "http_503"           // any: 503 overloaded
	FaultMidStream     FaultKind = "error_mid_stream"   // answering: an error event after part of the answer
	FaultContext       FaultKind = "context_length_exceeded"
	FaultInvalidArgs   FaultKind = "invalid_arguments"     // planning: the financial call's arguments are not JSON
	FaultNoUsage       FaultKind = "no_usage"              // any: no usage, whatever stream_options says
	FaultStreamOptions FaultKind = "reject_stream_options" // any: 400 when the request has stream_options

	// Tool calls written as text in the content (planning), in the forms the servers'
	// parsers read: vLLM's hermes, qwen3_xml, mistral, llama3_json parsers and llama.cpp's
	// common/chat.cpp formats (Hermes 2 Pro, Mistral Nemo, Llama 3.x, Functionary v3.1).
	FaultTextHermes      FaultKind = "text_hermes"      // <tool_call>{"name":…,"arguments":…}</tool_call>
	FaultTextQwenXML     FaultKind = "text_qwen_xml"    // <tool_call><function=name><parameter=k>v</parameter></function></tool_call>
	FaultTextMistral     FaultKind = "text_mistral"     // [TOOL_CALLS][{"name":…,"arguments":…}]
	FaultTextLlama       FaultKind = "text_llama"       // <|python_tag|>{"name":…,"parameters":…}; …
	FaultTextFunctionary FaultKind = "text_functionary" // <function=name>{…}</function>
	FaultTextJSON        FaultKind = "text_json"        // a bare {"name":…,"arguments":…} object as the whole answer
)

// Fault is one fault injected into a server: it lets the first After matching requests
// pass, then hits Times of them (0 = every one).
type Fault struct {
	Kind  FaultKind
	Times int
	After int
}

// FaultKinds lists every fault, for test tables and the CLI.
func FaultKinds() []FaultKind {
	return []FaultKind{FaultLength, FaultLengthInArgs, FaultContentFilter, FaultRefusal, FaultRateLimit, FaultQuota,
		Fault500, Fault503, FaultMidStream, FaultContext, FaultInvalidArgs, FaultNoUsage, FaultStreamOptions,
		FaultTextHermes, FaultTextQwenXML, FaultTextMistral, FaultTextLlama, FaultTextFunctionary, FaultTextJSON}
}

// turnKind is the kind of model turn a request asks for.
type turnKind int

const (
	turnPlan   turnKind = iota // the last message is the user's: decide on tool calls
	turnAnswer                 // tool results follow the user's message: answer from them
)

// appliesTo says whether fault k can hit a request of turn t.
func (k FaultKind) appliesTo(t turnKind) bool {
	switch k {
	case FaultLength, FaultContentFilter, FaultMidStream, FaultContext:
		return t == turnAnswer
	case FaultLengthInArgs, FaultRefusal, FaultInvalidArgs, FaultTextHermes, FaultTextQwenXML, FaultTextMistral,
		FaultTextLlama, FaultTextFunctionary, FaultTextJSON:
		return t == turnPlan
	}
	return true
}

// openAIError is OpenAI's error body (platform.openai.com/docs/guides/error-codes).
func openAIError(message, typ, code string) string {
	c := "null"
	if code != "" {
		c = fmt.Sprintf("%q", code)
	}
	return fmt.Sprintf(`{"error":{"message":%q,"type":%q,"param":null,"code":%s}}`, message, typ, c)
}

// httpFault answers with the HTTP error of fault k (one of those statusOf knows).
func httpFault(w http.ResponseWriter, k FaultKind, model string) {
	body := ""
	switch k {
	case FaultRateLimit:
		w.Header().Set("Retry-After", "1")
		body = openAIError(fmt.Sprintf("Rate limit reached for %s on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.", model), "requests", "rate_limit_exceeded")
	case FaultQuota:
		body = openAIError("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota")
	case Fault500:
		body = openAIError("The server had an error while processing your request. Sorry about that!", "server_error", "")
	case Fault503:
		body = openAIError("The engine is currently overloaded, please try again later.", "server_error", "")
	}
	writeJSON(w, statusOf(k), body)
}

// overflowError is the profile's answer to a prompt of tokens over window.
func overflowError(w http.ResponseWriter, p Profile, tokens, window int) {
	switch p.Overflow {
	case OverflowVLLM:
		writeJSON(w, http.StatusBadRequest, fmt.Sprintf(`{"error":{"message":%q,"type":"BadRequestError","param":null,"code":400}}`,
			fmt.Sprintf("This model's maximum context length is %d tokens. However, you requested %d tokens (%d in the messages, 0 in the completion). Please reduce the length of the messages or completion.", window, tokens, tokens)))
	case OverflowLlamaCpp:
		writeJSON(w, http.StatusBadRequest, fmt.Sprintf(`{"error":{"code":400,"message":%q,"type":"exceed_context_size_error","n_prompt_tokens":%d,"n_ctx":%d}}`,
			fmt.Sprintf("request (%d tokens) exceeds the available context size (%d tokens)", tokens, window), tokens, window))
	default:
		writeJSON(w, http.StatusBadRequest, openAIError(fmt.Sprintf("This model's maximum context length is %d tokens. However, your messages resulted in %d tokens. Please reduce the length of the messages.", window, tokens), "invalid_request_error", "context_length_exceeded"))
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}
