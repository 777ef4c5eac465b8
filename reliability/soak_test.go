package reliability_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lumodash/lumodash/auth/devserver"
	"github.com/lumodash/lumodash/internal/app"
	"github.com/lumodash/lumodash/internal/cli/clitest"
	"github.com/lumodash/lumodash/internal/present"
	"github.com/lumodash/lumodash/session"
)

// soakTurns is LUMODASH_SOAK_TURNS, else 100 (CI size; RELIABILITY.md reports 1,000).
func soakTurns(t *testing.T) int {
	if v := os.Getenv("LUMODASH_SOAK_TURNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("LUMODASH_SOAK_TURNS=%q: want a positive number", v)
		}
		return n
	}
	return 100
}

// TestReliabilitySoak runs many headless sessions (one request each, the seed prompt) in one
// embedded world — devserver, financial MCP server, demo model unpaced — and checks that
// the heap and the goroutine count come back to where they were, and that every transcript
// is complete.
func TestReliabilitySoak(t *testing.T) {
	turns := soakTurns(t)
	env := clitest.NewEnv(t)
	dir := env.Dir
	dev := devserver.DefaultConfig()
	for i := range dev.Agents { // the soak is about lumodash, not about the daily budget
		dev.Agents[i].Budget.MaxTokensPerDay, dev.Agents[i].Budget.MaxAPICallsPerHour = 0, 0
	}
	devYAML, err := yaml.Marshal(dev)
	if err != nil {
		t.Fatal(err)
	}
	devPath, cfgPath := filepath.Join(dir, "devserver.yaml"), filepath.Join(dir, "lumodash.yaml")
	if err := os.WriteFile(devPath, devYAML, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgPath, []byte("devserver: "+devPath+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tr := filepath.Join(dir, "soak", "s.jsonl")
	s := app.DefaultSettings(env.Getenv)
	s.ConfigPath, s.EnvFile, s.Session.Transcript, s.Session.DemoPace = cfgPath, env.NoEnvFile(), tr, 0
	w, err := app.Open(context.Background(), s, app.ScopeSessions)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer w.Bus.Subscribe(present.NewPlainPrinter(io.Discard))()

	session1 := func(i int) {
		r, err := w.NewRunner("")
		if err != nil {
			t.Fatal(err)
		}
		out := session.OutcomeError
		if err := r.Start(context.Background()); err == nil {
			out = r.Ask(context.Background(), seedPrompt)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		events, err := session.ReadTranscript(r.TranscriptPath())
		if err != nil || out != session.OutcomeOK || len(events) < 10 ||
			events[0].Kind != session.KindSessionStart || events[len(events)-1].Kind != session.KindSessionFinish ||
			lastOf(events, session.KindRequestFinish).Outcome != session.OutcomeOK {
			t.Fatalf("turn %d: outcome %s, %d events, %v", i, out, len(events), err)
		}
		_ = os.Remove(r.TranscriptPath())
	}
	const warmup = 10
	for i := range warmup {
		session1(i)
	}
	heapBefore, goBefore := settle()
	start := time.Now()
	for i := range turns {
		session1(warmup + i)
	}
	took := time.Since(start)
	heapAfter, goAfter := settle()
	t.Logf("observed: %d turns in %s (%.1f ms/turn); heap %.1f → %.1f MiB; goroutines %d → %d",
		turns, took.Round(time.Millisecond), float64(took.Milliseconds())/float64(turns),
		float64(heapBefore)/(1<<20), float64(heapAfter)/(1<<20), goBefore, goAfter)
	if goAfter > goBefore+3 {
		t.Errorf("goroutines %d → %d: a leak", goBefore, goAfter)
	}
	if heapAfter > heapBefore+heapBefore/2+4<<20 {
		t.Errorf("heap %d → %d bytes: not flat", heapBefore, heapAfter)
	}
}

// settle collects garbage and lets finished goroutines exit, then reads heap and goroutines.
func settle() (heap uint64, goroutines int) {
	var ms runtime.MemStats
	n := runtime.NumGoroutine()
	for range 20 { // idle keep-alive connections close on their own timers
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
		if m := runtime.NumGoroutine(); m >= n {
			break
		} else {
			n = m
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, runtime.NumGoroutine()
}
