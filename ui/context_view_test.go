package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/lumodash/lumodash/session"
)

// vllmParts: the session talks to a vLLM server that reports its window.
var vllmParts = []session.Part{parts[0], parts[1], {Role: "model", Name: "Qwen/Qwen2.5-7B-Instruct", Host: "127.0.0.1:8000"}}

const vllmSource = "vLLM /v1/models max_model_len"

// contextEvents is a later request of a long session against a 16k window: the request
// resends earlier ones (history), priced; trimmed adds what the window made it leave out.
func contextEvents(tokens int64, trimmed bool) []session.Event {
	ev := startEvents("research-analyst", "agt_7f3a", []string{"read:documents", "mcp:financial"}, budget(61_000, 100_000))
	ev[0].Parts, ev[0].Model = vllmParts, "Qwen/Qwen2.5-7B-Instruct"
	use := &session.ContextUse{Tokens: tokens, Window: 16_384, Source: vllmSource, Reserve: 1_024, History: tokens * 4 / 5}
	ev = append(ev, session.Event{Kind: session.KindPrompt, Time: at(1), Text: "What was EBITDA in Q2 2026?"})
	if trimmed {
		ev = append(ev, session.Event{Kind: session.KindContextTrim, Time: at(1), Turn: 1, Count: 145, Context: use,
			Text: "left out: the tool calls and results of 45 earlier requests (their answers kept) — 145 messages, to fit the 16,384-token context window (" + vllmSource + ")"})
	}
	return append(ev,
		session.Event{Kind: session.KindModelRequest, Time: at(1), Model: "Qwen/Qwen2.5-7B-Instruct", Turn: 1, Context: use},
		session.Event{Kind: session.KindModelResponse, Time: at(1.4), Model: "Qwen/Qwen2.5-7B-Instruct", Turn: 1, Duration: 400 * time.Millisecond,
			Usage: &session.Usage{PromptTokens: tokens, CompletionTokens: 40, HistoryTokens: tokens * 4 / 5},
			Cost:  &session.Cost{USD: float64(tokens) * 0.15e-6, Priced: true, HistoryUSD: float64(tokens*4/5) * 0.15e-6}})
}

// TestContextGaugeViews: the context gauge beside the budget — size of the latest request
// against the window, where the window comes from, what resending cost, and once trimming
// began what it left out (warning-coloured at 80 % like the budget's gauges).
func TestContextGaugeViews(t *testing.T) {
	for _, sc := range []struct {
		name   string
		events []session.Event
		want   []string
		wide   []string // also at 160x48, where the sidebar has the room
	}{
		{"normal", contextEvents(5_210, false), []string{"context", "5.2k/16.4k", "32%", "from vLLM", "resent", "4.2k · $0.0006"},
			[]string{"from vLLM /v1/models max_model_len"}},
		{"trimmed", contextEvents(14_020, true), []string{"context", "14k/16.4k", "86% WARN", "from vLLM", "left out: 145 messages"},
			[]string{"resent", "11.2k · $0.0017"}},
	} {
		for _, size := range [][2]int{{80, 24}, {160, 48}} {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				m := newTestModel(t, "dark", size[0], size[1], sc.events)
				screen := pinned(t, m)
				checkGeometry(t, screen, size[0], size[1])
				plain := ansi.Strip(screen)
				want := sc.want
				if size[0] >= 160 {
					want = append(want, sc.wide...)
				}
				for _, w := range want {
					if !strings.Contains(plain, w) {
						t.Errorf("screen lacks %q:\n%s", w, plain)
					}
				}
				golden.RequireEqual(t, screen)
			})
		}
	}
}
