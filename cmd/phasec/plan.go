package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/phasec/phasec/deploy"
)

// planFlags are the options of phasec plan.
type planFlags struct {
	deployFlags
	out              string
	detailedExitcode bool
}

func newPlanCmd(a *app) *cobra.Command {
	f := &planFlags{}
	cmd := &cobra.Command{
		Use:   "plan [--specs DIR] [--golden DIR] [STACK...] [-o FILE]",
		Short: "Create CloudFormation change sets for the stacks and show what they would change",
		Long: `Plan compiles the specs, checks every template against its golden file, and
creates a CloudFormation change set per stack: a create for a new stack, an
update otherwise. It shows per stack which resources are added (+),
modified (~) or removed (-), which are replaced, which properties change
from what to what, and the security-relevant changes on their own.

With -o, the plan is saved and its change sets kept, so that
"phasec apply FILE" executes exactly what was reviewed. Without -o, the
change sets are deleted after they are shown. A stack with nothing to
change is reported and its empty change set deleted.

Credentials and region come from the standard AWS configuration
(AWS_PROFILE, environment, SSO, instance roles); templates over 51,200
bytes are uploaded to the S3 bucket given by --bucket or PHASEC_BUCKET.
A stack pinned to an account (an account baseline's accountId) is planned
only with credentials of that account, as STS GetCallerIdentity tells:
with any other, nothing is planned.

Exit status: 0 planned, 1 error, 2 changes present (with --detailed-exitcode).`,
		Example: `  phasec plan --specs specs -o plan.json
  phasec plan --specs specs storefront-production --detailed-exitcode
  phasec plan --specs specs --format json > plan-review.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.plan(cmd.Context(), f, args)
		},
	}
	f.register(cmd.Flags())
	cmd.Flags().StringVarP(&f.out, "out", "o", "", "save the plan to FILE for phasec apply")
	cmd.Flags().BoolVar(&f.detailedExitcode, "detailed-exitcode", false, "exit 2 when any stack would change")
	return cmd
}

func (a *app) plan(ctx context.Context, f *planFlags, names []string) error {
	if err := checkFormat(f.format); err != nil {
		return err
	}
	stacks, err := a.lockedStacks(&f.deployFlags, names)
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
	if f.out != "" {
		if err := deploy.WritePlanFile(f.out, plan); err != nil {
			d.Discard(context.WithoutCancel(ctx), plan)
			return err
		}
	}
	if f.format == "json" {
		b, err := deploy.MarshalPlan(plan)
		if err != nil {
			return err
		}
		a.stdout.Write(b)
	} else {
		deploy.WritePlan(a.stdout, plan, useColor(a.stdout))
	}
	switch {
	case f.out != "" && plan.HasChanges():
		fmt.Fprintf(a.stderr, "Saved the plan to %s. Apply exactly this plan with:\n  phasec apply %s\n", f.out, f.out)
	case plan.HasChanges():
		if err := d.Discard(ctx, plan); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "The plan was not saved (no -o FILE), so its change sets were deleted.")
	}
	if f.detailedExitcode && plan.HasChanges() {
		return &exitCodeError{code: exitChanges}
	}
	return nil
}

// makePlan plans every stack; when any fails, the change sets of the
// others are deleted, as no plan file will refer to them.
func (a *app) makePlan(ctx context.Context, d *deploy.Deployer, stacks []deploy.Stack) (*deploy.Plan, error) {
	plan, err := d.Plan(ctx, stacks)
	if err == nil {
		return plan, nil
	}
	cleanup := context.WithoutCancel(ctx)
	if derr := d.Discard(cleanup, plan); derr != nil {
		err = errors.Join(err, derr)
	}
	if ctx.Err() != nil {
		return nil, &exitCodeError{code: exitInterrupted, err: errors.New("interrupted while planning: nothing was applied")}
	}
	if n := countPlanned(plan); n > 0 {
		err = fmt.Errorf("%w\nno plan was made; the change sets of the %d other %s were deleted", err, n, pluralize(n, "stack", "stacks"))
	}
	return nil, err
}

func countPlanned(p *deploy.Plan) int {
	n := 0
	for _, s := range p.Stacks {
		if s.ChangeSetID != "" {
			n++
		}
	}
	return n
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
