package session

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lumodash/lumodash/auth"
	"github.com/lumodash/lumodash/tools"
)

// countingTool records how many of its calls run at once.
type countingTool struct {
	running, most *atomic.Int32
}

func (c countingTool) Name() string        { return "count" }
func (c countingTool) Description() string { return "Count." }
func (c countingTool) Parameters() map[string]any {
	return map[string]any{"type": "object", "properties": map[string]any{"n": map[string]any{"type": "integer"}}}
}
func (c countingTool) Capability() string { return "read:documents" }
func (c countingTool) Audience() string   { return "" }
func (c countingTool) Call(_ context.Context, args json.RawMessage, _ *auth.Credential) (tools.Result, error) {
	n := c.running.Add(1)
	defer c.running.Add(-1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
	for deadline := time.Now().Add(300 * time.Millisecond); c.running.Load() < maxParallelTools && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond) // wait for the others that may run at once (the last two never see four)
	}
	var a struct{ N int }
	_ = json.Unmarshal(args, &a)
	return tools.Result{Text: fmt.Sprintf("counted %d", a.N)}, nil
}

// TestParallelToolCallsAreBoundedAndInOrder: six calls of one turn run four at a time; every
// event of a call carries its id, and the results go back to the model in the calls' order.
func TestParallelToolCallsAreBoundedAndInOrder(t *testing.T) {
	var calls [][2]string
	for i := range 6 {
		calls = append(calls, [2]string{"count", fmt.Sprintf(`{"n":%d}`, i+1)})
	}
	fm := newFakeModel(t, callsThenAnswer(calls...))
	w := newWorld(t, "research-analyst")
	tool := countingTool{&atomic.Int32{}, &atomic.Int32{}}
	r := w.runner(t, fm.config("gpt-4o-mini"), tools.NewRegistry(tool), nil)
	if out := r.Ask(context.Background(), "Count six times."); out != OutcomeOK {
		t.Fatal(out)
	}
	_ = r.Close()
	if most := tool.most.Load(); most != maxParallelTools {
		t.Errorf("%d calls ran at once, want %d", most, maxParallelTools)
	}
	byCall := map[string][]Kind{}
	for _, e := range w.rec.all() {
		if e.CallID != "" {
			byCall[e.CallID] = append(byCall[e.CallID], e.Kind)
		}
	}
	for i := range 6 {
		id := fmt.Sprintf("call_%d", i+1)
		if got := fmt.Sprint(byCall[id]); got != "[tool.call gate.check tool.result]" {
			t.Errorf("%s events %s", id, got)
		}
	}
	var results []string
	for _, m := range fm.messages(1) {
		if m[0] == "tool" {
			results = append(results, m[2]+"="+m[1])
		}
	}
	if fmt.Sprint(results) != "[call_1=counted 1 call_2=counted 2 call_3=counted 3 call_4=counted 4 call_5=counted 5 call_6=counted 6]" {
		t.Errorf("results sent back %v", results)
	}
}
