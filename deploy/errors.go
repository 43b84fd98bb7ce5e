package deploy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// apiCode is the AWS error code of err, or "".
func apiCode(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode()
	}
	return ""
}

// isStackMissing recognises CloudFormation's answer for a stack that does
// not exist: a ValidationError "Stack with id X does not exist".
func isStackMissing(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "ValidationError" &&
		strings.HasSuffix(api.ErrorMessage(), "does not exist")
}

// StackError is a failure of one stack, so that a caller handling many
// can say which one failed.
type StackError struct {
	Stack string
	Err   error
}

// Error prefixes the cause with the stack name.
func (e *StackError) Error() string { return e.Stack + ": " + e.Err.Error() }

// Unwrap lets errors.Is and errors.As see the cause.
func (e *StackError) Unwrap() error { return e.Err }

func stackErr(stack string, format string, args ...any) error {
	return &StackError{Stack: stack, Err: fmt.Errorf(format, args...)}
}

// InterruptedError is returned when the context is cancelled while
// applying (Ctrl-C). Nothing is cancelled in CloudFormation: it says
// which stacks carry on and how to resume watching them.
type InterruptedError struct {
	// Started are the stacks whose change sets were executed; they carry
	// on without phasec.
	Started []Target
	// NotStarted are the stacks whose change sets were not executed.
	NotStarted []string
	// Rollouts are the stacks whose blue-green rollout stopped half-way;
	// they stay locked, as they are, until resumed or aborted.
	Rollouts []Target
}

// Target names a stack and its region, which a user needs to find it.
type Target struct {
	Stack  string `json:"stack"`
	Region string `json:"region"`
	// Tier, when known, lets Watch finish what an interrupted apply would
	// have done: protect a production stack that ends well.
	Tier string `json:"tier,omitempty"`
}

// Error says what carries on and how to resume watching it.
func (e *InterruptedError) Error() string {
	var b strings.Builder
	b.WriteString("interrupted: stopped watching; nothing was cancelled.")
	for _, t := range e.Started {
		fmt.Fprintf(&b, "\nCloudFormation carries on with %s (%s). Resume watching with:\n"+
			"  phasec apply --watch %s --region %s\n"+
			"or follow its events with:\n"+
			"  aws cloudformation describe-stack-events --stack-name %s --region %s",
			t.Stack, t.Region, t.Stack, t.Region, t.Stack, t.Region)
	}
	for _, t := range e.Rollouts {
		fmt.Fprintf(&b, "\nThe rollout of %s (%s) stopped where it stands; the stack stays locked as it is. From any machine:\n"+
			"  see where it stands:  phasec rollout status %s --region %s\n"+
			"  finish it:            phasec rollout resume %s --region %s\n"+
			"  undo it:              phasec rollout abort %s --region %s",
			t.Stack, t.Region, t.Stack, t.Region, t.Stack, t.Region, t.Stack, t.Region)
	}
	if len(e.NotStarted) > 0 {
		fmt.Fprintf(&b, "\nNot started (their change sets are still available; apply the plan again to run them): %s",
			strings.Join(e.NotStarted, ", "))
	}
	return b.String()
}

// FailedError is returned by Apply and Watch when a stack ends in a
// failed or rolled-back state; the results say why.
type FailedError struct {
	Stacks []string
}

// Error names the failed stacks; the results say why.
func (e *FailedError) Error() string {
	return fmt.Sprintf("apply failed: %s", strings.Join(e.Stacks, ", "))
}
