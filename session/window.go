package session

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/lumodash/lumodash/internal/numfmt"
)

// contextWindow is what the session knows of the model's context window.
type contextWindow struct {
	tokens int64  // 0 = unknown: requests are not trimmed until the server says one is too long
	source string // where it comes from, for people
}

// contextWindows are the context windows of common models, in tokens, by name prefix
// (OpenAI's model pages; the model cards of the open models). A local server may run a
// model with a smaller window than it was trained for: what the server reports wins.
var contextWindows = map[string]int64{
	"gpt-3.5-turbo": 16385, "gpt-4": 8192, "gpt-4-turbo": 128000, "gpt-4o": 128000, "gpt-4o-mini": 128000,
	"gpt-4.1": 1047576, "gpt-5": 400000, "gpt-oss": 131072,
	"o1": 200000, "o1-mini": 128000, "o3": 200000, "o3-mini": 200000, "o4-mini": 200000,
	"llama3": 8192, "llama3.1": 131072, "llama3.2": 131072, "llama3.3": 131072, "llama-3.1": 131072, "llama-3.3": 131072,
	"qwen2.5": 32768, "qwen3": 40960, "mistral": 32768, "mistral-nemo": 131072, "mistral-small": 32768,
	"gemma2": 8192, "gemma3": 131072, "phi4": 16384, "deepseek-r1": 131072,
}

// tableWindow looks model up in contextWindows: the longest matching prefix of its name
// without a provider or organisation prefix ("ollama_chat/", "Qwen/") and without a tag.
func tableWindow(model string) (int64, bool) {
	m := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndexByte(m, '/'); i >= 0 {
		m = m[i+1:]
	}
	m, _, _ = strings.Cut(m, ":")
	best, found := "", false
	for name := range contextWindows {
		if strings.HasPrefix(m, name) && len(name) > len(best) {
			best, found = name, true
		}
	}
	return contextWindows[best], found
}

// initialWindow is the window known before the server is asked: the configured one, else
// the built-in table's.
func (r *Runner) initialWindow() contextWindow {
	if n := r.cfg.Model.ContextWindow; n > 0 {
		return contextWindow{tokens: n, source: cmp.Or(r.cfg.Model.ContextWindowSource, "configured")}
	}
	if n, ok := tableWindow(r.cfg.Model.Name); ok {
		return contextWindow{tokens: n, source: "built-in table"}
	}
	return contextWindow{}
}

// resolveWindow asks the server for the window its model runs with, once, after the
// session's first model response: by then a local server has loaded the model (Ollama lists
// its running context_length in /api/ps only then), and the first request, the smallest of a
// conversation, has been checked against the table. A configured window is not second-guessed.
// It emits a model.notice saying what the window is and where it comes from.
func (r *Runner) resolveWindow(ctx context.Context) {
	if r.windowResolved {
		return
	}
	r.windowResolved = true
	m := r.cfg.Model
	if m.Embedded && m.ContextWindow == 0 { // the demo model has no window to speak of
		return
	}
	if m.ContextWindow == 0 && m.BaseURL != "" && !m.Embedded {
		if w := discoverWindow(ctx, r.modelHTTP(), m.BaseURL, m.APIKey, m.Name); w.tokens > 0 {
			r.window = w
		}
	}
	r.noteWindow()
}

func (r *Runner) noteWindow() {
	text := fmt.Sprintf("context window of %s: %s tokens (%s); older turns are left out of a request that would not fit",
		r.cfg.Model.Name, numfmt.Group(r.window.tokens), r.window.source)
	if r.window.tokens == 0 {
		text = fmt.Sprintf("the context window of %s is not known (not configured, not reported by the server, not in the built-in table): "+
			"requests are trimmed only after the server says one is too long; configure the window to keep every request within it", r.cfg.Model.Name)
	}
	r.emit(Event{Kind: KindModelNotice, Model: r.cfg.Model.Name, Status: NoticeContextWindow, Text: text,
		Context: &ContextUse{Window: r.window.tokens, Source: r.window.source}})
}

// The figures a context_length_exceeded answer gives: the window, and the request's size.
var (
	windowInError  = regexp.MustCompile(`(?i)(?:maximum context length is|available context size \(|context (?:length|window|size) (?:of|is)) ?(\d+)`)
	requestInError = regexp.MustCompile(`(?i)(?:resulted in|you requested|request \() ?(\d+) tokens`)
	nctxInError    = regexp.MustCompile(`"n_ctx"\s*:\s*(\d+)`)
)

// learnWindow takes what a context_length_exceeded answer says of the window (and of the
// request's size, which calibrates the estimate); an answer without a figure leaves a guess:
// three quarters of the request sent.
func (r *Runner) learnWindow(me *ModelError, sent int64) {
	text := me.Message + " " + me.raw
	window := firstNumber(windowInError, text)
	if window == 0 {
		window = firstNumber(nctxInError, text)
	}
	if counted := firstNumber(requestInError, text); counted > sent && sent > 0 {
		r.calibration *= float64(counted) / float64(sent) // the server counts more than the estimate
	}
	if window > 0 {
		r.window = contextWindow{tokens: window, source: "the server's context_length_exceeded answer"}
		return
	}
	r.window = contextWindow{tokens: sent * 3 / 4, source: "guessed: the server refused a request of about " + numfmt.Group(sent) + " tokens as too long"}
}

func firstNumber(re *regexp.Regexp, s string) int64 {
	if m := re.FindStringSubmatch(s); m != nil {
		n, _ := strconv.ParseInt(m[1], 10, 64)
		return n
	}
	return 0
}
