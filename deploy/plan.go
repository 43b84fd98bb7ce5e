package deploy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// PlanVersion is the version of the plan file format this package writes.
// It reads it and every older version: version 2 added the account of
// stacks pinned to one, which version 1 plans do without (apply then
// checks the account the specs pin).
const PlanVersion = 2

// Stack actions in a plan.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionNone   = "none"
)

// Plan is the reviewed intent of a deployment: one change set per stack
// that changes. It is saved as a plan file and applied later, exactly.
type Plan struct {
	Version int         `json:"version"`
	Created time.Time   `json:"created"`
	Stacks  []StackPlan `json:"stacks"`
}

// StackPlan is the plan of one stack.
type StackPlan struct {
	Stack  string `json:"stack"`
	Region string `json:"region"`
	Tier   string `json:"tier"`
	// Account is, for a stack pinned to an account, that account, which
	// the credentials were checked to belong to when planning; applying
	// refuses credentials of another.
	Account string `json:"account,omitempty"`
	// Action is create, update, or none when nothing would change (the
	// change set was then deleted).
	Action         string `json:"action"`
	StackID        string `json:"stackId,omitempty"`
	ChangeSetID    string `json:"changeSetId,omitempty"`
	ChangeSetName  string `json:"changeSetName,omitempty"`
	TemplateSHA256 string `json:"templateSha256"`
	// TemplateURL is where a template over the inline limit was uploaded.
	TemplateURL  string            `json:"templateUrl,omitempty"`
	Parameters   map[string]string `json:"parameters"`
	Capabilities []string          `json:"capabilities,omitempty"`
	// RollbackTriggers are the critical alarms that roll the update back;
	// PendingTriggers are those that this change creates, which become
	// triggers from the next plan on.
	RollbackTriggers  []Trigger        `json:"rollbackTriggers,omitempty"`
	PendingTriggers   []string         `json:"pendingTriggers,omitempty"`
	MonitoringMinutes int32            `json:"monitoringMinutes,omitempty"`
	Changes           []ResourceChange `json:"changes"`
	// ChangeSetParameters are the parameter values the change set uses
	// when they differ from Parameters (the spec's): a deployed
	// blue-green stack keeps its live colour and the release it runs.
	ChangeSetParameters map[string]string `json:"changeSetParameters,omitempty"`
	// Rollout is the blue-green release rollout that applying runs after
	// the change set, if any.
	Rollout *RolloutPlan `json:"rollout,omitempty"`
}

// HasChanges reports whether applying the plan would change anything.
func (p *Plan) HasChanges() bool {
	for _, s := range p.Stacks {
		if s.Action != ActionNone || s.Rollout != nil {
			return true
		}
	}
	return false
}

// Plan creates and describes a change set for every stack, several at a
// time. The plan lists the stacks that could be planned, in input order;
// the error joins one *StackError per stack that could not. When a stack
// is pinned to an account that the credentials do not belong to, nothing
// is planned at all.
func (d *Deployer) Plan(ctx context.Context, stacks []Stack) (*Plan, error) {
	plan := &Plan{Version: PlanVersion, Created: d.opts.Now().UTC().Truncate(time.Second), Stacks: []StackPlan{}}
	pins := make([]accountPin, len(stacks))
	for i, s := range stacks {
		pins[i] = accountPin{stack: s.Name, region: d.regionOf(s), account: s.Account}
	}
	if err := d.checkAccounts(ctx, pins); err != nil {
		return plan, err
	}
	plans := make([]*StackPlan, len(stacks))
	errs := make([]error, len(stacks))
	d.forEach(ctx, len(stacks), func(i int) {
		p, err := d.planStack(ctx, stacks[i])
		if err != nil {
			errs[i] = &StackError{Stack: stacks[i].Name, Err: err}
			return
		}
		plans[i] = p
	})
	for i, p := range plans {
		if p != nil {
			plan.Stacks = append(plan.Stacks, *p)
		} else if errs[i] == nil {
			errs[i] = &StackError{Stack: stacks[i].Name, Err: ctx.Err()}
		}
	}
	return plan, errors.Join(errs...)
}

// planStack plans one stack.
func (d *Deployer) planStack(ctx context.Context, s Stack) (*StackPlan, error) {
	region := d.regionOf(s)
	c, err := d.clientsFor(ctx, region)
	if err != nil {
		return nil, err
	}
	current, err := describeStack(ctx, c, s.Name)
	if err != nil {
		return nil, err
	}
	// Before the state checks: a stack that a rollout holds is refused
	// with who holds it, even while a step of it runs.
	params, rollout, err := blueGreenPlan(s, current, region)
	if err != nil {
		return nil, err
	}
	typ, err := changeSetTypeFor(current, s.Name, region)
	if err != nil {
		return nil, err
	}
	caps, err := capabilitiesFor(s.Template)
	if err != nil {
		return nil, err
	}
	sha := s.TemplateSHA256()
	body, url, err := d.templateSource(ctx, c, s, sha)
	if err != nil {
		return nil, err
	}
	triggers, pending, err := rollbackTriggers(ctx, c, s.CriticalAlarms)
	if err != nil {
		return nil, err
	}
	minutes := monitoringMinutesFor(s)
	p := &StackPlan{
		Stack: s.Name, Region: region, Tier: s.Tier, Account: s.Account, Action: ActionUpdate,
		TemplateSHA256: sha, TemplateURL: url, Parameters: copyMap(s.Parameters),
		RollbackTriggers: triggers, PendingTriggers: pending, MonitoringMinutes: minutes,
		ChangeSetName: d.changeSetName(sha), Rollout: rollout,
	}
	if !maps.Equal(params, s.Parameters) {
		p.ChangeSetParameters = params
	}
	if typ == types.ChangeSetTypeCreate {
		p.Action = ActionCreate
	}
	for _, cp := range caps {
		p.Capabilities = append(p.Capabilities, string(cp))
	}
	in := &cloudformation.CreateChangeSetInput{
		StackName:     &s.Name,
		ChangeSetName: &p.ChangeSetName,
		ChangeSetType: typ,
		Parameters:    cfnParameters(params),
		Tags:          cfnTags(s.Tags),
		Capabilities:  caps,
		Description:   strPtr("phasec plan of template sha256 " + sha),
		// The change set name is unique, so a retried call after a
		// network error cannot create a second change set.
		ClientToken: &p.ChangeSetName,
		RollbackConfiguration: &types.RollbackConfiguration{
			MonitoringTimeInMinutes: &minutes,
			RollbackTriggers:        cfnTriggers(triggers),
		},
	}
	if url != "" {
		in.TemplateURL = &url
	} else {
		in.TemplateBody = &body
	}
	out, err := c.cfn.CreateChangeSet(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("creating change set: %w", err)
	}
	p.ChangeSetID, p.StackID = *out.Id, *out.StackId
	status, reason, err := d.waitChangeSet(ctx, c, p.ChangeSetID)
	if err != nil {
		return nil, err
	}
	if status == types.ChangeSetStatusFailed {
		if !isNoChanges(reason) {
			return nil, fmt.Errorf("change set %s failed: %s", p.ChangeSetName, reason)
		}
		// Nothing to do: an empty change set would only clutter the
		// console and the next plan.
		if _, err := c.cfn.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: &p.ChangeSetID}); err != nil {
			return nil, fmt.Errorf("deleting the empty change set %s: %w", p.ChangeSetName, err)
		}
		p.Action, p.ChangeSetID, p.ChangeSetName, p.Changes = ActionNone, "", "", []ResourceChange{}
		return p, nil
	}
	changes, err := describeChanges(ctx, c, p.ChangeSetID)
	if err != nil {
		return nil, err
	}
	p.Changes = changes
	return p, nil
}

// changeSetName is unique per plan: time, template and a random suffix.
func (d *Deployer) changeSetName(sha string) string {
	var r [2]byte
	rand.Read(r[:])
	return fmt.Sprintf("phasec-%s-%s-%s", d.opts.Now().UTC().Format("20060102T150405Z"), sha[:8], hex.EncodeToString(r[:]))
}

func cfnTriggers(ts []Trigger) []types.RollbackTrigger {
	out := []types.RollbackTrigger{}
	for _, t := range ts {
		out = append(out, types.RollbackTrigger{Arn: strPtr(t.ARN), Type: strPtr("AWS::CloudWatch::Alarm")})
	}
	return out
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Discard deletes the change sets of a plan that will not be applied,
// for example when the user declines to apply it.
func (d *Deployer) Discard(ctx context.Context, p *Plan) error {
	var errs []error
	for _, s := range p.Stacks {
		if s.ChangeSetID == "" {
			continue
		}
		c, err := d.clientsFor(ctx, s.Region)
		if err == nil {
			_, err = c.cfn.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: &s.ChangeSetID})
		}
		if err != nil {
			errs = append(errs, &StackError{Stack: s.Stack, Err: fmt.Errorf("deleting change set %s: %w", s.ChangeSetName, err)})
		}
	}
	return errors.Join(errs...)
}
