package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/phasec/phasec/deploy"
)

// applyFlags are the options of phasec apply.
type applyFlags struct {
	deployFlags
	autoApprove bool
	watch       bool
}

func newApplyCmd(a *app) *cobra.Command {
	f := &applyFlags{}
	cmd := &cobra.Command{
		Use:   "apply [PLAN | STACK...]",
		Short: "Execute reviewed change sets and stream the stacks' progress until they are done",
		Long: `Apply deploys stacks through CloudFormation change sets.

With a plan file (from phasec plan -o), it executes exactly that plan's
change sets, after checking that each can still be executed, that the
templates and parameters compiled now are the ones planned, and that the
credentials belong to the account of every stack pinned to one (an
account baseline's); if any check fails, nothing is executed. Without a plan file, it plans the named stacks
(or all), shows the plan and asks for confirmation; --auto-approve skips
the question, and is required when stdin is not a terminal.

While CloudFormation works, every stack event is printed to stderr, one
line each. On failure, apply prints the root cause (the first failure of
each failed resource) and the final status, and exits 1. On success it
prints the stacks' outputs and turns termination protection on for
production stacks.

Ctrl-C stops watching but cancels nothing: CloudFormation carries on, and
"phasec apply --watch STACK" (or applying the same plan again) resumes
watching. Exit status: 0 applied, 1 error or failure, 130 interrupted.`,
		Example: `  phasec apply plan.json
  phasec apply --specs specs --auto-approve storefront-staging
  phasec apply --watch storefront-production --region us-east-1`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.apply(cmd.Context(), f, args)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "apply without asking for confirmation")
	cmd.Flags().BoolVar(&f.watch, "watch", false, "only watch the named stacks until CloudFormation is done with them")
	return cmd
}

func (a *app) apply(ctx context.Context, f *applyFlags, args []string) error {
	if err := checkFormat(f.format); err != nil {
		return err
	}
	switch {
	case f.watch:
		return a.watch(ctx, f, args)
	case len(args) == 1 && isPlanFile(args[0]):
		return a.applyPlanFile(ctx, f, args[0])
	}
	for _, arg := range args {
		if isPlanFile(arg) {
			return fmt.Errorf("%s: give either one plan file or stack names, not both", arg)
		}
	}
	if !f.autoApprove && !isTerminal(a.stdin) {
		return errors.New("apply without a plan file asks for confirmation, but stdin is not a terminal: " +
			"pass --auto-approve, or review with phasec plan -o plan.json and then run phasec apply plan.json")
	}
	stacks, err := a.lockedStacks(&f.deployFlags, args)
	if err != nil {
		return err
	}
	d, err := a.deployer(&f.deployFlags)
	if err != nil {
		return err
	}
	plan, err := a.makePlan(ctx, d, stacks)
	if err != nil {
		return err
	}
	deploy.WritePlan(a.stdout, plan, useColor(a.stdout))
	if !plan.HasChanges() {
		return nil
	}
	if !f.autoApprove && !a.confirm() {
		if err := d.Discard(context.WithoutCancel(ctx), plan); err != nil {
			return err
		}
		return errors.New("apply cancelled; the change sets were deleted")
	}
	return a.execute(ctx, f, d, plan, stacks)
}

// isPlanFile tells a plan file from a stack name: stack names have no dots
// or slashes.
func isPlanFile(arg string) bool {
	if strings.HasSuffix(arg, ".json") || strings.ContainsAny(arg, `/\`) {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && fi.Mode().IsRegular()
}

// confirm asks on stderr and reads the answer from stdin.
func (a *app) confirm() bool {
	fmt.Fprint(a.stderr, "\nApply these changes? Only 'yes' is accepted: ")
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}

func (a *app) applyPlanFile(ctx context.Context, f *applyFlags, path string) error {
	plan, err := deploy.ReadPlanFile(path)
	if err != nil {
		return err
	}
	var names []string
	for _, s := range plan.Stacks {
		names = append(names, s.Stack)
	}
	stacks, err := a.lockedStacks(&f.deployFlags, names)
	if err != nil {
		return err
	}
	d, err := a.deployer(&f.deployFlags)
	if err != nil {
		return err
	}
	return a.execute(ctx, f, d, plan, stacks)
}

// execute applies a plan and reports the results.
func (a *app) execute(ctx context.Context, f *applyFlags, d *deploy.Deployer, plan *deploy.Plan, stacks []deploy.Stack) error {
	results, err := d.Apply(ctx, plan, stacks)
	return a.report(ctx, f.format, results, err)
}

// report prints results and maps an interrupt to exit status 130.
func (a *app) report(ctx context.Context, format string, results []deploy.Result, err error) error {
	if results != nil {
		if format == "json" {
			if jerr := writeJSON(a, results); jerr != nil {
				return jerr
			}
		} else {
			deploy.WriteResults(a.stdout, results)
		}
	}
	var interrupted *deploy.InterruptedError
	switch {
	case errors.As(err, &interrupted):
		return &exitCodeError{code: exitInterrupted, err: err}
	case err != nil && ctx.Err() != nil:
		return &exitCodeError{code: exitInterrupted, err: fmt.Errorf("interrupted: %w", err)}
	}
	return err
}

// watch follows stacks CloudFormation is working on (after an interrupted
// apply, say). Their region is --region, or their spec's; a production
// stack that ends well gets the termination protection the interrupted
// apply would have turned on.
func (a *app) watch(ctx context.Context, f *applyFlags, names []string) error {
	if len(names) == 0 {
		return errors.New("--watch needs the names of the stacks to watch")
	}
	known := map[string]deploy.Target{}
	compiled, err := a.compile(f.specs, names)
	switch {
	case err == nil:
		for _, s := range compiled {
			known[s.Name] = deploy.Target{Stack: s.Name, Region: s.Region, Tier: s.Tier}
		}
	case f.region == "":
		return fmt.Errorf("%w\n(pass --region to watch a stack the specs do not define)", err)
	}
	var targets []deploy.Target
	for _, n := range names {
		t, ok := known[n]
		if !ok {
			t = deploy.Target{Stack: n}
		}
		if f.region != "" {
			t.Region = f.region
		}
		targets = append(targets, t)
	}
	d, err := a.deployer(&f.deployFlags)
	if err != nil {
		return err
	}
	results, err := d.Watch(ctx, targets)
	return a.report(ctx, f.format, results, err)
}
