package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"

	"github.com/spf13/cobra"

	"github.com/phasec/phasec/deploy"
)

func newRolloutCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rollout status|resume|abort STACK",
		Short: "See, finish or undo the blue-green rollout of a stack, from any machine",
		Long: `phasec apply rolls a new release out to a blue-green stack: the idle colour
takes the release at the live colour's capacity, must become healthy behind
the load balancer, then takes the traffic step by step while the stack's
critical alarms are watched, and finally becomes the live colour.

The rollout's state lives on the stack (a stack tag holds the lock: who,
since when, towards which colour; the parameters hold how far it got), so
these commands work from any machine with access to the account:

  status  shows both colours, their releases, sizes, weights and target
          health, the rollout in progress and the critical alarms
  resume  finishes an interrupted rollout from where it stands (the specs
          must still ask for its release); it takes the lock over
  abort   undoes it: all traffic back on the live colour, the new colour
          scaled to zero, the lock released; needs no specs (--region)

Exit status: 0 done, 1 error or failed rollout, 130 interrupted.`,
		Example: `  phasec rollout status storefront-production
  phasec rollout resume --specs specs storefront-production
  phasec rollout abort storefront-production --region us-east-1`,
	}
	cmd.AddCommand(newRolloutStatusCmd(a), newRolloutResumeCmd(a), newRolloutAbortCmd(a))
	return cmd
}

func newRolloutStatusCmd(a *app) *cobra.Command {
	f := &deployFlags{}
	cmd := &cobra.Command{
		Use: "status STACK",
		Example: `  phasec rollout status storefront-production
  phasec rollout status --format json storefront-production`,
		Short: "Show a blue-green stack's colours and the rollout in progress",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.rolloutStatus(cmd.Context(), f, args[0])
		},
	}
	f.register(cmd.Flags())
	return cmd
}

func newRolloutResumeCmd(a *app) *cobra.Command {
	f := &deployFlags{}
	cmd := &cobra.Command{
		Use:     "resume STACK",
		Example: `  phasec rollout resume storefront-production`,
		Short:   "Finish the interrupted rollout of a blue-green stack",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.rolloutResume(cmd.Context(), f, args[0])
		},
	}
	f.register(cmd.Flags())
	return cmd
}

func newRolloutAbortCmd(a *app) *cobra.Command {
	f := &deployFlags{}
	cmd := &cobra.Command{
		Use:     "abort STACK",
		Example: `  phasec rollout abort storefront-production`,
		Short:   "Undo the rollout of a blue-green stack: traffic back, new colour to zero",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.rolloutAbort(cmd.Context(), f, args[0])
		},
	}
	f.register(cmd.Flags())
	return cmd
}

// rolloutTarget finds a stack's region (--region, else its spec's), and
// its critical alarms and traffic steps when the specs define it.
func (a *app) rolloutTarget(f *deployFlags, name string) (deploy.Target, []string, []int, error) {
	t := deploy.Target{Stack: name, Region: f.region}
	compiled, err := a.compile(f.specs, []string{name})
	if err != nil {
		if f.region == "" {
			return t, nil, nil, fmt.Errorf("%w\n(pass --region to work on a stack the specs do not define)", err)
		}
		return t, nil, nil, nil
	}
	s := compiled[0]
	if t.Region == "" {
		t.Region = s.Region
	}
	t.Tier = s.Tier
	var steps []int
	if s.BlueGreen != nil {
		steps = s.BlueGreen.TrafficSteps
	}
	return t, s.CriticalAlarms, steps, nil
}

func (a *app) rolloutStatus(ctx context.Context, f *deployFlags, name string) error {
	if err := checkFormat(f.format); err != nil {
		return err
	}
	t, alarms, steps, err := a.rolloutTarget(f, name)
	if err != nil {
		return err
	}
	d, err := a.deployer(f)
	if err != nil {
		return err
	}
	st, err := d.RolloutStatus(ctx, t, alarms, steps)
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(a, st)
	}
	deploy.WriteRolloutStatus(a.stdout, st)
	return nil
}

func (a *app) rolloutResume(ctx context.Context, f *deployFlags, name string) error {
	if err := checkFormat(f.format); err != nil {
		return err
	}
	stacks, err := a.lockedStacks(f, []string{name})
	if err != nil {
		return err
	}
	d, err := a.deployer(f)
	if err != nil {
		return err
	}
	res, err := d.ResumeRollout(ctx, stacks[0])
	return a.reportRollout(ctx, f.format, res, err)
}

func (a *app) rolloutAbort(ctx context.Context, f *deployFlags, name string) error {
	if err := checkFormat(f.format); err != nil {
		return err
	}
	t, _, _, err := a.rolloutTarget(f, name)
	if err != nil {
		return err
	}
	d, err := a.deployer(f)
	if err != nil {
		return err
	}
	res, err := d.AbortRollout(ctx, t)
	return a.reportRollout(ctx, f.format, res, err)
}

// reportRollout prints the result of resume or abort when a rollout ran;
// a refusal before it is only an error.
func (a *app) reportRollout(ctx context.Context, format string, res deploy.Result, err error) error {
	var results []deploy.Result
	if res.Rollout != nil {
		results = []deploy.Result{res}
	}
	var failed *deploy.FailedError
	if errors.As(err, &failed) {
		// The result says why; "apply failed" would name the wrong command.
		err = &exitCodeError{code: exitError, err: fmt.Errorf("rollout of %s: %s", res.Stack, res.Rollout.Outcome)}
	}
	return a.report(ctx, format, results, err)
}

// operator names who runs phasec, for a rollout's lock: PHASEC_OPERATOR
// when set; in GitHub Actions the actor and the run, which is where to
// look when the lock outlives it; else user@host.
func operator() string {
	if op := os.Getenv("PHASEC_OPERATOR"); op != "" {
		return op
	}
	if os.Getenv("GITHUB_ACTIONS") == "true" {
		return fmt.Sprintf("github:%s@%s/actions/runs/%s", os.Getenv("GITHUB_ACTOR"), os.Getenv("GITHUB_REPOSITORY"), os.Getenv("GITHUB_RUN_ID"))
	}
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		return name
	}
	return name + "@" + host
}
