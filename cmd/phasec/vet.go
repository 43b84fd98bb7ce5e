package main

import (
	"github.com/spf13/cobra"
)

// vetFlags are the options of phasec vet.
type vetFlags struct {
	specs  string
	format string
}

func newVetCmd(a *app) *cobra.Command {
	f := &vetFlags{}
	cmd := &cobra.Command{
		Use:   "vet [--specs DIR] [STACK...]",
		Short: "Check specs and the templates they compile to, writing nothing",
		Long: `Vet runs every check that build runs: the schema, the compiler's checks that
span several fields, the structural checks of each compiled template
against CloudFormation's resource schemas and limits, and the security and
compliance rules (README.md, Security and compliance). It lists every finding and every
suppression, and writes nothing. It exits 1 when a rule of severity error
is broken without a suppression, or a suppression is not valid.`,
		Example: `  phasec vet --specs specs
  phasec vet --specs specs --format json ledger-production`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.vet(f, args)
		},
	}
	cmd.Flags().StringVar(&f.specs, "specs", "", "directory of .cue specs (default: the shipped examples)")
	cmd.Flags().StringVar(&f.format, "format", "text", "result format: text or json")
	return cmd
}

// vetResult is the outcome for one stack.
type vetResult struct {
	Stack     string `json:"stack"`
	Resources int    `json:"resources"`
	ruleOutcome
}

func (a *app) vet(f *vetFlags, names []string) error {
	rendered, err := a.compileAndRender(f.specs, f.format, names, true)
	if err != nil {
		return err
	}
	var results []vetResult
	for _, s := range rendered {
		outcome, err := checkRules(s)
		if err != nil {
			return err
		}
		results = append(results, vetResult{Stack: s.Name, Resources: len(s.Template.Resources), ruleOutcome: outcome})
	}
	if f.format == "json" {
		if err := writeJSON(a, results); err != nil {
			return err
		}
	} else {
		printVet(a.stdout, results)
	}
	return vetVerdict(results)
}
