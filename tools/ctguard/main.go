// Command ctguard checks CloudFormation templates with the AWS Control Tower
// proactive controls' own Guard rules, run the way Control Tower runs them:
// as a CloudFormation hook, which sees one resource at a time with its
// intrinsic functions resolved. See README.md.
//
//	go run ./tools/ctguard [--verbose] [--coverage] [--tool-dir DIR] TEMPLATE...
//
// It prints every failure no suppression of the template covers as
//
//	FILE: LogicalId: CT.X.PR.n: message (rule file)
//
// and exits 0 when there is none, 1 when there is one, and 2 when it cannot
// check at all (the pinned package or its cfn-guard binary is missing or of
// another version, a template cannot be read or resolved).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// packageName is the npm package that ships the Control Tower Guard rules
// and the cfn-guard binary; tools/ctguard/package.json pins its version.
const packageName = "@cdklabs/cdk-validator-cfnguard"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, with its output streams, returning the exit
// status; the tests call it as main does.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("ctguard", flag.ContinueOnError)
	flags.SetOutput(stderr)
	verbose := flags.Bool("verbose", false, "also print the findings suppressions cover, suppressions that covered none, and what the emulation assumed")
	coverage := flags.Bool("coverage", false, "print, per control, how many resources passed, failed and skipped")
	toolDir := flags.String("tool-dir", filepath.Join("tools", "ctguard"), "the folder with package.json and node_modules")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: ctguard [--verbose] [--coverage] [--tool-dir DIR] TEMPLATE...")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	g, controls, err := setup(*toolDir)
	if err != nil {
		fmt.Fprintln(stderr, "ctguard:", err)
		return 2
	}
	res, err := check(g, controls, flags.Args())
	if err != nil {
		fmt.Fprintln(stderr, "ctguard:", err)
		return 2
	}
	failed := report(res, stdout, stderr, *verbose, *coverage, len(flags.Args()))
	if failed > 0 {
		return 1
	}
	return 0
}

// setup finds the pinned package under toolDir/node_modules, checks that it
// is the version package.json pins and that its cfn-guard is guardVersion,
// and loads its Control Tower rules.
func setup(toolDir string) (guard, []control, error) {
	pin, err := pinnedVersion(toolDir)
	if err != nil {
		return guard{}, nil, err
	}
	pkg := filepath.Join(toolDir, "node_modules", filepath.FromSlash(packageName))
	installed, err := packageVersion(pkg)
	if errors.Is(err, os.ErrNotExist) {
		return guard{}, nil, fmt.Errorf("%s is not installed: run npm ci in %s", packageName, toolDir)
	}
	if err != nil {
		return guard{}, nil, err
	}
	if installed != pin {
		return guard{}, nil, fmt.Errorf("%s %s is installed, package.json pins %s: run npm ci in %s", packageName, installed, pin, toolDir)
	}
	bin, err := guardBinary(pkg)
	if err != nil {
		return guard{}, nil, err
	}
	g := guard{bin: bin}
	if err := g.checkVersion(); err != nil {
		return guard{}, nil, err
	}
	controls, err := loadControls(pkg)
	if err != nil {
		return guard{}, nil, err
	}
	return g, controls, nil
}

// pinnedVersion reads the exact version toolDir/package.json pins.
func pinnedVersion(toolDir string) (string, error) {
	body, err := os.ReadFile(filepath.Join(toolDir, "package.json"))
	if err != nil {
		return "", err
	}
	var meta struct{ Dependencies map[string]string }
	if err := json.Unmarshal(body, &meta); err != nil {
		return "", fmt.Errorf("%s/package.json: %w", toolDir, err)
	}
	v := meta.Dependencies[packageName]
	if v == "" {
		return "", fmt.Errorf("%s/package.json does not depend on %s", toolDir, packageName)
	}
	return v, nil
}

// report prints the result and returns the number of failures no
// suppression covers.
func report(res *result, stdout, stderr io.Writer, verbose, coverage bool, templates int) int {
	failed, suppressed := 0, 0
	for _, f := range res.Findings {
		if f.Suppression == nil {
			failed++
			fmt.Fprintf(stdout, "%s: %s: %s: %s (%s)\n", f.File, f.Resource, f.Control, f.Message, f.RuleFile)
		}
	}
	for _, f := range res.Findings {
		if f.Suppression != nil {
			suppressed++
			if verbose {
				fmt.Fprintf(stdout, "%s: %s: %s: suppressed by %s: %s\n", f.File, f.Resource, f.Control, f.Suppression.Rule, f.Suppression.Reason)
			}
		}
	}
	for _, n := range res.Notes {
		if !n.Verbose || verbose {
			fmt.Fprintf(stdout, "%s: %s\n", n.File, n.Text)
		}
	}
	if coverage {
		ids := make([]string, 0, len(res.Tallies))
		for id := range res.Tallies {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return lessControlID(ids[i], ids[j]) })
		for _, id := range ids {
			t := res.Tallies[id]
			fmt.Fprintf(stdout, "coverage: %s: %d passed, %d failed, %d skipped\n", id, t.pass, t.fail, t.skip)
		}
	}
	fmt.Fprintf(stderr, "ctguard: %d templates, %d resources (%d of types no control names), %d evaluations in %d cfn-guard runs: %d failures, %d suppressed\n",
		templates, res.Resources, res.Unchecked, res.Evaluations, res.GuardRuns, failed, suppressed)
	return failed
}
