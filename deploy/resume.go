package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// operationStart finds the marker just before the stack's current (or
// last) operation began, so that watching shows that operation from its
// start.
func operationStart(ctx context.Context, c *clients, stack string) (string, error) {
	in := &cloudformation.DescribeStackEventsInput{StackName: &stack}
	found := false
	for pages := 0; pages < 50; pages++ {
		page, err := c.cfn.DescribeStackEvents(ctx, in)
		if err != nil {
			return "", fmt.Errorf("reading stack events: %w", err)
		}
		for _, e := range page.StackEvents {
			if found {
				return deref(e.EventId), nil
			}
			if deref(e.LogicalResourceId) == stack && deref(e.ResourceType) == stackResourceType {
				switch e.ResourceStatus {
				case types.ResourceStatusCreateInProgress, types.ResourceStatusUpdateInProgress,
					types.ResourceStatusDeleteInProgress, types.ResourceStatusImportInProgress:
					found = true
				}
			}
		}
		if page.NextToken == nil {
			return "", nil
		}
		in.NextToken = page.NextToken
	}
	return "", errors.New("could not find where the stack's last operation began in its events")
}

// Watch follows stacks that CloudFormation is working on, or shows how
// their last operation ended: what `phasec apply --watch` does after an
// interrupted apply.
func (d *Deployer) Watch(ctx context.Context, targets []Target) ([]Result, error) {
	results := make([]Result, len(targets))
	d.forEach(ctx, len(targets), func(i int) {
		t := targets[i]
		res := Result{Stack: t.Stack, Region: t.Region, Action: "watch"}
		defer func() { results[i] = res }()
		c, err := d.clientsFor(ctx, t.Region)
		if err != nil {
			res.Error = err.Error()
			return
		}
		st, err := describeStack(ctx, c, t.Stack)
		if err == nil && st == nil {
			err = fmt.Errorf("stack %s does not exist in %s", t.Stack, t.Region)
		}
		if err != nil {
			res.Error = err.Error()
			return
		}
		marker, err := operationStart(ctx, c, t.Stack)
		if err != nil {
			res.Error = err.Error()
			return
		}
		w := d.newWatcher(c, t.Stack, marker, 0)
		if _, err := w.run(ctx); err != nil {
			res.Interrupted = ctx.Err() != nil
			if !res.Interrupted {
				res.Error = err.Error()
			}
			return
		}
		d.finish(ctx, c, &res, w.events, policyFor(t.Tier).protect && t.Tier != "")
	})
	for i, t := range targets {
		if results[i].Stack == "" { // skipped: interrupted before its turn
			results[i] = Result{Stack: t.Stack, Region: t.Region, Action: "watch", Note: noteNotStarted, Interrupted: true}
		}
	}
	if ctx.Err() != nil {
		ie := &InterruptedError{}
		for i, t := range targets {
			if results[i].Status == "" {
				ie.Started = append(ie.Started, t)
			}
		}
		return results, ie
	}
	var failed []string
	for _, r := range results {
		if !r.OK {
			failed = append(failed, r.Stack)
		}
	}
	if len(failed) > 0 {
		return results, &FailedError{Stacks: failed}
	}
	return results, nil
}
