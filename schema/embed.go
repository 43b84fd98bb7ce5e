// Package schema embeds the CUE schema that every spec is checked against.
// The .cue files are the single source of truth for fields, constraints and
// tier defaults; Go code only decodes what they have already validated.
package schema

import "embed"

// Files holds the schema's .cue files, compiled under stable names
// ("schema/<file>") so that error positions never depend on the machine.
//
//go:embed *.cue
var Files embed.FS
