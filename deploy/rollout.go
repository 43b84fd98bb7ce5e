package deploy

import (
	"fmt"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Deployment strategies, as the compiler names them.
const (
	StrategyRolling   = "rolling"
	StrategyBlueGreen = "blue-green"
)

// BlueGreen tunes the rollouts of a blue-green stack (the spec's
// deployment.blueGreen).
type BlueGreen struct {
	// TrafficSteps are the percentages of traffic on the new colour, in
	// order; the last is 100.
	TrafficSteps []int `json:"trafficSteps"`
	// BakeMinutes is how long each step is watched for alarms before
	// the next; 0 checks the alarms once.
	BakeMinutes int `json:"bakeMinutes"`
	// HealthTimeoutMinutes is how long the new colour has to become
	// healthy behind the load balancer.
	HealthTimeoutMinutes int `json:"healthTimeoutMinutes"`
}

// Release is what a stack runs: an application version and a machine
// image (an AMI ID or resolve:ssm:/parameter).
type Release struct {
	Version string `json:"version"`
	Image   string `json:"image"`
}

// String is how a release is shown: "1.5.0 (ami-0abc...)".
func (r Release) String() string { return r.Version + " (" + r.Image + ")" }

// colour is one of a blue-green stack's two fleets.
type colour string

const (
	blue  colour = "blue"
	green colour = "green"
)

// Parameters a blue-green template declares (compiler/deployment_bluegreen.go).
const (
	paramLiveColour = "LiveColour"
	paramImage      = "ImageId"
	paramVersion    = "AppVersion"
	paramMinSize    = "MinSize"
	paramMaxSize    = "MaxSize"
	paramWeight     = "Weight"
)

// param is the colour's parameter for what: BlueMinSize, GreenWeight.
func (c colour) param(what string) string {
	if c == green {
		return "Green" + what
	}
	return "Blue" + what
}

// other is the colour that is not c.
func (c colour) other() colour {
	if c == green {
		return blue
	}
	return green
}

// output is the stack output that names the colour's what:
// GreenTargetGroupArn.
func (c colour) output(what string) string { return c.param(what) }

// RolloutPlan is a release rollout that a plan will run on a blue-green
// stack: the idle colour takes To at the live colour's capacity, then the
// traffic moves to it step by step.
type RolloutPlan struct {
	// From is what the live colour runs; To is the spec's release.
	From Release `json:"from"`
	To   Release `json:"to"`
	// Live is the colour serving now; Target the one that takes To.
	Live   string `json:"live"`
	Target string `json:"target"`
	BlueGreen
}

// isBlueGreenDeployed reports whether a deployed stack's parameters are
// those of a blue-green template, whose colours phasec manages.
func isBlueGreenDeployed(params map[string]string) bool {
	c := colour(params[paramLiveColour])
	return c == blue || c == green
}

// blueGreenParameters maps the spec's parameters, which describe a fresh
// stack (blue live with the spec's release and size, green idle), onto a
// deployed blue-green stack whose live colour may be green: the live
// colour keeps its release (a new release goes through a rollout, never
// through a plain update) and takes the spec's size, all traffic goes to
// it, and the idle colour stays at zero with whatever release it last
// ran. Everything else is the spec's.
func blueGreenParameters(spec, deployed map[string]string) map[string]string {
	live := colour(deployed[paramLiveColour])
	idle := live.other()
	out := maps.Clone(spec)
	out[paramLiveColour] = string(live)
	for _, what := range []string{paramImage, paramVersion} {
		out[live.param(what)] = deployed[live.param(what)]
		out[idle.param(what)] = deployed[idle.param(what)]
	}
	out[live.param(paramMinSize)] = spec[blue.param(paramMinSize)]
	out[live.param(paramMaxSize)] = spec[blue.param(paramMaxSize)]
	out[live.param(paramWeight)] = "100"
	out[idle.param(paramMinSize)] = "0"
	out[idle.param(paramMaxSize)] = "0"
	out[idle.param(paramWeight)] = "0"
	return out
}

// releaseOf is what a colour runs according to a stack's parameters.
func releaseOf(params map[string]string, c colour) Release {
	return Release{Version: params[c.param(paramVersion)], Image: params[c.param(paramImage)]}
}

// rolloutFor decides whether applying the spec to a deployed blue-green
// stack needs a rollout: when the live colour runs another release.
func rolloutFor(s Stack, deployed map[string]string) (*RolloutPlan, error) {
	if s.BlueGreen == nil {
		return nil, fmt.Errorf("the stack is blue-green but has no blue-green settings (traffic steps, bake and health timeout)")
	}
	if err := checkSteps(s.BlueGreen.TrafficSteps); err != nil {
		return nil, err
	}
	if s.Release.Version == "" || s.Release.Image == "" {
		return nil, fmt.Errorf("the stack is blue-green but its release (version and image) is not known")
	}
	live := colour(deployed[paramLiveColour])
	from := releaseOf(deployed, live)
	if from == s.Release {
		return nil, nil
	}
	return &RolloutPlan{From: from, To: s.Release, Live: string(live), Target: string(live.other()), BlueGreen: *s.BlueGreen}, nil
}

// checkSteps refuses traffic steps a rollout cannot follow; the compiler
// checks them too, this guards stacks built by hand.
func checkSteps(steps []int) error {
	prev := 0
	for _, s := range steps {
		if s <= prev || s > 100 {
			return fmt.Errorf("traffic steps %v must rise strictly within 1-100", steps)
		}
		prev = s
	}
	if prev != 100 {
		return fmt.Errorf("traffic steps %v must end at 100", steps)
	}
	return nil
}

// blueGreenPlan decides what a plan of a deployed blue-green stack sends
// and whether it rolls a release out: the change set gets the spec's
// parameters mapped onto the deployed colours, and a release the live
// colour does not run yet becomes a rollout. A stack that a rollout holds
// is refused: a plain update would undo the rollout's steps. Other
// stacks, and blue-green stacks not yet created, get the spec's
// parameters unchanged.
func blueGreenPlan(s Stack, current *types.Stack, region string) (map[string]string, *RolloutPlan, error) {
	if s.Strategy != StrategyBlueGreen || current == nil || current.StackStatus == types.StackStatusReviewInProgress {
		return s.Parameters, nil, nil
	}
	deployed, err := readBlueGreen(current)
	if err != nil {
		// Not blue-green yet: this update makes it so, blue live with
		// the spec's release.
		return s.Parameters, nil, nil
	}
	if deployed.lock != nil {
		return nil, nil, lockedError(s.Name, region, deployed.lock)
	}
	rollout, err := rolloutFor(s, deployed.params)
	if err != nil {
		return nil, nil, err
	}
	return blueGreenParameters(s.Parameters, deployed.params), rollout, nil
}

// monitoringMinutesFor is how long CloudFormation watches a stack's
// rollback triggers after an update: the spec's setting, else the tier's.
func monitoringMinutesFor(s Stack) int32 {
	if s.MonitoringMinutes != nil {
		return *s.MonitoringMinutes
	}
	return policyFor(s.Tier).monitoringMinutes
}

// rollout shows the release rollout a plan runs after its change set.
func (r renderer) rollout(s StackPlan) {
	p := s.Rollout
	if p == nil {
		return
	}
	fmt.Fprintf(r.w, "%s %s → %s\n", r.style(styleBold, "  release rollout (blue-green):"), p.From, p.To)
	steps := make([]string, len(p.TrafficSteps))
	for i, st := range p.TrafficSteps {
		steps[i] = fmt.Sprintf("%d%%", st)
	}
	fmt.Fprintf(r.w, "    %s starts with the new release at %s's capacity and must be healthy within %d min\n", p.Target, p.Live, p.HealthTimeoutMinutes)
	fmt.Fprintf(r.w, "    traffic on %s: %s, each step baked %d min watching the critical alarms; then %s goes to 0\n",
		p.Target, strings.Join(steps, " → "), p.BakeMinutes, p.Live)
}
