package main

import (
	"os"
	"runtime/debug"
)

// batchGCPercent is the garbage collector's target for phasec: a command
// runs once, and keeps little alive next to what CUE evaluation and
// rendering allocate, so collecting half as often as Go's default (100)
// saves about a tenth of the CPU time of a large build for about a
// quarter more memory (README.md, Performance).
const batchGCPercent = 200

// tuneGC sets batchGCPercent unless GOGC in the environment says
// otherwise, which always wins.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(batchGCPercent)
	}
}
