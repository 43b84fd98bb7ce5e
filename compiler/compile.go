package compiler

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"github.com/phasec/phasec/internal/parallel"
)

// ManagedBy is the value of every resource's managed-by tag, which tells an
// operator in the console not to change the resource by hand.
const ManagedBy = "phasec"

// Stack is one compiled (service, environment) pair: a CloudFormation
// template plus what deploying it needs.
type Stack struct {
	// Name is the CloudFormation stack name, "<service>-<environment>".
	Name        string
	Service     string
	Environment string
	Tier        string
	Region      string
	Template    *cloudformation.Template
	// Parameters are the spec's values for the template's parameters,
	// which are also the parameters' defaults.
	Parameters map[string]string
	// Tags are the stack-level tags, which CloudFormation propagates.
	Tags map[string]string
	// CriticalAlarms names the stack's critical alarms, the candidates for
	// change-set rollback triggers.
	CriticalAlarms []string
	// Strategy is how releases roll out: StrategyRolling or
	// StrategyBlueGreen (empty for account baselines).
	Strategy string
	// BlueGreen tunes the rollout of a blue-green stack; nil otherwise.
	BlueGreen *BlueGreen
	// Release is what the spec says the stack runs. For a blue-green stack
	// the deploy side compares it with the deployed live colour's
	// parameters to decide whether a rollout is due.
	Release Release
	// RollbackMonitoringMinutes is how long CloudFormation watches the
	// critical alarms after an update (the tier's rollback window).
	RollbackMonitoringMinutes int
	// Baseline names the account baseline this stack compiles; it is empty
	// for service stacks, whose Service and Environment are set instead.
	Baseline string
	// Account is the AWS account ID the stack must be deployed to, when the
	// spec pins one (baselines do).
	Account string
	// Suppressions are the vet rules the stack is exempt from, as recorded
	// in its template's metadata, with where the spec declared each.
	Suppressions []Suppression
}

// GoldenPath is where the locked template of s lives under goldenDir:
// <service>/<environment>.json, or baseline/<name>.json for a baseline.
func GoldenPath(goldenDir string, s *Stack) string {
	if s.Baseline != "" {
		return baselineGoldenPath(goldenDir, s)
	}
	return filepath.Join(goldenDir, s.Service, s.Environment+".json")
}

// Compile turns every environment of every service into a stack, in name
// order, then every account baseline. It is pure: the same spec always
// gives the same stacks.
//
// Stacks are compiled on every CPU: each reads only its own part of the
// spec and builds its own template. Positions come from the CUE value,
// which must not be used by two goroutines at once, so suppressions are
// located afterwards, one stack after the other.
func Compile(spec *Spec) []*Stack {
	var compile []func() *Stack
	for _, svc := range spec.Services {
		for _, env := range svc.Environments {
			compile = append(compile, func() *Stack { return compileStack(svc, env) })
		}
	}
	for _, bl := range spec.Baselines {
		compile = append(compile, func() *Stack { return compileBaseline(bl) })
	}
	stacks := make([]*Stack, len(compile))
	parallel.For(len(compile), func(i int) { stacks[i] = compile[i]() })
	for _, s := range stacks {
		spec.locateSuppressions(s)
	}
	return stacks
}

// Select keeps the stacks named in names, in the order of stacks; with no
// names it keeps all. An unknown name is an error that lists what exists.
func Select(stacks []*Stack, names []string) ([]*Stack, error) {
	if len(names) == 0 {
		return stacks, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []*Stack
	for _, s := range stacks {
		if want[s.Name] {
			out = append(out, s)
			delete(want, s.Name)
		}
	}
	if len(want) > 0 {
		var known []string
		for _, s := range stacks {
			known = append(known, s.Name)
		}
		return nil, fmt.Errorf("unknown stack %s; the specs define: %s",
			strings.Join(sortedKeys(want), ", "), strings.Join(known, ", "))
	}
	return out, nil
}

// stackBuilder carries what every concern needs while it adds its resources
// to one stack.
type stackBuilder struct {
	svc   *Service
	env   *Environment
	stack *Stack
	t     *cloudformation.Template
	// rawAttributes are resource attributes set as plain JSON (see
	// setRawAttribute), keyed by logical ID.
	rawAttributes map[string]map[string]any
	// rawProperties are properties set as plain JSON (see
	// setRawProperty), keyed by logical ID.
	rawProperties map[string]map[string]any
}

// compileStack runs every concern, in dependency order, on one environment.
func compileStack(svc *Service, env *Environment) *Stack {
	t := cloudformation.NewTemplate()
	t.Description = fmt.Sprintf("phasec: %s (%s tier) of %s", env.Name, env.Tier, svc.Name)
	if svc.Description != "" {
		t.Description += ": " + svc.Description
	}
	b := &stackBuilder{
		svc: svc,
		env: env,
		t:   t,
		stack: &Stack{
			Name:        env.Stack,
			Service:     svc.Name,
			Environment: env.Name,
			Tier:        env.Tier,
			Region:      env.Region,
			Template:    t,
			Parameters:  map[string]string{},
		},
	}
	b.stack.Tags = b.tagMap()

	compileParameters(b)
	compileAlerting(b)
	compileSecurity(b)
	compileNetwork(b)
	compileAccessLogs(b)
	compileLoadBalancer(b)
	compileWAF(b)
	compileCompute(b)
	compileScaling(b)
	compileDeployment(b)
	compileAlarms(b)
	compileBudget(b)
	compileOutputs(b)
	// The dashboard lists every alarm, so it follows every concern that
	// adds one; only the suppressions, which add none, come after it.
	compileDashboard(b)
	// Last: suppressions annotate resources the other concerns added.
	compileSuppressions(b)
	// After every concern: wrapping hides the typed goformation values.
	applyRawAttributes(b)
	return b.stack
}

// add puts a resource into the template under a logical ID.
func (b *stackBuilder) add(id string, r cloudformation.Resource) { addResource(b.t, id, r) }

// name builds an AWS resource name from the stack name and a suffix.
func (b *stackBuilder) name(suffix string) string {
	return b.env.Stack + "-" + suffix
}

// tagMap is the tag set every taggable resource carries.
func (b *stackBuilder) tagMap() map[string]string {
	return map[string]string{
		"phasec:service":     b.svc.Name,
		"phasec:environment": b.env.Name,
		"phasec:tier":        b.env.Tier,
		"phasec:managed-by":  ManagedBy,
	}
}

// tags is the tag set as goformation's Tag list.
func (b *stackBuilder) tags() []tags.Tag { return tagList(b.tagMap()) }

// addResource puts a resource into a template under a logical ID. Two
// concerns claiming one ID is a compiler bug, never a user error.
func addResource(t *cloudformation.Template, id string, r cloudformation.Resource) {
	if _, dup := t.Resources[id]; dup {
		panic(fmt.Sprintf("compiler: logical ID %s added twice", id))
	}
	t.Resources[id] = r
}

// tagList turns a tag set into goformation's Tag list, in key order.
func tagList(m map[string]string) []tags.Tag {
	out := make([]tags.Tag, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, tags.Tag{Key: k, Value: m[k]})
	}
	return out
}

// ptr returns a pointer to v. goformation models optional properties as
// pointers; a pointer also keeps a meaningful zero from being dropped by
// omitempty.
func ptr[T any](v T) *T { return &v }
