package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

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

// streamer is a dashboard streaming an answer that stays about n words long: one chunk of
// three words and the frame after it per step, and a fresh answer every 20 chunks.
type streamer struct {
	b     *testing.B
	n, k  int
	words []string
	m     *Model
}

func newStreamer(b *testing.B, n int) *streamer {
	s := &streamer{b: b, n: n, words: streamWords(n + 60)}
	s.restart()
	return s
}

func (s *streamer) restart() {
	s.m = newTestModel(s.b, "dark", 160, 48, midRunEvents())
	s.m.Update(session.Event{Kind: session.KindModelDelta, Text: strings.Join(s.words[:s.n], "")})
	s.m.Render()
	s.k = 0
}

// step streams one chunk and draws the frame; it returns the time that took.
func (s *streamer) step() time.Duration {
	if s.k == 20 {
		s.restart()
	}
	chunk := strings.Join(s.words[s.n+3*s.k:s.n+3*s.k+3], "")
	s.k++
	t0 := time.Now()
	s.m.Update(session.Event{Kind: session.KindModelDelta, Text: chunk})
	_ = s.m.View()
	return time.Since(t0)
}

// BenchmarkStreamChunk: one streamed chunk and the frame after it, while the answer so far
// is 100 or 8,000 words long (issue 16: the cost must not grow with it). interleaved runs
// both in one loop, so that both see the same machine load, and reports their ratio.
func BenchmarkStreamChunk(b *testing.B) {
	for _, n := range []int{100, 8000} {
		b.Run(fmt.Sprintf("words=%d", n), func(b *testing.B) {
			s := newStreamer(b, n)
			var total time.Duration
			b.ReportAllocs()
			for b.Loop() {
				total += s.step()
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "ns/chunk")
		})
	}
	b.Run("interleaved", func(b *testing.B) {
		short, long := newStreamer(b, 100), newStreamer(b, 8000)
		var ts, tl time.Duration
		for i := 0; b.Loop(); i++ {
			if i%2 == 0 {
				ts += short.step()
				tl += long.step()
			} else {
				tl += long.step()
				ts += short.step()
			}
		}
		b.ReportMetric(float64(ts.Nanoseconds())/float64(b.N), "ns/chunk@100")
		b.ReportMetric(float64(tl.Nanoseconds())/float64(b.N), "ns/chunk@8000")
		b.ReportMetric(float64(tl)/float64(ts), "8000/100")
	})
}
