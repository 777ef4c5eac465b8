package present

import (
	"bytes"
	"testing"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/tools"
)

func TestPlainPrinterSanitisesAndStreams(t *testing.T) {
	var b bytes.Buffer
	p := NewPlainPrinter(&b)
	p.Emit(session.Event{Kind: session.KindPrompt, Text: "hi\x1b]8;;http://evil\x07"})
	p.Emit(session.Event{Kind: session.KindModelDelta, Text: "Q3 \x1b[31mrevenue"})
	p.Emit(session.Event{Kind: session.KindModelDelta, Text: " grew\u202e"})
	p.Emit(session.Event{Kind: session.KindCapabilityCheck, Tool: "query_financial_mcp", Capability: "mcp:financial", Allowed: no, Reason: "agent lacks\x1b[2J it", JITAvailable: true})
	p.Emit(session.Event{Kind: session.KindToolResult, Tool: "t", Status: session.Status(tools.StatusFailed), Text: "Error:\nbad\x07"})
	p.Emit(session.Event{Kind: session.KindModelResponse, Turn: 1, Usage: &session.Usage{PromptTokens: 1000, CompletionTokens: 20}, Cost: &session.Cost{Note: session.NoteUnpriced}})
	p.Emit(session.Event{Kind: session.KindUsageReported, Status: session.UsageOK}) // routine: not shown
	p.Emit(session.Event{Kind: session.KindBudgetUpdate})                           // the log's, not the printer's
	p.Emit(session.Event{Kind: session.KindModelDelta, Text: "done"})
	p.Emit(session.Event{Kind: session.KindRequestFinish, Outcome: session.OutcomeOK})
	want := "you › hi\nanalyst › Q3 revenue grew\n" +
		"CAP     mcp:financial → DENY · JIT available · query_financial_mcp · agent lacks it\n" +
		"TOOL    t ! failed · Error: bad\n" +
		"MODEL   turn 1 · 1,020 tokens (1,000 in / 20 out) · 0s · unpriced\n" +
		"analyst › done\n" +
		"DONE    ok · request 0 tokens · no usage · session 0 tokens · no usage\n"
	if got := b.String(); got != want {
		t.Errorf("plain output\n got %q\nwant %q", got, want)
	}
}

// TestPlainLineMatchesTheLog: the plain printer and the log say the same thing in the same
// words: the printer's line is the label in its column and the log's summary.
func TestPlainLineMatchesTheLog(t *testing.T) {
	for _, c := range summaryCases() {
		line := PlainLine(c.e)
		switch {
		case !c.plain && line != "":
			t.Errorf("%s: printed %q", c.name, line)
		case c.plain && c.label != "" && line != c.label+spaces(plainColumn-len(c.label))+c.summary:
			t.Errorf("%s: %q", c.name, line)
		case c.plain && c.label == "" && line != c.summary:
			t.Errorf("%s: %q", c.name, line)
		}
	}
}

func spaces(n int) string { return string(bytes.Repeat([]byte{' '}, n)) }
