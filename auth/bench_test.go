package auth

import (
	"context"
	"testing"
)

// Both benchmarks run against a recording server and fail if the measured loop made any
// request: the cached paths must stay off the network.

func BenchmarkHasCapabilityCached(b *testing.B) {
	f := newFakeServer(b)
	a, err := New(testConfig(f, true), WithHook(func(Report) {}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.Info(ctx); err != nil {
		b.Fatal(err)
	}
	before := f.count("")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if ok, err := a.HasCapability(ctx, "mcp:financial"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	b.StopTimer()
	if n := f.count("") - before; n != 0 {
		b.Fatalf("%d requests during cached capability checks", n)
	}
}

func BenchmarkExchangeCacheHit(b *testing.B) {
	f := newFakeServer(b)
	a, err := New(testConfig(f, true), WithHook(func(Report) {}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.Exchange(ctx, financial); err != nil {
		b.Fatal(err)
	}
	before := f.count("")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c, err := a.Exchange(ctx, financial)
		if err != nil || !c.Cached {
			b.Fatal(c, err)
		}
	}
	b.StopTimer()
	if n := f.count("") - before; n != 0 {
		b.Fatalf("%d requests during exchange cache hits", n)
	}
}
