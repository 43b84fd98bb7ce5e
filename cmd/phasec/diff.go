package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/phasec/phasec/compiler"
	"github.com/phasec/phasec/templatediff"
)

// diffFlags are the options of phasec diff.
type diffFlags struct {
	specs            string
	golden           string
	format           string
	detailedExitcode bool
}

func newDiffCmd(a *app) *cobra.Command {
	f := &diffFlags{}
	cmd := &cobra.Command{
		Use:   "diff [--specs DIR] [--golden DIR] [STACK...]",
		Short: "Show how the built templates differ from their golden files, resource by resource",
		Long: `Diff compiles the specs and compares each template with its locked golden file:
which resources are added (+), removed (-) or modified (~), and which
property paths changed inside each. It is what a reviewer will see in the
golden diff of a pull request, before running make golden.

With --detailed-exitcode, diff exits 2 when anything differs.`,
		Example: `  phasec diff --specs specs
  phasec diff --specs specs --detailed-exitcode storefront-production`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.diff(f, args)
		},
	}
	cmd.Flags().StringVar(&f.specs, "specs", "", "directory of .cue specs (default: the shipped examples)")
	cmd.Flags().StringVar(&f.golden, "golden", "golden", "directory of golden files")
	cmd.Flags().StringVar(&f.format, "format", "text", "result format: text or json")
	cmd.Flags().BoolVar(&f.detailedExitcode, "detailed-exitcode", false, "exit 2 when a template differs from its golden file")
	return cmd
}

// stackDiff is the comparison of one stack with its golden file.
type stackDiff struct {
	Stack   string                `json:"stack"`
	Golden  string                `json:"golden"`
	New     bool                  `json:"new,omitempty"`
	Changes []templatediff.Change `json:"changes"`
}

func (a *app) diff(f *diffFlags, names []string) error {
	rendered, err := a.compileAndRender(f.specs, f.format, names, false)
	if err != nil {
		return err
	}
	var diffs []stackDiff
	differs := false
	for _, s := range rendered {
		d := stackDiff{Stack: s.Name, Golden: filepath.ToSlash(compiler.GoldenPath(f.golden, s.Stack)), Changes: []templatediff.Change{}}
		locked, err := os.ReadFile(compiler.GoldenPath(f.golden, s.Stack))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			d.New = true
			locked = []byte("{}")
		case err != nil:
			return err
		}
		changes, err := templatediff.Diff(locked, s.body)
		if err != nil {
			return fmt.Errorf("%s: %w", d.Golden, err)
		}
		if changes != nil {
			d.Changes = changes
		}
		differs = differs || d.New || len(changes) > 0
		diffs = append(diffs, d)
	}
	if f.format == "json" {
		if err := writeJSON(a, diffs); err != nil {
			return err
		}
	} else {
		for _, d := range diffs {
			printStackDiff(a.stdout, d)
		}
	}
	if differs && f.detailedExitcode {
		return &exitCodeError{code: exitChanges}
	}
	return nil
}

// printStackDiff writes one stack's changes for a human reader.
func printStackDiff(w io.Writer, d stackDiff) {
	switch {
	case d.New:
		fmt.Fprintf(w, "%s: new stack, no golden file at %s (%d resources)\n", d.Stack, d.Golden, countResources(d.Changes))
		return
	case len(d.Changes) == 0:
		fmt.Fprintf(w, "%s: matches %s\n", d.Stack, d.Golden)
		return
	}
	fmt.Fprintf(w, "%s: %d changes against %s\n", d.Stack, len(d.Changes), d.Golden)
	for _, c := range d.Changes {
		label := c.Section
		if c.ID != "" {
			label = c.Section + "." + c.ID
		}
		if c.Type != "" {
			label += " (" + c.Type + ")"
		}
		fmt.Fprintf(w, "  %s %s\n", c.Action, label)
		for _, p := range c.Paths {
			fmt.Fprintf(w, "      %s: %s → %s\n", p.Path, short(p.Old), short(p.New))
		}
	}
}

func countResources(changes []templatediff.Change) int {
	n := 0
	for _, c := range changes {
		if c.Section == "Resources" {
			n++
		}
	}
	return n
}

// short renders a value on one line, cut to keep the listing readable.
func short(v any) string {
	if v == nil {
		return "(none)"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const max = 100
	if len(b) > max {
		return string(b[:max-1]) + "…"
	}
	return string(b)
}
