package record

import (
	"sync"
	"testing"
)

func TestLogKeepsEveryValueFromManyGoroutines(t *testing.T) {
	var l Log[int]
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				l.Emit(g*100 + i)
			}
		}()
	}
	wg.Wait()
	if l.Len() != 800 {
		t.Fatalf("kept %d of 800", l.Len())
	}
	even := l.Where(func(v int) bool { return v%2 == 0 })
	if len(even) != 400 {
		t.Errorf("Where kept %d even values, want 400", len(even))
	}
	all := l.All()
	all[0] = -1
	if l.All()[0] == -1 {
		t.Error("All returned the Log's own slice")
	}
}
