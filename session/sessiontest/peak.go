package sessiontest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Environment of a peak-memory child process.
const (
	envPeakCase = "LUMODASH_PEAK_CASE"
	envPeakFile = "LUMODASH_PEAK_FILE"
)

// PeakRSS runs the test binary again, running only the test named test, with the case and
// file PeakCase returns there, and returns the child's peak resident set (VmHWM) in MiB:
// a process of its own, so that nothing the benchmark itself allocated counts.
func PeakRSS(tb testing.TB, test, kase, file string) float64 {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envPeakCase+"="+kase, envPeakFile+"="+file)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("peak child %s: %v\n%s", kase, err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if kb, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "VmHWM:"); ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 64)
			if err != nil {
				tb.Fatalf("peak child %s: %q: %v", kase, kb, err)
			}
			return n / 1024
		}
	}
	tb.Fatalf("peak child %s printed no VmHWM line:\n%s", kase, out)
	return 0
}

// PeakCase is what a PeakRSS child runs (kase "" when the test is not such a child).
func PeakCase() (kase, file string) { return os.Getenv(envPeakCase), os.Getenv(envPeakFile) }

// PrintPeakRSS writes this process's VmHWM line from /proc/self/status to stdout, for the
// parent to read: the child's last act.
func PrintPeakRSS(tb testing.TB) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Fatal(err)
	}
	for l := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			fmt.Println(l)
			return
		}
	}
	tb.Fatal("no VmHWM in /proc/self/status")
}
