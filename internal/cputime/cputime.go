// Package cputime adds CPU time to benchmark results. On a shared machine
// wall time varies with other people's work; the CPU time a run takes
// varies much less, and it also shows what parallelism costs.
package cputime

import (
	"syscall"
	"testing"
	"time"
)

// Report starts counting; the function it returns, deferred, reports the
// process's CPU time per iteration (user and system, every thread, the
// garbage collector's included) as cpu-ns/op.
func Report(b *testing.B) func() {
	start := process(b)
	return func() {
		b.ReportMetric(float64((process(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func process(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
