// Package specs ships the example specs that `phasec build` compiles when no
// --specs directory is given, and that the golden files lock.
package specs

import "embed"

// Files holds the shipped .cue specs.
//
//go:embed *.cue
var Files embed.FS
