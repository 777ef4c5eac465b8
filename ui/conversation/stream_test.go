package conversation

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/session"
	"github.com/lumodash/lumodash/themes"
	"github.com/lumodash/lumodash/ui/uictx"
)

// streamedAnswers are answers whose Markdown constructs and hostile bytes span chunks.
var streamedAnswers = []string{
	"## Q3 summary\n\nRevenue grew **12%** year on year, driven by the enterprise segment and a long sentence that must wrap over several lines at any width.\n\n" +
		"```go\nfunc main() {\n\tfmt.Println(\"a code fence spanning chunks\")\n}\n```\n\n" +
		"- first item of a list\n- second item, long enough to wrap past the edge of a narrow pane for sure\n  1. nested\n\n" +
		"| metric | Q2 | Q3 |\n|---|---:|---:|\n| revenue | $10.2M | $11.4M |\n| EBITDA | $3.7M | $4.1M |\n\nSources: 3 documents.",
	"Wide and combined: 收入增长百分之十二 — café naïve 👩‍💻 emoji and Ελληνικά.\r\nA CRLF line, a\ttab, and averyveryverylongwordthatcannotwrapanywhereatallbecauseithasnospacesinside.\n\nend",
	"Hostile: \x1b[31mred\x1b[0m text\nthen an OSC \x1b]8;;http://evil.example\x07link\x1b]8;;\x07 and one running across lines \x1b]0;title\nstill title\x07 done\n" +
		"C1 \u009b31m here\nbidi \u202eevil\u202c and invalid \xff\xfe bytes\nlast line",
	"no line break at all, just one paragraph that keeps going " + strings.Repeat("and going ", 40),
}

// TestStreamingRenderEqualsWholeRender: however the answer is chunked (down to splitting
// UTF-8 sequences and escape sequences), the incremental rendering after every chunk is
// exactly the rendering of the whole text so far, at every width, styled and flat, and
// after a width change.
func TestStreamingRenderEqualsWholeRender(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for ai, answer := range streamedAnswers {
		for _, flat := range []bool{false, true} {
			for round := 0; round < 30; round++ {
				ctx := uictx.New(themes.Dark(), flat, 80)
				m := New(0)
				width := []int{24, 57, 80, 133}[round%4]
				for rest := answer; rest != ""; {
					n := min(1+rng.IntN(12), len(rest))
					m.Apply(session.Event{Kind: session.KindModelDelta, Text: rest[:n]})
					rest = rest[n:]
					if rng.IntN(10) == 0 {
						width = 20 + rng.IntN(120)
					}
					b := m.Blocks()[0]
					got := m.lines(ctx, b, width)
					if want := streamLinesWhole(ctx, b, width); !slices.Equal(got, want) {
						t.Fatalf("answer %d flat=%v width %d after %d bytes:\n got %q\nwant %q", ai, flat, width, len(b.Text), got, want)
					}
				}
			}
		}
	}
}

// TestStreamingRenderCachesFinishedLines: the finished lines are kept between chunks, and
// nothing past an escape is taken as finished.
func TestStreamingRenderCachesFinishedLines(t *testing.T) {
	ctx := uictx.New(themes.Dark(), false, 80)
	m := New(0)
	m.Apply(session.Event{Kind: session.KindModelDelta, Text: "one\ntwo\nthr"})
	b := m.Blocks()[0]
	m.lines(ctx, b, 40)
	if b.stream == nil || b.stream.done != "one\ntwo\n" || len(b.stream.lines) != 2 {
		t.Fatalf("cache after a chunk: %+v", b.stream)
	}
	kept := b.stream.lines
	m.Apply(session.Event{Kind: session.KindModelDelta, Text: "ee \x1b]0;x\nfour\n"})
	m.lines(ctx, b, 40)
	if b.stream.done != "one\ntwo\n" || &b.stream.lines[0] != &kept[0] {
		t.Errorf("after an escape: done %q (the lines were re-rendered: %v)", b.stream.done, &b.stream.lines[0] != &kept[0])
	}
	m.Apply(session.Event{Kind: session.KindModelResponse, Text: b.Text})
	if m.lines(ctx, b, 40); b.stream != nil {
		t.Error("a finished answer keeps its streaming cache")
	}
}
