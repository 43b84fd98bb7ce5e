package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// describeStack returns the stack, or nil when it does not exist.
func describeStack(ctx context.Context, c *clients, name string) (*types.Stack, error) {
	out, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: &name})
	if isStackMissing(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	return &out.Stacks[0], nil
}

// changeSetTypeFor decides between a CREATE and an UPDATE change set, or
// refuses a stack that CloudFormation will not change in its state, saying
// what to do about it.
func changeSetTypeFor(st *types.Stack, name, region string) (types.ChangeSetType, error) {
	if st == nil {
		return types.ChangeSetTypeCreate, nil
	}
	status := string(st.StackStatus)
	switch {
	case status == "REVIEW_IN_PROGRESS":
		// An earlier plan created the stack's shell and was never
		// applied: the stack still has to be created.
		return types.ChangeSetTypeCreate, nil
	case strings.HasSuffix(status, "_IN_PROGRESS"):
		return "", fmt.Errorf("stack is %s: %s is in progress; wait for it to finish "+
			"(phasec apply --watch %s --region %s) and plan again", status, operationOf(status), name, region)
	case status == "ROLLBACK_COMPLETE" || status == "ROLLBACK_FAILED" || status == "CREATE_FAILED":
		return "", fmt.Errorf("stack is %s: its creation failed, and CloudFormation cannot update a stack "+
			"that was never created. Delete it first, then plan again:\n"+
			"  aws cloudformation delete-stack --stack-name %s --region %s", status, name, region)
	case status == "DELETE_FAILED":
		return "", fmt.Errorf("stack is DELETE_FAILED: a deletion failed halfway. Finish deleting it, "+
			"then plan again:\n  aws cloudformation delete-stack --stack-name %s --region %s", name, region)
	case status == "UPDATE_ROLLBACK_FAILED":
		return "", fmt.Errorf("stack is UPDATE_ROLLBACK_FAILED: a rollback could not finish. Fix the resource "+
			"that blocks it, then:\n  aws cloudformation continue-update-rollback --stack-name %s --region %s", name, region)
	}
	return types.ChangeSetTypeUpdate, nil
}

// operationOf names the operation an *_IN_PROGRESS status belongs to.
func operationOf(status string) string {
	op := strings.TrimSuffix(status, "_IN_PROGRESS")
	switch op {
	case "CREATE":
		return "a creation"
	case "UPDATE":
		return "an update"
	case "UPDATE_COMPLETE_CLEANUP", "UPDATE_ROLLBACK_COMPLETE_CLEANUP":
		return "the clean-up after an update"
	case "UPDATE_ROLLBACK":
		return "the rollback of a failed update"
	case "ROLLBACK":
		return "the rollback of a failed creation"
	case "DELETE":
		return "a deletion"
	case "IMPORT", "IMPORT_ROLLBACK":
		return "an import"
	}
	return "another operation"
}

// terminal reports whether a stack status ends an operation.
func terminal(status string) bool {
	return status != "" && !strings.HasSuffix(status, "_IN_PROGRESS")
}

// succeeded reports whether a terminal status is a success.
func succeeded(status string) bool {
	switch status {
	case "CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE":
		return true
	}
	return false
}
