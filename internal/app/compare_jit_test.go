package app

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lumodash/lumodash/tools"
)

// Two sessions asking at once on one terminal: each question is introduced by its agent and
// answered by the next line, one question at a time.
func TestCompareEscalationsAskOneAtATime(t *testing.T) {
	in, answers := io.Pipe()
	var out strings.Builder
	var outMu sync.Mutex
	w := writerFunc(func(p []byte) (int, error) { outMu.Lock(); defer outMu.Unlock(); return out.Write(p) })
	sides := CompareEscalations(NewTermEscalation(in, w), [2]string{"research-analyst", "junior-analyst"}, w)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got := make(chan string, 2)
	for _, esc := range sides {
		go func() {
			ok, err := esc.Confirm(ctx, tools.JITQuestion{Tool: "query_financial_mcp", Capability: "mcp:financial"})
			if err != nil {
				got <- err.Error()
				return
			}
			if ok {
				got <- "yes"
			} else {
				got <- "no"
			}
		}()
	}
	asked := func() int {
		outMu.Lock()
		defer outMu.Unlock()
		return strings.Count(out.String(), "send a just-in-time request?")
	}
	for asked() == 0 && ctx.Err() == nil { // the first question is on its way
		time.Sleep(5 * time.Millisecond)
	}
	// Both sessions are asking; the second waits for the first's answer before it speaks.
	for range 20 {
		if n := asked(); n != 1 {
			t.Fatalf("%d questions asked before the first answer, want 1:\n%s", n, out.String())
		}
		time.Sleep(time.Millisecond)
	}
	if _, err := io.WriteString(answers, "y\n"); err != nil {
		t.Fatal(err)
	}
	first := <-got
	if _, err := io.WriteString(answers, "n\n"); err != nil {
		t.Fatal(err)
	}
	second := <-got
	if first != "yes" || second != "no" {
		t.Errorf("answers %q then %q, want yes then no", first, second)
	}
	for _, agent := range []string{"JIT     for research-analyst:", "JIT     for junior-analyst:"} {
		if !strings.Contains(out.String(), agent) {
			t.Errorf("no %q in:\n%s", agent, out.String())
		}
	}
	if CompareEscalations(nil, [2]string{"a", "b"}, w)[0] != nil {
		t.Error("no terminal should stay no escalation")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
