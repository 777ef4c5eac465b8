package cli_test

import (
	"context"
	"runtime/pprof"
	"testing"

	"github.com/lumodash/lumodash/internal/cli"
	"github.com/lumodash/lumodash/internal/cli/clitest"
)

// BenchmarkRunSeed is `lumodash run` on the seed prompt with the signing key stored (made by a
// first run before the loop) and with --ephemeral-key, interleaved. The loop's runs carry the
// pprof label key=stored|ephemeral, so a CPU profile shows where each kind's time goes:
//
//	go test -run '^$' -bench RunSeed -cpuprofile cpu.out ./internal/cli/
//	go tool pprof -tagfocus key=stored -focus rsa.GenerateKey -top cpu.out   # nothing: no key generated
func BenchmarkRunSeed(b *testing.B) {
	env := clitest.NewEnv(b)
	run := func(args ...string) {
		if r := env.Run("", append([]string{"run", "--demo-pace", "0"}, append(args, clitest.SeedPrompt)...)...); r.Code != cli.ExitOK {
			b.Fatalf("run %v: exit %d: %s", args, r.Code, r.Stderr)
		}
	}
	run() // makes the stored key
	for b.Loop() {
		pprof.Do(context.Background(), pprof.Labels("key", "stored"), func(context.Context) { run() })
		pprof.Do(context.Background(), pprof.Labels("key", "ephemeral"), func(context.Context) { run("--ephemeral-key") })
	}
}
