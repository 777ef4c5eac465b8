package state

import (
	"testing"

	"github.com/lumodash/lumodash/session"
)

// The context gauge follows the latest model call: its size from model.request, the window
// from the server's report once it comes, what trimming left out, and what resending the
// conversation cost in it.
func TestContextFollowsTheLatestRequest(t *testing.T) {
	s := New()
	if s.Context.Known {
		t.Fatal("nothing is measured before the first request")
	}
	s.Apply(session.Event{Kind: session.KindPrompt})
	s.Apply(session.Event{Kind: session.KindModelRequest, Context: &session.ContextUse{Tokens: 350, Window: 32_768, Source: "built-in table"}})
	s.Apply(session.Event{Kind: session.KindModelResponse, Usage: &session.Usage{PromptTokens: 349}, Cost: &session.Cost{Note: session.NoteUnpriced}})
	s.Apply(session.Event{Kind: session.KindModelNotice, Status: session.NoticeContextWindow, Context: &session.ContextUse{Window: 8_192, Source: "Ollama /api/ps context_length"}})
	if c := s.Context; !c.Known || c.Use.Tokens != 350 || c.Use.Window != 8_192 || c.Use.Source != "Ollama /api/ps context_length" || c.Resent != 0 {
		t.Fatalf("after the first answer: %+v", c)
	}
	s.Apply(session.Event{Kind: session.KindModelNotice, Status: session.NoticeStreamOptions, Context: &session.ContextUse{Window: 1}})
	if s.Context.Use.Window != 8_192 {
		t.Fatal("only the context-window notice says what the window is")
	}
	s.Apply(session.Event{Kind: session.KindPrompt})
	s.Apply(session.Event{Kind: session.KindContextTrim, Count: 7, Text: "left out: …", Context: &session.ContextUse{Tokens: 6_000, Window: 8_192, Source: "Ollama /api/ps context_length"}})
	s.Apply(session.Event{Kind: session.KindModelRequest, Context: &session.ContextUse{Tokens: 6_100, Window: 8_192, Source: "Ollama /api/ps context_length", History: 5_000}})
	s.Apply(session.Event{Kind: session.KindModelResponse, Usage: &session.Usage{PromptTokens: 6_100, HistoryTokens: 5_000},
		Cost: &session.Cost{USD: 0.001, Priced: true, HistoryUSD: 0.0008}})
	c := s.Context
	if c.Use.Tokens != 6_100 || c.LeftOut != 7 || c.Resent != 5_000 || !c.ResentCost.Priced || c.ResentCost.HistoryUSD != 0.0008 {
		t.Fatalf("second request: %+v", c)
	}
	s.Apply(session.Event{Kind: session.KindPrompt})
	if s.Context.Resent != 5_000 || s.Context.LeftOut != 7 {
		t.Fatalf("until the next call, the gauge shows the latest one, and trimming goes on: %+v", s.Context)
	}
}
