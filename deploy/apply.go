package deploy

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Result is the outcome of applying or watching one stack.
type Result struct {
	Stack  string `json:"stack"`
	Region string `json:"region"`
	Action string `json:"action"`
	// Status is the stack's final status.
	Status string `json:"status,omitempty"`
	OK     bool   `json:"ok"`
	// Note says what happened when nothing was executed ("no changes",
	// "already applied").
	Note    string   `json:"note,omitempty"`
	Outputs []Output `json:"outputs,omitempty"`
	// RootCause is, for a failure, the first failed event of each failed
	// resource: the reason a user must fix.
	RootCause []Event `json:"rootCause,omitempty"`
	// Protected is set when this apply turned termination protection on.
	Protected bool `json:"terminationProtectionEnabled,omitempty"`
	// Error is a failure to talk to CloudFormation, as opposed to a
	// failure of the stack.
	Error string `json:"error,omitempty"`
	// Interrupted is set when watching stopped before the stack was done.
	Interrupted bool `json:"interrupted,omitempty"`
	// Rollout is how a blue-green release rollout ended, when one ran.
	Rollout *RolloutResult `json:"rollout,omitempty"`
}

// Output is one stack output.
type Output struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
}

// noteNotStarted marks the result of a stack that an interrupt kept from
// being executed or watched.
const noteNotStarted = "not started"

// applyJob is one stack of a plan about to be applied.
type applyJob struct {
	plan    StackPlan
	stack   Stack // the compiled stack, which a rollout needs
	c       *clients
	execute bool // false: the change set already runs (an earlier apply)
	done    bool // the change set already ran; report the stack as it is
}

// Apply executes exactly the change sets of the plan. First, for every
// stack, it checks that the template and parameters are those planned,
// that the credentials belong to the account a pinned stack was planned
// in, and that the change set can still be executed; if any check fails
// nothing is executed. Then it executes the change sets, several at once,
// and streams their events to Progress until each stack is done. A stack
// that fails makes the error a *FailedError; a cancelled ctx (Ctrl-C)
// makes it an *InterruptedError, and CloudFormation carries on.
func (d *Deployer) Apply(ctx context.Context, p *Plan, stacks []Stack) ([]Result, error) {
	jobs, err := d.preflight(ctx, p, stacks)
	if err != nil {
		return nil, err
	}
	results := make([]Result, len(jobs))
	started := make([]bool, len(jobs))
	d.forEach(ctx, len(jobs), func(i int) {
		results[i] = d.applyStack(ctx, jobs[i], &started[i])
		if jobs[i].plan.Rollout != nil && results[i].OK && ctx.Err() == nil {
			d.applyRollout(ctx, jobs[i], &results[i], &started[i])
		}
	})
	for i, j := range jobs {
		if results[i].Stack == "" { // skipped: interrupted before its turn
			results[i] = Result{Stack: j.plan.Stack, Region: j.plan.Region, Action: j.plan.Action, Note: noteNotStarted}
		}
	}
	return results, outcome(ctx, jobs, results, started)
}

// outcome turns the results into Apply's error.
func outcome(ctx context.Context, jobs []*applyJob, results []Result, started []bool) error {
	if ctx.Err() != nil {
		ie := &InterruptedError{}
		for i, j := range jobs {
			switch {
			case started[i] && results[i].Interrupted && results[i].Rollout != nil:
				ie.Rollouts = append(ie.Rollouts, Target{Stack: j.plan.Stack, Region: j.plan.Region, Tier: j.plan.Tier})
			case started[i] && results[i].Interrupted:
				ie.Started = append(ie.Started, Target{Stack: j.plan.Stack, Region: j.plan.Region, Tier: j.plan.Tier})
			case !started[i] && j.plan.Action != ActionNone:
				ie.NotStarted = append(ie.NotStarted, j.plan.Stack)
			}
		}
		return ie
	}
	var failed []string
	for _, r := range results {
		if !r.OK {
			failed = append(failed, r.Stack)
		}
	}
	if len(failed) > 0 {
		return &FailedError{Stacks: failed}
	}
	return nil
}

// preflight checks every stack of the plan before anything is executed.
func (d *Deployer) preflight(ctx context.Context, p *Plan, stacks []Stack) ([]*applyJob, error) {
	byName := map[string]Stack{}
	for _, s := range stacks {
		byName[s.Name] = s
	}
	jobs := make([]*applyJob, len(p.Stacks))
	errs := make([]error, len(p.Stacks))
	pins := make([]accountPin, len(p.Stacks))
	for i, sp := range p.Stacks {
		jobs[i] = &applyJob{plan: sp}
		s, ok := byName[sp.Stack]
		jobs[i].stack = s
		account, accountErr := plannedAccount(sp, s)
		pins[i] = accountPin{stack: sp.Stack, region: sp.Region, account: account}
		switch {
		case !ok:
			errs[i] = stackErr(sp.Stack, "the plan has this stack but the specs do not: run phasec plan again")
		case s.TemplateSHA256() != sp.TemplateSHA256:
			errs[i] = stackErr(sp.Stack, "the template changed since it was planned (sha256 %.12s… planned, %.12s… now): run phasec plan again and review the new plan",
				sp.TemplateSHA256, s.TemplateSHA256())
		case !maps.Equal(s.Parameters, sp.Parameters):
			errs[i] = stackErr(sp.Stack, "the parameters changed since they were planned: run phasec plan again and review the new plan")
		case accountErr != nil:
			errs[i] = &StackError{Stack: sp.Stack, Err: accountErr}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// Before the change sets are even read: with another account's
	// credentials they would not be found, which says nothing useful.
	if err := d.checkAccounts(ctx, pins); err != nil {
		return nil, err
	}
	d.forEach(ctx, len(jobs), func(i int) {
		err := d.checkChangeSet(ctx, jobs[i])
		if err == nil && jobs[i].plan.Rollout != nil {
			err = d.checkRollout(ctx, jobs[i])
		}
		if err != nil {
			errs[i] = &StackError{Stack: jobs[i].plan.Stack, Err: err}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return jobs, nil
}

// checkChangeSet finds out whether a planned change set can be executed,
// already runs, or already ran.
func (d *Deployer) checkChangeSet(ctx context.Context, j *applyJob) error {
	sp := j.plan
	if sp.Action == ActionNone {
		return nil
	}
	c, err := d.clientsFor(ctx, sp.Region)
	if err != nil {
		return err
	}
	j.c = c
	out, err := c.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: &sp.ChangeSetID})
	if apiCode(err) == "ChangeSetNotFound" {
		return fmt.Errorf("change set %s no longer exists (it was executed or deleted since the plan): run phasec plan again", sp.ChangeSetName)
	}
	if err != nil {
		return fmt.Errorf("checking change set %s: %w", sp.ChangeSetName, err)
	}
	if out.Status != types.ChangeSetStatusCreateComplete {
		return fmt.Errorf("change set %s is %s (%s): run phasec plan again", sp.ChangeSetName, out.Status, deref(out.StatusReason))
	}
	switch out.ExecutionStatus {
	case types.ExecutionStatusAvailable:
		j.execute = true
	case types.ExecutionStatusExecuteInProgress:
		// An earlier, interrupted apply executed it: watch it.
	case types.ExecutionStatusExecuteComplete, types.ExecutionStatusExecuteFailed:
		j.done = true
	default:
		return fmt.Errorf("change set %s can no longer be executed: its execution status is %s "+
			"(the stack changed since the plan, or the change set expired): run phasec plan again", sp.ChangeSetName, out.ExecutionStatus)
	}
	return nil
}

// applyStack executes one change set and watches it to the end.
func (d *Deployer) applyStack(ctx context.Context, j *applyJob, started *bool) Result {
	sp := j.plan
	res := Result{Stack: sp.Stack, Region: sp.Region, Action: sp.Action}
	if sp.Action == ActionNone {
		res.OK, res.Note = true, "no changes"
		return res
	}
	if j.done {
		res.Note = "already applied"
		d.finish(ctx, j.c, &res, nil, false)
		return res
	}
	marker := ""
	if j.execute {
		var err error
		if marker, err = latestEventID(ctx, j.c, sp.Stack); err != nil {
			res.Error = err.Error()
			return res
		}
		token := executionToken(sp.ChangeSetID)
		_, err = j.c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{
			ChangeSetName:      &sp.ChangeSetID,
			ClientRequestToken: &token,
		})
		if err != nil {
			if ctx.Err() != nil {
				// The call may or may not have reached CloudFormation.
				*started, res.Interrupted = true, true
				return res
			}
			res.Error = fmt.Sprintf("executing change set %s: %v", sp.ChangeSetName, err)
			if apiCode(err) == "InvalidChangeSetStatus" {
				res.Error += " (run phasec plan again)"
			}
			return res
		}
	} else {
		var err error
		if marker, err = operationStart(ctx, j.c, sp.Stack); err != nil {
			res.Error = err.Error()
			return res
		}
	}
	*started = true
	w := d.newWatcher(j.c, sp.Stack, marker, len(sp.Changes))
	if _, err := w.run(ctx); err != nil {
		if ctx.Err() != nil {
			res.Interrupted = true
			return res
		}
		res.Error = err.Error()
		return res
	}
	d.finish(ctx, j.c, &res, w.events, policyFor(sp.Tier).protect)
	return res
}

// executionToken is the ClientRequestToken of a change set's execution:
// derived from the change set, so that a retried or repeated execute is
// recognised by CloudFormation as the same request.
func executionToken(changeSetID string) string {
	return "phasec-" + sha256Hex([]byte(changeSetID))[:40]
}

// finish fills in the final status, the outputs or the root cause, and
// turns termination protection on for a protected tier's success.
func (d *Deployer) finish(ctx context.Context, c *clients, res *Result, events []types.StackEvent, protect bool) {
	st, err := describeStack(ctx, c, res.Stack)
	if err != nil || st == nil {
		res.Error = fmt.Sprintf("reading the final state: %v", err)
		return
	}
	res.Status = string(st.StackStatus)
	res.OK = succeeded(res.Status)
	if !res.OK {
		res.RootCause = rootCause(res.Stack, events)
		if len(res.RootCause) == 0 && deref(st.StackStatusReason) != "" {
			res.RootCause = []Event{{Stack: res.Stack, LogicalID: res.Stack, Type: "AWS::CloudFormation::Stack",
				Status: res.Status, Reason: deref(st.StackStatusReason)}}
		}
		return
	}
	for _, o := range st.Outputs {
		res.Outputs = append(res.Outputs, Output{Key: deref(o.OutputKey), Value: deref(o.OutputValue), Description: deref(o.Description)})
	}
	if protect && (st.EnableTerminationProtection == nil || !*st.EnableTerminationProtection) {
		_, err := c.cfn.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{
			StackName: &res.Stack, EnableTerminationProtection: boolPtr(true),
		})
		if err != nil {
			res.Error = fmt.Sprintf("enabling termination protection: %v", err)
			res.OK = false
			return
		}
		res.Protected = true
	}
}
