package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/phasec/phasec/compiler"
	"github.com/phasec/phasec/internal/atomicwrite"
)

// buildFlags are the options of phasec build.
type buildFlags struct {
	specs  string
	out    string
	format string
}

func newBuildCmd(a *app) *cobra.Command {
	f := &buildFlags{}
	cmd := &cobra.Command{
		Use:   "build [--specs DIR] [--out DIR] [STACK...]",
		Short: "Compile specs into CloudFormation templates under out/<service>/<env>.json",
		Long: `Build checks the specs against the schema, compiles every (service, environment)
pair, or only the named stacks, into a CloudFormation template and writes
OUT/<service>/<environment>.json (account baselines to
OUT/baseline/<name>.json). Nothing is written unless every stack compiles
and passes the security and compliance rules: an error finding without a
suppression fails the build; warnings are printed to stderr.

Without --specs, the example specs shipped in the binary are compiled.`,
		Example: `  phasec build --specs specs --out out
  phasec build --specs specs storefront-production`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.build(f, args)
		},
	}
	cmd.Flags().StringVar(&f.specs, "specs", "", "directory of .cue specs (default: the shipped examples)")
	cmd.Flags().StringVar(&f.out, "out", "out", "directory to write templates into")
	cmd.Flags().StringVar(&f.format, "format", "text", "summary format: text or json")
	return cmd
}

// builtStack is one line of the build summary.
type builtStack struct {
	Stack     string `json:"stack"`
	Path      string `json:"path"`
	Resources int    `json:"resources"`
	Bytes     int    `json:"bytes"`
	ruleOutcome
}

func (a *app) build(f *buildFlags, names []string) error {
	rendered, err := a.compileAndRender(f.specs, f.format, names, true)
	if err != nil {
		return err
	}
	// The security and compliance rules run before anything is written:
	// an unsuppressed error finding blocks the whole build.
	outcomes, err := checkBuildRules(a, rendered)
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	var summary []builtStack
	total := 0
	for i, s := range rendered {
		p := compiler.GoldenPath(f.out, s.Stack)
		files[p] = s.body
		n := len(s.Template.Resources)
		total += n
		summary = append(summary, builtStack{Stack: s.Name, Path: filepath.ToSlash(p), Resources: n, Bytes: len(s.body), ruleOutcome: outcomes[i]})
	}
	if err := atomicwrite.Files(files); err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(a, summary)
	}
	for _, s := range summary {
		fmt.Fprintf(a.stdout, "%-28s %4d resources  %s\n", s.Stack, s.Resources, s.Path)
	}
	fmt.Fprintf(a.stdout, "built %d stacks, %d resources\n", len(summary), total)
	return nil
}

// checkFormat rejects an unknown --format before any work is done.
func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return fmt.Errorf("unknown --format %q: use text or json", format)
	}
	return nil
}

// writeJSON prints v as indented JSON for machines.
func writeJSON(a *app, v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
