// Package parallel spreads independent work over every CPU. phasec's
// stacks are independent from compiling to checking, and results are
// always put back in order, so parallelism never shows in the output.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls do(0) ... do(n-1), each exactly once, on as many goroutines
// as there are CPUs, and returns when all have returned. do must only
// write what belongs to its index.
func For(n int, do func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				do(i)
			}
		})
	}
	wg.Wait()
}
