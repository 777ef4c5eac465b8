package provideremu

// IndexMode is how a server numbers the tool calls of one streamed turn.
type IndexMode int

// Index modes.
const (
	IndexCorrect IndexMode = iota // 0, 1, 2… as OpenAI documents
	IndexAllZero                  // every call at index 0 (ollama#15457, ollama#15497, litellm#33678)
	IndexOmitted                  // no "index" field at all (Ollama before v0.4.7, ollama#7881)
)

// UsageMode is when a server puts token usage in the stream.
type UsageMode int

// Usage modes.
const (
	UsageWhenAsked UsageMode = iota // only with stream_options.include_usage (OpenAI, vLLM, Ollama)
	UsageAlways                     // on the final chunk whatever was asked (llama-server)
	UsageNever                      // servers that ignore stream_options
)

// Discovery is where a server reports the context window of the model it serves.
type Discovery int

// Discovery endpoints.
const (
	DiscoverNone     Discovery = iota // nothing: clients must know the window (OpenAI)
	DiscoverVLLM                      // GET /v1/models: data[].max_model_len
	DiscoverOllama                    // POST /api/show model_info["<arch>.context_length"]; GET /api/ps context_length once loaded
	DiscoverLMStudio                  // GET /api/v0/models/{id}: max_context_length, loaded_context_length
	DiscoverLlamaCpp                  // GET /props: default_generation_settings.n_ctx
)

// Overflow is how a server answers a prompt longer than its context window.
type Overflow int

// Overflow answers.
const (
	OverflowOpenAI   Overflow = iota // 400 code context_length_exceeded
	OverflowVLLM                     // 400 "This model's maximum context length is N tokens…"
	OverflowLlamaCpp                 // 400 type exceed_context_size_error with n_ctx
	OverflowTruncate                 // Ollama drops the oldest part of the prompt and answers anyway
)

// Profile is one server's documented wire behaviour for streamed chat completions.
type Profile struct {
	Name        string // the profile's name, e.g. "ollama-index0"
	Server      string // what it reproduces, for people
	Model       string // the model id it serves
	Window      int    // context window in tokens
	Arch        string // Ollama's model_info architecture key (DiscoverOllama)
	Index       IndexMode
	Fragment    int  // bytes of arguments per delta; 0 = each call whole in one delta
	CallIDEvery bool // a new tool-call id on every delta (LM Studio)
	ChunkIDNew  bool // a new chunk id on every chunk (LiteLLM)
	NameEvery   bool // the function name resent on every delta (NVIDIA NIM serving MiniMax)
	NoArgsKey   bool // the first tool-call delta has no "arguments" key at all (vLLM)
	EmptyText   bool // "content":"" on every delta, tool-call deltas included (Ollama)
	NullText    bool // "content":null on tool-call deltas (llama-server)
	Preamble    string
	Usage       UsageMode
	UsageOnLast bool // usage rides on the finish chunk instead of a chunk of its own (Ollama)
	Reasoning   int  // reasoning tokens per turn, in completion_tokens_details (o-series)
	Strict      bool // o-series: max_tokens and a temperature other than 1 are rejected
	StrictArgs  bool // a history tool call whose arguments are not JSON is rejected with 400 (Ollama)
	Discovery   Discovery
	Overflow    Overflow
	CallID      func(n int) string // tool-call id format
	ChunkID     func() string      // chunk id format
}

// Profiles are the built-in server profiles, in the order the tests run them.
func Profiles() []Profile {
	return []Profile{
		// OpenAI: https://platform.openai.com/docs/api-reference/chat-streaming — the first
		// tool-call delta carries index, id, type and name with empty arguments, later deltas
		// only index and an arguments fragment; usage comes in a last chunk with empty choices
		// when stream_options.include_usage is set, and every other chunk then has "usage":null.
		{Name: "openai", Server: "OpenAI Chat Completions", Model: "gpt-4o-mini", Window: 128000, Fragment: 7,
			CallID: alnumID("call_", 24), ChunkID: alnumChunkID},
		// o-series reasoning models: https://platform.openai.com/docs/guides/reasoning — usage
		// counts reasoning tokens in completion_tokens_details.reasoning_tokens; the API
		// rejects max_tokens ("Use 'max_completion_tokens' instead") and any temperature but 1.
		{Name: "o-series", Server: "OpenAI o-series reasoning model", Model: "o4-mini", Window: 200000, Fragment: 11,
			Reasoning: 192, Strict: true, CallID: alnumID("call_", 24), ChunkID: alnumChunkID},
		// Ollama's OpenAI layer (ollama/ollama openai/openai.go, middleware/openai.go): each
		// call whole in one delta with its id ("call_" + 8 characters, server/routes.go
		// toolCallId); "content":"" kept on every delta; a separate finish chunk that carries
		// usage when include_usage is set; a history call whose arguments are not JSON is a
		// 400 "invalid tool call arguments" (FromCompletionToolCall); /api/show and /api/ps
		// report context_length; a prompt over num_ctx is truncated, not refused.
		{Name: "ollama", Server: "Ollama", Model: "qwen2.5:7b", Window: 8192, Arch: "qwen2", EmptyText: true, UsageOnLast: true,
			StrictArgs: true, Discovery: DiscoverOllama, Overflow: OverflowTruncate, CallID: alnumID("call_", 8), ChunkID: ollamaChunkID},
		// ollama#15457 and ollama#15497: parallel calls all streamed at index 0.
		{Name: "ollama-index0", Server: "Ollama, parallel calls at index 0", Model: "qwen2.5:7b", Window: 8192, Arch: "qwen2",
			Index: IndexAllZero, EmptyText: true, UsageOnLast: true, StrictArgs: true, Discovery: DiscoverOllama,
			Overflow: OverflowTruncate, CallID: alnumID("call_", 8), ChunkID: ollamaChunkID},
		// ollama#7881: builds before v0.4.7 sent no index at all.
		{Name: "ollama-noindex", Server: "Ollama before v0.4.7, no index", Model: "llama3.1:8b", Window: 8192, Arch: "llama",
			Index: IndexOmitted, EmptyText: true, UsageOnLast: true, StrictArgs: true, Discovery: DiscoverOllama,
			Overflow: OverflowTruncate, CallID: alnumID("call_", 8), ChunkID: ollamaChunkID},
		// vLLM (docs.vllm.ai, features/tool_calling; vllm/entrypoints/openai): the first
		// delta names the call with no arguments key, fragments follow; tool-call ids
		// "chatcmpl-tool-<hex>"; /v1/models reports max_model_len; an over-long prompt is a 400
		// "This model's maximum context length is N tokens. However, you requested M tokens…".
		{Name: "vllm", Server: "vLLM", Model: "Qwen/Qwen2.5-7B-Instruct", Window: 32768, Fragment: 9, NoArgsKey: true,
			Preamble: "I'll look through the documents and the financial data. ", Discovery: DiscoverVLLM, Overflow: OverflowVLLM,
			CallID: hexID("chatcmpl-tool-", 32), ChunkID: hexChunkID},
		// llama.cpp llama-server (tools/server/README.md): "content":null on tool-call deltas,
		// usage and its own "timings" on the final chunk, /props reports n_ctx, an over-long
		// prompt is a 400 of type exceed_context_size_error with n_prompt_tokens and n_ctx.
		{Name: "llamacpp", Server: "llama.cpp llama-server", Model: "qwen2.5-7b-instruct-q4_k_m.gguf", Window: 16384, Fragment: 5,
			NullText: true, Usage: UsageAlways, Discovery: DiscoverLlamaCpp, Overflow: OverflowLlamaCpp,
			CallID: alnumID("", 32), ChunkID: alnumChunkID},
		// LM Studio (lmstudio.ai/docs/app/api/endpoints/rest): a new tool-call id on every
		// delta of one call; /api/v0/models reports max_context_length and loaded_context_length.
		{Name: "lmstudio", Server: "LM Studio", Model: "qwen2.5-7b-instruct", Window: 16384, Fragment: 6, CallIDEvery: true,
			Discovery: DiscoverLMStudio, CallID: digitsID(9), ChunkID: alnumChunkID},
		// LiteLLM proxy in front of ollama_chat: a new chunk id on every chunk (litellm PR
		// #37792, litellm#1571, litellm#38098) and every call at index 0 (litellm#33678).
		{Name: "litellm", Server: "LiteLLM proxy (ollama_chat)", Model: "ollama_chat/qwen2.5:7b", Window: 32768,
			Index: IndexAllZero, ChunkIDNew: true, Overflow: OverflowOpenAI, CallID: alnumID("call_", 24), ChunkID: uuidChunkID},
		// NVIDIA NIM serving MiniMax: the function name is resent on every delta of a call.
		{Name: "nim", Server: "NVIDIA NIM (MiniMax)", Model: "minimaxai/minimax-m2", Window: 196608, Fragment: 8, NameEvery: true,
			Overflow: OverflowVLLM, CallID: alnumID("call_", 24), ChunkID: hexChunkID},
	}
}

// Lookup returns the built-in profile called name.
func Lookup(name string) (Profile, bool) {
	for _, p := range Profiles() {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}
