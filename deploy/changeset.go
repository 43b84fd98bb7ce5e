package deploy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// waitChangeSet polls a change set until CloudFormation has finished
// computing it.
func (d *Deployer) waitChangeSet(ctx context.Context, c *clients, id string) (types.ChangeSetStatus, string, error) {
	deadline := time.Now().Add(d.opts.ChangeSetTimeout)
	for {
		out, err := c.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: &id})
		if err != nil {
			return "", "", fmt.Errorf("waiting for change set: %w", err)
		}
		switch out.Status {
		case types.ChangeSetStatusCreatePending, types.ChangeSetStatusCreateInProgress:
		default:
			return out.Status, deref(out.StatusReason), nil
		}
		if time.Now().After(deadline) {
			return "", "", fmt.Errorf("change set still %s after %s", out.Status, d.opts.ChangeSetTimeout)
		}
		if err := d.pause(ctx); err != nil {
			return "", "", err
		}
	}
}

// isNoChanges recognises the FAILED reason of a change set that would
// change nothing; CloudFormation has used both wordings.
func isNoChanges(reason string) bool {
	return strings.Contains(reason, "didn't contain changes") || strings.Contains(reason, "No updates are to be performed")
}

// describeChanges reads every page of a change set's changes, with the
// before and after values of each property.
func describeChanges(ctx context.Context, c *clients, id string) ([]ResourceChange, error) {
	out := []ResourceChange{}
	in := &cloudformation.DescribeChangeSetInput{ChangeSetName: &id, IncludePropertyValues: boolPtr(true)}
	for {
		page, err := c.cfn.DescribeChangeSet(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("describing change set: %w", err)
		}
		for _, ch := range page.Changes {
			if ch.ResourceChange != nil {
				out = append(out, resourceChange(ch.ResourceChange))
			}
		}
		if page.NextToken == nil {
			return out, nil
		}
		in.NextToken = page.NextToken
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func boolPtr(b bool) *bool { return &b }
