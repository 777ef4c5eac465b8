package conversation

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/uictx"
)

func view(m *Model, width int) string {
	ctx := uictx.New(themes.Dark(), false, 80)
	return ansi.Strip(m.View(ctx, width, 30))
}

// TestJITStepsComeBeforeTheStatus: a call's JIT steps sit inside its block, its status line
// after them; once the request is decided, the earlier steps stop warning and the wait
// reads as over.
func TestJITStepsComeBeforeTheStatus(t *testing.T) {
	m := New(0)
	for _, e := range []session.Event{
		{Kind: session.KindToolCall, CallID: "c1", Tool: "query_financial_mcp", Args: `{"metric":"ebitda"}`},
		{Kind: session.KindJITRequested, CallID: "c1", Tool: "query_financial_mcp", Capability: "mcp:financial", Risk: "high", RequestID: "jit_1"},
		{Kind: session.KindJITPending, CallID: "c1", Capability: "mcp:financial", RequestID: "jit_1"},
	} {
		m.Apply(e)
	}
	b := m.Blocks()[0]
	if len(m.Blocks()) != 1 || len(b.Steps) != 2 || b.Steps[1].Level != present.Warn {
		t.Fatalf("blocks %d, steps %+v", len(m.Blocks()), b.Steps)
	}
	m.Apply(session.Event{Kind: session.KindJITApproved, CallID: "c1", Capability: "mcp:financial", RequestID: "jit_1", TTL: 5 * time.Minute, Approver: "operator"})
	m.Apply(session.Event{Kind: session.KindToolResult, CallID: "c1", Tool: "query_financial_mcp", Status: "ok", Count: 1, Duration: 4 * time.Second})
	for _, s := range b.Steps[:2] {
		if s.Level != present.Quiet {
			t.Errorf("a resolved step still looks urgent: %+v", s)
		}
	}
	out := view(m, 70)
	order := []string{"query_financial_mcp(", "JIT: requested mcp:financial", "waited for a human decision: approved", "granted for 5m by operator", "✓ allowed · 1 result · 4s"}
	at := -1
	for _, w := range order {
		i := strings.Index(out, w)
		if i <= at {
			t.Fatalf("%q is missing or out of order:\n%s", w, out)
		}
		at = i
	}
}

// TestCutAnswerIsRendered: an answer that cancellation cut short loses its cursor, is
// rendered as Markdown and says it was cut.
func TestCutAnswerIsRendered(t *testing.T) {
	m := New(0)
	m.Apply(session.Event{Kind: session.KindPrompt, Text: "Q3?"})
	m.Apply(session.Event{Kind: session.KindModelDelta, Text: "Revenue grew **12%** "})
	if !strings.Contains(view(m, 60), "▍") {
		t.Fatal("a streaming answer shows its cursor")
	}
	m.Apply(session.Event{Kind: session.KindRequestFinish, Outcome: session.OutcomeCancelled})
	out := view(m, 60)
	if strings.Contains(out, "▍") || strings.Contains(out, "**") || !strings.Contains(out, "12%") || !strings.Contains(out, "cut short") {
		t.Errorf("cut answer:\n%s", out)
	}
}

// TestProgressShowsOnTheToolCall: a server's progress notifications show inside the call's
// block, as one line that moves on.
func TestProgressShowsOnTheToolCall(t *testing.T) {
	m := New(0)
	m.Apply(session.Event{Kind: session.KindToolCall, CallID: "c1", Tool: "everything__trigger-long-running-operation", Args: `{}`})
	for i := 1; i <= 3; i++ {
		m.Apply(session.Event{Kind: session.KindMCPProgress, CallID: "c1", Server: "everything", Tool: "trigger-long-running-operation", Count: i, Percent: float64(i) * 100 / 3})
	}
	b := m.Blocks()[0]
	if len(m.Blocks()) != 1 || len(b.Steps) != 1 {
		t.Fatalf("blocks %d, steps %+v", len(m.Blocks()), b.Steps)
	}
	if out := view(m, 90); !strings.Contains(out, "everything progress 3 (100%)") {
		t.Errorf("view:\n%s", out)
	}
}

// TestScrolledViewStaysPutWhileTheAnswerStreams: scrolled back (to the top, or a few lines
// up), the view keeps its top line while the answer streams in below it and new blocks
// arrive; following, it shows the newest lines; scrolling moves it again.
func TestScrolledViewStaysPutWhileTheAnswerStreams(t *testing.T) {
	ctx := uictx.New(themes.Dark(), false, 80)
	const h = 8
	top := func(m *Model) string {
		return strings.TrimSpace(ansi.Strip(strings.SplitN(m.View(ctx, 60, h), "\n", 2)[0]))
	}
	m := New(0)
	m.Apply(session.Event{Kind: session.KindPrompt, Text: "first question"})
	for i := range 12 {
		m.Apply(session.Event{Kind: session.KindToolCall, CallID: "c" + string(rune('a'+i)), Tool: "search_company_documents", Args: `{"query":"topic ` + string(rune('a'+i)) + `"}`})
	}
	m.Apply(session.Event{Kind: session.KindModelDelta, Text: "The answer begins.\n\n"})
	m.Top()
	if got := top(m); !strings.Contains(got, "first question") {
		t.Fatalf("Top shows %q first", got)
	}
	m.Scroll(-3)
	want := top(m)
	for i := range 30 {
		m.Apply(session.Event{Kind: session.KindModelDelta, Text: "more text, line " + string(rune('A'+i%26)) + "\n\n"})
		if got := top(m); got != want {
			t.Fatalf("after %d more lines of the answer the view's top is %q, was %q", i+1, got, want)
		}
	}
	m.Apply(session.Event{Kind: session.KindPrompt, Text: "second question"})
	if got := top(m); got != want || m.Following() {
		t.Fatalf("a new prompt moved the scrolled view: top %q (was %q), following %v", got, want, m.Following())
	}
	m.Scroll(2)
	if got := top(m); got == want {
		t.Errorf("scrolling did not move the view from %q", got)
	}
	m.Bottom()
	if out := ansi.Strip(m.View(ctx, 60, h)); !strings.Contains(out, "second question") {
		t.Errorf("following, the newest block is not shown:\n%s", out)
	}
}
