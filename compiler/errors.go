package compiler

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/token"
)

// Error is one problem in a spec, located where the user can fix it: the
// file position of the offending value, its CUE path, what was expected and,
// where the fix is obvious, a hint.
type Error struct {
	// Pos is where the value was written; it is invalid for a field that
	// is missing altogether, where Path is the only location there is.
	Pos token.Pos
	// Also lists further positions that take part in the problem, such as
	// the other side of a conflict between two files.
	Also []token.Pos
	// Path is the CUE path of the value, for example
	// "services.web.environments.production.scaling.minSize".
	Path string
	// Msg says what is wrong and what was expected.
	Msg string
	// Hint says how to fix it, when that is obvious.
	Hint string
}

// Error formats the problem as "file:line:col: path: message", with further
// positions and the hint on indented lines below it.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.IsValid() {
		b.WriteString(formatPos(e.Pos))
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	for _, p := range e.Also {
		b.WriteString("\n    also at ")
		b.WriteString(formatPos(p))
	}
	if e.Hint != "" {
		b.WriteString("\n    hint: ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Errors is every problem found in a spec, in file order. Reporting them all
// at once saves the user a round trip per mistake.
type Errors []*Error

// Error prints one problem per line group.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// formatPos prints a position as file:line:col with a slash-separated,
// machine-independent file name.
func formatPos(p token.Pos) string {
	return fmt.Sprintf("%s:%d:%d", filepath.ToSlash(p.Filename()), p.Line(), p.Column())
}

// fromCUE converts CUE's errors into positioned Errors. CUE reports a value
// at every position that contributed to it, schema lines included; the user
// can only change spec files, so a spec position leads and schema positions
// are dropped. An error with no spec position (a missing field, a bad
// default) is placed at the nearest enclosing value the user wrote, found
// with locate; locate may be nil.
func fromCUE(err error, locate func(path []string) token.Pos) Errors {
	var out Errors
	for _, ce := range errors.Errors(err) {
		format, args := ce.Msg()
		path := ce.Path()
		if len(path) > 0 && path[0] == "#Spec" {
			path = path[1:]
		}
		e := &Error{
			Path: strings.Join(path, "."),
			Msg:  fmt.Sprintf(format, args...),
		}
		for _, p := range errors.Positions(ce) {
			if isSchemaPos(p) {
				continue
			}
			if !e.Pos.IsValid() {
				e.Pos = p
			} else {
				e.Also = append(e.Also, p)
			}
		}
		if !e.Pos.IsValid() && locate != nil {
			e.Pos = locate(path)
		}
		out = append(out, e)
	}
	out = simplify(out)
	for _, e := range out {
		e.Hint = hintFor(e)
	}
	sortErrors(out)
	return out
}

// isSchemaPos reports whether p lies in the embedded schema rather than in a
// file the user wrote.
func isSchemaPos(p token.Pos) bool {
	return strings.HasPrefix(filepath.ToSlash(p.Filename()), schemaPrefix)
}

// sortErrors orders problems by file, line and column, then path, so that the
// report reads top to bottom and is stable from run to run.
func sortErrors(es Errors) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Pos.Filename() != b.Pos.Filename() {
			return a.Pos.Filename() < b.Pos.Filename()
		}
		if a.Pos.Line() != b.Pos.Line() {
			return a.Pos.Line() < b.Pos.Line()
		}
		if a.Pos.Column() != b.Pos.Column() {
			return a.Pos.Column() < b.Pos.Column()
		}
		return a.Path < b.Path
	})
}
