package parallel

import (
	"sync/atomic"
	"testing"
)

// TestFor checks that every index is done exactly once, for any n.
func TestFor(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 100} {
		counts := make([]atomic.Int32, n)
		For(n, func(i int) { counts[i].Add(1) })
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Errorf("n=%d: index %d done %d times", n, i, c)
			}
		}
	}
}
