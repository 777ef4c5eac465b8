// Command cpuspread measures the CPU spread of `lumodash run` on the seed prompt (issue 16
// item 1): N runs with the signing key stored in the state directory and N with
// --ephemeral-key, interleaved so both see the same load. Each run's CPU is its user+sys time
// from the kernel's rusage (µs resolution; /usr/bin/time rounds to 10 ms).
//
//	go run ./.ci/cpuspread [-n 10]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

const seedPrompt = "Search documents for Q3 performance, then query the financial MCP for EBITDA."

func main() {
	n := flag.Int("n", 10, "runs of each kind")
	flag.Parse()
	if err := measure(*n); err != nil {
		fmt.Fprintln(os.Stderr, "cpuspread:", err)
		os.Exit(1)
	}
}

func measure(n int) error {
	tmp, err := os.MkdirTemp("", "cpuspread")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "lumodash")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	env := append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(tmp, "state"), "HOME="+tmp, "LUMODASH_EPHEMERAL_KEY=")
	run := func(extra ...string) (time.Duration, error) {
		args := append([]string{"run", "--env-file", os.DevNull}, extra...)
		cmd := exec.Command(bin, append(args, seedPrompt)...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("lumodash %v: %v\n%s", args, err, out)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
	}
	if _, err := run(); err != nil { // the first run makes the stored key
		return err
	}
	var stored, ephemeral []time.Duration
	for range n {
		s, err := run()
		if err != nil {
			return err
		}
		e, err := run("--ephemeral-key")
		if err != nil {
			return err
		}
		stored, ephemeral = append(stored, s), append(ephemeral, e)
	}
	report("stored", stored)
	report("ephemeral", ephemeral)
	return nil
}

func report(kind string, cpu []time.Duration) {
	slices.Sort(cpu)
	var sum time.Duration
	for _, c := range cpu {
		sum += c
	}
	lo, hi := cpu[0], cpu[len(cpu)-1]
	fmt.Printf("%-9s %d runs: user+sys min %v, max %v, mean %v, max/min %.2f\n", kind, len(cpu),
		lo.Round(time.Millisecond), hi.Round(time.Millisecond), (sum / time.Duration(len(cpu))).Round(time.Millisecond), float64(hi)/float64(lo))
}
