//go:build unix

package sessiontest

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time (user and system, every thread, the garbage collector's
// included) this process has used so far. Benchmarks compare cases by it beside wall time:
// on a shared machine another tenant's load stretches wall time, not CPU time.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
