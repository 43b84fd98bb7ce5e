package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// errConflict means that the stack changed under a rollout step: another
// operation ran between reading the stack and executing the step's change
// set, which CloudFormation then refused (OBSOLETE, or the stack was
// busy). The caller reads the stack again to find out who.
var errConflict = errors.New("the stack changed while this step was prepared")

// stepFailure is a rollout step that CloudFormation executed and rolled
// back.
type stepFailure struct {
	status string
	causes []Event
}

func (e *stepFailure) Error() string {
	var parts []string
	for _, c := range e.causes {
		parts = append(parts, fmt.Sprintf("%s (%s) %s: %s", c.LogicalID, c.Type, c.Status, c.Reason))
	}
	if len(parts) == 0 {
		return "CloudFormation ended the step in " + e.status
	}
	return "CloudFormation ended the step in " + e.status + ": " + strings.Join(parts, "; ")
}

// readBG describes the stack and decodes it as blue-green.
func readBG(ctx context.Context, c *clients, name string) (*bgStack, error) {
	st, err := describeStack(ctx, c, name)
	if err != nil {
		return nil, fmt.Errorf("reading the stack: %w", err)
	}
	if st == nil {
		return nil, fmt.Errorf("the stack does not exist in %s", c.region)
	}
	return readBlueGreen(st)
}

// parameterUpdate runs one parameter-only change set on a blue-green
// stack and waits until CloudFormation is done with it. It keeps the
// template the stack runs (UsePreviousTemplate), sets the parameters in
// set and keeps every other one (UsePreviousValue, which also keeps NoEcho
// values intact), and gives the stack exactly tags. With triggers, the
// stack's critical alarms that exist are rollback triggers during the
// update (no monitoring time after it: the rollout's bake watches them);
// without, the saved triggers are cleared for this update, because a step
// that moves traffic back must succeed while an alarm fires.
//
// It returns the stack as the step left it; nothing is done when the
// step would change nothing.
func (d *Deployer) parameterUpdate(ctx context.Context, c *clients, st *bgStack, step string, set, tags map[string]string, alarms []string, triggers bool) (*bgStack, error) {
	if unchanged(st, set, tags) {
		return st, nil
	}
	name := d.rolloutChangeSetName(step)
	var params []types.Parameter
	for _, k := range sortedKeys(st.params) {
		if v, ok := set[k]; ok {
			params = append(params, types.Parameter{ParameterKey: strPtr(k), ParameterValue: strPtr(v)})
		} else {
			params = append(params, types.Parameter{ParameterKey: strPtr(k), UsePreviousValue: boolPtr(true)})
		}
	}
	rc := &types.RollbackConfiguration{MonitoringTimeInMinutes: int32Ptr(0), RollbackTriggers: []types.RollbackTrigger{}}
	if triggers {
		ts, _, err := rollbackTriggers(ctx, c, alarms)
		if err != nil {
			return nil, err
		}
		rc.RollbackTriggers = cfnTriggers(ts)
	}
	out, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName:             &st.name,
		ChangeSetName:         &name,
		ChangeSetType:         types.ChangeSetTypeUpdate,
		UsePreviousTemplate:   boolPtr(true),
		Parameters:            params,
		Tags:                  cfnTags(tags),
		Capabilities:          st.caps,
		RollbackConfiguration: rc,
		Description:           strPtr("phasec rollout: " + step),
		ClientToken:           &name,
	})
	if isBusy(err) {
		return nil, errConflict
	}
	if err != nil {
		return nil, fmt.Errorf("creating change set %s: %w", name, err)
	}
	id := *out.Id
	discard := func() {
		c.cfn.DeleteChangeSet(context.WithoutCancel(ctx), &cloudformation.DeleteChangeSetInput{ChangeSetName: &id})
	}
	status, reason, err := d.waitChangeSet(ctx, c, id)
	if err != nil {
		discard()
		return nil, err
	}
	if status == types.ChangeSetStatusFailed {
		discard()
		if isNoChanges(reason) {
			return readBG(ctx, c, st.name)
		}
		return nil, fmt.Errorf("change set %s failed: %s", name, reason)
	}
	marker, err := latestEventID(ctx, c, st.name)
	if err != nil {
		discard()
		return nil, err
	}
	token := executionToken(id)
	_, err = c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: &id, ClientRequestToken: &token})
	switch {
	case err == nil:
	case apiCode(err) == "InvalidChangeSetStatus" || isBusy(err):
		discard()
		return nil, errConflict
	default:
		discard()
		return nil, fmt.Errorf("executing change set %s: %w", name, err)
	}
	w := d.newWatcher(c, st.name, marker, 0)
	final, err := w.wait(ctx)
	if err != nil {
		return nil, err
	}
	if !succeeded(final) {
		return nil, &stepFailure{status: final, causes: rootCause(st.name, w.events)}
	}
	return readBG(ctx, c, st.name)
}

// isBusy recognises CloudFormation's refusal to touch a stack that
// another operation is updating.
func isBusy(err error) bool {
	return apiCode(err) == "ValidationError" && strings.Contains(err.Error(), "can not be updated")
}

// unchanged reports whether a step would leave the stack as it is.
func unchanged(st *bgStack, set, tags map[string]string) bool {
	for k, v := range set {
		if st.params[k] != v {
			return false
		}
	}
	if len(tags) != len(st.tags) {
		return false
	}
	for k, v := range tags {
		if st.tags[k] != v {
			return false
		}
	}
	return true
}

// wait follows the stack's events without showing them, until its own
// event says the operation ended: rollout steps report themselves in one
// line each, and their per-resource events would drown those in a CI log.
// The events are kept for the root cause of a failure.
func (w *watcher) wait(ctx context.Context) (string, error) {
	for {
		fresh, err := w.poll(ctx)
		if err != nil {
			return "", err
		}
		for _, e := range fresh {
			if deref(e.LogicalResourceId) == w.stack && deref(e.ResourceType) == stackResourceType && terminal(string(e.ResourceStatus)) {
				return string(e.ResourceStatus), nil
			}
		}
		if err := w.d.pause(ctx); err != nil {
			return "", err
		}
	}
}

// settle waits for an operation CloudFormation is running on the stack
// (an interrupted rollout's step, say) to end, and returns the stack as
// it then is.
func (d *Deployer) settle(ctx context.Context, c *clients, st *bgStack, logf func(string, ...any)) (*bgStack, error) {
	if !st.inProgress() {
		return st, nil
	}
	logf("waiting for %s to finish (stack is %s)", operationOf(st.status), st.status)
	marker, err := operationStart(ctx, c, st.name)
	if err != nil {
		return nil, err
	}
	w := d.newWatcher(c, st.name, marker, 0)
	final, err := w.wait(ctx)
	if err != nil {
		return nil, err
	}
	logf("the stack's operation ended: %s", final)
	return readBG(ctx, c, st.name)
}

// rolloutChangeSetName is unique per step: "phasec-rollout-<time>-<step>-<random>".
func (d *Deployer) rolloutChangeSetName(step string) string {
	return fmt.Sprintf("phasec-rollout-%s-%s-%s", d.opts.Now().UTC().Format("20060102T150405Z"), step, newLockID()[:4])
}

// checkDeployedTemplate makes sure that the template the stack runs is
// the locked one: a rollout keeps the deployed template
// (UsePreviousTemplate), so it must be what was reviewed. The deployed
// body may be the canonical bytes or the same JSON without whitespace
// (for templates that only fit inline that way), so both are compared
// compacted.
func checkDeployedTemplate(ctx context.Context, c *clients, stack string, locked []byte) error {
	out, err := c.cfn.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: &stack, TemplateStage: types.TemplateStageOriginal})
	if err != nil {
		return fmt.Errorf("reading the deployed template: %w", err)
	}
	deployed := []byte(deref(out.TemplateBody))
	var a, b bytes.Buffer
	errA, errB := json.Compact(&a, deployed), json.Compact(&b, locked)
	if errA == nil && errB == nil && bytes.Equal(a.Bytes(), b.Bytes()) {
		return nil
	}
	return fmt.Errorf("the deployed template (sha256 %.12s) is not the locked one (sha256 %.12s): "+
		"a rollout changes parameters only and keeps the deployed template, so apply the template first (phasec plan, then phasec apply)",
		sha256Hex(deployed), sha256Hex(locked))
}

func int32Ptr(n int32) *int32 { return &n }
