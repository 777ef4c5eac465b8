package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lumodash/lumodash/session"
)

// streamWords is an answer of n words in Markdown paragraphs of about 60 words.
func streamWords(n int) []string {
	words := strings.Fields("Revenue grew **12%** year on year while EBITDA reached $4.1M with a margin of 18% as operating costs rose 4% mostly in research")
	out := make([]string, n)
	for i := range out {
		w := words[i%len(words)]
		if i%60 == 59 {
			w += ".\n\n"
		} else {
			w += " "
		}
		out[i] = w
	}
	return out
}

// BenchmarkStreamChunk: one streamed chunk (three words) and the frame after it, while
// the answer so far is 100 or 8,000 words long (issue 16: the cost must not grow with it).
func BenchmarkStreamChunk(b *testing.B) {
	for _, n := range []int{100, 8000} {
		b.Run(fmt.Sprintf("words=%d", n), func(b *testing.B) {
			words := streamWords(n + 60)
			start := func() *Model {
				m := newTestModel(b, "dark", 160, 48, midRunEvents())
				m.Update(session.Event{Kind: session.KindModelDelta, Text: strings.Join(words[:n], "")})
				m.Render()
				return m
			}
			m := start()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := i % 20 // restart every 20 chunks (60 words), so the answer stays about n words
				if k == 0 && i > 0 {
					b.StopTimer()
					m = start()
					b.StartTimer()
				}
				m.Update(session.Event{Kind: session.KindModelDelta, Text: strings.Join(words[n+3*k:n+3*k+3], "")})
				_ = m.View()
			}
		})
	}
}
