package compiler

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/phasec/phasec/schema"
	"github.com/phasec/phasec/specs"
)

// schemaPrefix names the embedded schema files in positions, so that error
// messages read the same on every machine.
const schemaPrefix = "schema/"

// ShippedSpecsName is how positions name the embedded example specs.
const ShippedSpecsName = "specs"

// LoadShipped loads the example specs embedded in the binary.
func LoadShipped() (*Spec, error) {
	return LoadFS(specs.Files, ShippedSpecsName)
}

// LoadDir loads every .cue file directly inside dir. Positions in errors
// name files as dir/file.cue, the way the user wrote dir.
func LoadDir(dir string) (*Spec, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("specs directory: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("specs directory: %s is not a directory", dir)
	}
	return LoadFS(os.DirFS(dir), filepath.ToSlash(filepath.Clean(dir)))
}

// LoadFS loads every .cue file at the root of fsys, checks it against the
// schema, applies the tier defaults, runs the checks that span several
// fields, and decodes the result. displayDir prefixes file names in
// positions. The error, if any, is an Errors list.
//
// Services and baselines are evaluated one by one, in parallel (see
// evaluateParts); whenever that does not give a checked spec, the whole
// directory is evaluated at once, which is what reports the errors.
func LoadFS(fsys fs.FS, displayDir string) (*Spec, error) {
	sources, err := readSpecSources(fsys, displayDir)
	if err != nil {
		return nil, err
	}
	files, err := sources.parse()
	if err != nil {
		return nil, err
	}
	ctx := cuecontext.New()
	data, err := buildData(ctx, displayDir, files)
	if err != nil {
		return nil, err
	}
	spec, ok := evaluateParts(sources, ctx, data)
	if !ok {
		root, err := evaluateWhole(ctx, data)
		if err != nil {
			return nil, err
		}
		if spec, err = decode(root, data); err != nil {
			return nil, err
		}
	}
	if errs := validate(spec); len(errs) > 0 {
		sortErrors(errs)
		return nil, errs
	}
	return spec, nil
}

// evaluate parses the .cue files of fsys, unifies them with the schema and
// validates the result all at once, as LoadFS does when the parts fail.
// data is what the user wrote, without the schema, for positions.
func evaluate(fsys fs.FS, displayDir string) (root, data cue.Value, err error) {
	sources, err := readSpecSources(fsys, displayDir)
	if err != nil {
		return cue.Value{}, cue.Value{}, err
	}
	files, err := sources.parse()
	if err != nil {
		return cue.Value{}, cue.Value{}, err
	}
	ctx := cuecontext.New()
	if data, err = buildData(ctx, displayDir, files); err != nil {
		return cue.Value{}, cue.Value{}, err
	}
	root, err = evaluateWhole(ctx, data)
	return root, data, err
}

// evaluateWhole unifies the user's data with the schema and validates the
// result, which is then complete and concrete.
func evaluateWhole(ctx *cue.Context, data cue.Value) (cue.Value, error) {
	schemaDef, err := compiledSchema(ctx)
	if err != nil {
		return cue.Value{}, err
	}
	if schemaDef, err = withRaw(schemaDef, data); err != nil {
		return cue.Value{}, err
	}
	locate := func(path []string) token.Pos { return nearestPos(data, path) }
	root := schemaDef.Unify(data)
	if err := root.Validate(cue.Concrete(true), cue.Final()); err != nil {
		return cue.Value{}, fromCUE(err, locate)
	}
	return root, nil
}

// withRaw hands the user's data to the schema as #Spec._raw, where the
// schema reads what the spec files say on their own.
func withRaw(schemaDef, data cue.Value) (cue.Value, error) {
	raw, err := rawPath(schemaDef)
	if err != nil {
		return cue.Value{}, err
	}
	return schemaDef.FillPath(raw, data), nil
}

// rawPath is the path of #Spec._raw. A hidden field belongs to its
// package, so its selector is taken from the schema itself.
func rawPath(schemaDef cue.Value) (cue.Path, error) {
	iter, err := schemaDef.Fields(cue.Hidden(true))
	if err != nil {
		return cue.Path{}, fmt.Errorf("embedded schema: %w", err)
	}
	for iter.Next() {
		if sel := iter.Selector(); sel.LabelType() == cue.HiddenLabel && sel.String() == "_raw" {
			return cue.MakePath(sel), nil
		}
	}
	return cue.Path{}, fmt.Errorf("embedded schema: #Spec has no _raw field")
}

// buildData builds the user's files as one CUE instance, without the
// schema.
func buildData(ctx *cue.Context, displayDir string, files []*ast.File) (cue.Value, error) {
	inst := build.NewContext().NewInstance(displayDir, nil)
	for _, f := range files {
		if err := inst.AddSyntax(f); err != nil {
			return cue.Value{}, fromCUE(err, nil)
		}
	}
	data := ctx.BuildInstance(inst)
	if err := data.Err(); err != nil {
		return cue.Value{}, fromCUE(err, nil)
	}
	return data, nil
}

// specSources are the .cue files of a spec directory, read once. Each
// evaluation parses its own syntax trees from them: CUE annotates the
// trees it builds from, so goroutines cannot share them.
type specSources struct {
	displayDir string
	// names are the files' names in positions (displayDir/file.cue), in
	// name order.
	names []string
	srcs  [][]byte
}

// readSpecSources reads the .cue files at the root of fsys.
func readSpecSources(fsys fs.FS, displayDir string) (*specSources, error) {
	names, err := fs.Glob(fsys, "*.cue")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Errors{{
			Msg:  fmt.Sprintf("no .cue files in %s", displayDir),
			Hint: "point --specs at the directory that holds your service specs",
		}}
	}
	sort.Strings(names)
	s := &specSources{displayDir: displayDir}
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		s.names = append(s.names, path.Join(displayDir, name))
		s.srcs = append(s.srcs, src)
	}
	return s, nil
}

// parse parses every file. Every syntax error of every file is reported,
// not just the first.
func (s *specSources) parse() ([]*ast.File, error) {
	var files []*ast.File
	var errs errors.Error
	for i, name := range s.names {
		f, err := parser.ParseFile(name, s.srcs[i], parser.ParseComments)
		if err != nil {
			errs = errors.Append(errs, errors.Promote(err, "syntax error"))
			continue
		}
		files = append(files, f)
	}
	if errs != nil {
		return nil, fromCUE(errs, nil)
	}
	return files, nil
}

// schemaSources is the embedded schema's source, read once. Only the
// bytes are shared: CUE annotates the syntax trees it builds from, so each
// load parses its own (sharing them made concurrent loads race).
var schemaSources = sync.OnceValues(func() (map[string][]byte, error) {
	names, err := fs.Glob(schema.Files, "*.cue")
	if err != nil {
		return nil, err
	}
	srcs := map[string][]byte{}
	for _, name := range names {
		src, err := fs.ReadFile(schema.Files, name)
		if err != nil {
			return nil, err
		}
		srcs[name] = src
	}
	return srcs, nil
})

// parseSchema parses the embedded schema under stable file names.
func parseSchema() ([]*ast.File, error) {
	srcs, err := schemaSources()
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range sortedKeys(srcs) {
		f, err := parser.ParseFile(schemaPrefix+name, srcs[name], parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("embedded schema: %w", err)
		}
		files = append(files, f)
	}
	return files, nil
}

// compiledSchema builds the embedded schema in ctx and returns #Spec.
func compiledSchema(ctx *cue.Context) (cue.Value, error) {
	files, err := parseSchema()
	if err != nil {
		return cue.Value{}, err
	}
	inst := build.NewContext().NewInstance("schema", nil)
	for _, f := range files {
		if err := inst.AddSyntax(f); err != nil {
			return cue.Value{}, fmt.Errorf("embedded schema: %w", err)
		}
	}
	v := ctx.BuildInstance(inst)
	if err := v.Err(); err != nil {
		return cue.Value{}, fmt.Errorf("embedded schema: %w", err)
	}
	def := v.LookupPath(cue.ParsePath("#Spec"))
	if err := def.Err(); err != nil {
		return cue.Value{}, fmt.Errorf("embedded schema: %w", err)
	}
	return def, nil
}

// fieldPos locates the value at path p in the files the user wrote.
func (s *Spec) fieldPos(p cue.Path) *Error {
	return &Error{Path: p.String(), Pos: nearestPos(s.data, pathStrings(p))}
}

// nearestPos finds where the value at path was written in the user's
// files. A value that only the schema supplied (a default, or a field left
// out) has no position of its own, so the nearest enclosing value the user
// did write stands in for it.
func nearestPos(data cue.Value, path []string) token.Pos {
	for n := len(path); n > 0; n-- {
		v := data.LookupPath(cue.ParsePath(strings.Join(path[:n], ".")))
		if pos := v.Pos(); v.Exists() && pos.IsValid() {
			return pos
		}
	}
	return token.NoPos
}

// pathStrings splits a cue.Path into the quoted selector strings that CUE
// errors use.
func pathStrings(p cue.Path) []string {
	sels := p.Selectors()
	out := make([]string, len(sels))
	for i, s := range sels {
		out[i] = s.String()
	}
	return out
}

// errorAt builds a positioned Error for the value at path p.
func (s *Spec) errorAt(p cue.Path, hint, format string, args ...any) *Error {
	e := s.fieldPos(p)
	e.Msg = fmt.Sprintf(format, args...)
	e.Hint = hint
	return e
}
