package compiler

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/templatecheck"
)

// scalingSpecHead is a service without environments, for tests that only
// vary the environments' scaling.
const scalingSpecHead = `package specs

services: shop: {
	region: "us-east-1"
	network: {
		vpcId: "vpc-0a1b2c3d4e5f60718"
		publicSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
		privateSubnetIds: ["subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012"]
	}
	app: certificateArn: "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	alerts: {
		critical: email: ["oncall@example.com"]
		warning: email: ["team@example.com"]
		info: email: ["feed@example.com"]
	}
`

// loadScalingSpec loads a one-service spec whose environments block is
// envs.
func loadScalingSpec(t *testing.T, envs string) (*Spec, error) {
	t.Helper()
	fsys := fstest.MapFS{
		"shop.cue": {Data: []byte(scalingSpecHead + envs + "}\n")},
		// These tests are about one group's scaling; production would
		// otherwise default to blue-green and two groups (see
		// TestBlueGreenScalesEachColour).
		"rolling.cue": {Data: []byte("package specs\n\nservices: shop: environments: [string]: deployment: strategy: \"rolling\"\n")},
	}
	return LoadFS(fsys, "t")
}

// compileScalingSpec loads and compiles envs and returns each stack's
// rendered template, decoded, by environment name. Every template must
// also pass the structural checks CloudFormation would apply.
func compileScalingSpec(t *testing.T, envs string) map[string]map[string]any {
	t.Helper()
	spec, err := loadScalingSpec(t, envs)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	out := map[string]map[string]any{}
	for _, s := range Compile(spec) {
		body, err := Render(s.Template)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		problems, err := templatecheck.Check(body)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", s.Name, p)
		}
		var tree map[string]any
		if err := json.Unmarshal(body, &tree); err != nil {
			t.Fatal(err)
		}
		out[s.Environment] = tree
	}
	return out
}

// resource returns the properties of the resource id, failing when the
// template has none.
func resource(t *testing.T, tmpl map[string]any, id string) map[string]any {
	t.Helper()
	r, ok := tmpl["Resources"].(map[string]any)[id].(map[string]any)
	if !ok {
		t.Fatalf("no resource %s", id)
	}
	props, _ := r["Properties"].(map[string]any)
	return props
}

// hasResource reports whether the template has a resource id.
func hasResource(tmpl map[string]any, id string) bool {
	_, ok := tmpl["Resources"].(map[string]any)[id]
	return ok
}

// asJSON re-encodes v so that expectations can be written as JSON.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestScalingTierDefaults pins what each tier compiles to with no scaling
// overrides: the values README.md (Scaling) documents.
func TestScalingTierDefaults(t *testing.T) {
	tmpls := compileScalingSpec(t, `	environments: {
		production: tier: "production"
		staging: tier:    "staging"
		dev: tier:        "dev"
	}
`)
	type want struct {
		warmup, cooldown          float64
		outThreshold, inThreshold float64
		outPeriod, outEvals       float64
		inPeriod, inEvals         float64
		outSteps                  string
		minMagnitude              float64
		simplePeriod, simpleEvals float64
		simpleAdjust              float64
		simpleCooldown            string
	}
	tiers := map[string]want{
		"production": {warmup: 300, cooldown: 300, outThreshold: 70, inThreshold: 40,
			outPeriod: 60, outEvals: 2, inPeriod: 60, inEvals: 15,
			outSteps:     `[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":10,"ScalingAdjustment":10},{"MetricIntervalLowerBound":10,"MetricIntervalUpperBound":20,"ScalingAdjustment":20},{"MetricIntervalLowerBound":20,"ScalingAdjustment":30}]`,
			minMagnitude: 2, simplePeriod: 60, simpleEvals: 3, simpleAdjust: 2, simpleCooldown: "600"},
		"staging": {warmup: 180, cooldown: 180, outThreshold: 80, inThreshold: 50,
			outPeriod: 300, outEvals: 1, inPeriod: 300, inEvals: 2,
			outSteps:     `[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":10,"ScalingAdjustment":10},{"MetricIntervalLowerBound":10,"MetricIntervalUpperBound":15,"ScalingAdjustment":20},{"MetricIntervalLowerBound":15,"ScalingAdjustment":30}]`,
			minMagnitude: 1, simplePeriod: 300, simpleEvals: 1, simpleAdjust: 1, simpleCooldown: "300"},
		"dev": {warmup: 120, cooldown: 120, outThreshold: 85, inThreshold: 55,
			outPeriod: 300, outEvals: 1, inPeriod: 300, inEvals: 1,
			outSteps:     `[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":5,"ScalingAdjustment":10},{"MetricIntervalLowerBound":5,"MetricIntervalUpperBound":10,"ScalingAdjustment":20},{"MetricIntervalLowerBound":10,"ScalingAdjustment":30}]`,
			minMagnitude: 1, simplePeriod: 300, simpleEvals: 1, simpleAdjust: 1, simpleCooldown: "300"},
	}
	for tier, w := range tiers {
		t.Run(tier, func(t *testing.T) {
			tmpl := tmpls[tier]
			asg := resource(t, tmpl, idAsg)
			if asg["DefaultInstanceWarmup"] != w.warmup || asg["Cooldown"] != itoa(int(w.cooldown)) {
				t.Errorf("group warm-up %v, cooldown %v; want %v, %v", asg["DefaultInstanceWarmup"], asg["Cooldown"], w.warmup, w.cooldown)
			}
			for _, id := range []string{"CpuTargetTracking", "MemoryTargetTracking", "RequestsTargetTracking"} {
				tt := resource(t, tmpl, id)["TargetTrackingConfiguration"].(map[string]any)
				if tt["DisableScaleIn"] != true {
					t.Errorf("%s: DisableScaleIn %v; the CPU step policy owns scale-in", id, tt["DisableScaleIn"])
				}
			}

			out := resource(t, tmpl, "CpuStepScaleOut")
			if got := asJSON(t, out["StepAdjustments"]); got != w.outSteps {
				t.Errorf("scale-out steps (-want +got):\n%s", cmp.Diff(w.outSteps, got))
			}
			if out["AdjustmentType"] != "PercentChangeInCapacity" || out["MinAdjustmentMagnitude"] != w.minMagnitude {
				t.Errorf("scale-out adjustment %v, magnitude %v", out["AdjustmentType"], out["MinAdjustmentMagnitude"])
			}
			in := resource(t, tmpl, "CpuStepScaleIn")
			if got := asJSON(t, in["StepAdjustments"]); got != `[{"MetricIntervalUpperBound":0,"ScalingAdjustment":-1}]` {
				t.Errorf("scale-in steps %s", got)
			}
			if _, ok := in["MinAdjustmentMagnitude"]; ok {
				t.Error("scale-in policy has MinAdjustmentMagnitude, which only percent adjustments take")
			}

			checkAlarm(t, tmpl, "CpuScaleOutAlarm", "CpuStepScaleOut", "InfoTopic", "GreaterThanOrEqualToThreshold", w.outThreshold, w.outPeriod, w.outEvals)
			checkAlarm(t, tmpl, "CpuScaleInAlarm", "CpuStepScaleIn", "InfoTopic", "LessThanOrEqualToThreshold", w.inThreshold, w.inPeriod, w.inEvals)
			checkAlarm(t, tmpl, "CpuSaturatedAlarm", "CpuSimpleScaleOut", "WarningTopic", "GreaterThanOrEqualToThreshold", 90, w.simplePeriod, w.simpleEvals)

			simple := resource(t, tmpl, "CpuSimpleScaleOut")
			if simple["ScalingAdjustment"] != w.simpleAdjust || simple["Cooldown"] != w.simpleCooldown || simple["PolicyType"] != "SimpleScaling" {
				t.Errorf("simple policy %s", asJSON(t, simple))
			}
		})
	}
}

// checkAlarm checks that alarm id watches the group's CPU as stated and
// drives policy besides notifying topic.
func checkAlarm(t *testing.T, tmpl map[string]any, id, policy, topic, comparison string, threshold, period, evals float64) {
	t.Helper()
	a := resource(t, tmpl, id)
	actions := asJSON(t, a["AlarmActions"])
	if want := `[{"Ref":"` + topic + `"},{"Ref":"` + policy + `"}]`; actions != want {
		t.Errorf("%s: actions %s, want %s", id, actions, want)
	}
	if a["ComparisonOperator"] != comparison || a["Threshold"] != threshold || a["Period"] != period ||
		a["EvaluationPeriods"] != evals || a["DatapointsToAlarm"] != evals {
		t.Errorf("%s: %v %v over %v x %vs (%v to alarm); want %v %v over %v x %vs", id,
			a["ComparisonOperator"], a["Threshold"], a["EvaluationPeriods"], a["Period"], a["DatapointsToAlarm"],
			comparison, threshold, evals, period)
	}
	if a["MetricName"] != "CPUUtilization" || a["Namespace"] != "AWS/EC2" {
		t.Errorf("%s watches %v/%v", id, a["Namespace"], a["MetricName"])
	}
}

// TestScalingOverrides compiles the optional parts: steps and thresholds
// of the spec's own, a memory step policy, a simple policy on requests,
// scheduled actions, mixed instances with and without Spot, and scale-in
// handed back to target tracking when the step scale-in is disabled.
func TestScalingOverrides(t *testing.T) {
	tmpls := compileScalingSpec(t, `	environments: {
		production: {
			tier: "production"
			scaling: {
				cpuTarget: 50
				targetTracking: cpu: instanceWarmup: 240
				stepScaling: cpu: out: {
					adjustmentType: "ChangeInCapacity"
					steps: [
						{lower: 0, upper: 15, adjustment: 1},
						{lower: 15, adjustment: 3},
					]
				}
				mixedInstances: instanceTypes: ["t3.small", "t3a.small"]
			}
		}
		staging: {
			tier: "staging"
			scaling: {
				stepScaling: {
					cpu: in: enabled: false
					memory: out: {threshold: 90, steps: [{lower: 0, adjustment: 1}]}
				}
				simpleScaling: {metric: "requests", threshold: 400}
				schedule: {
					night: {recurrence: "0 20 * * 1-5", timeZone: "Europe/Berlin", minSize: 0, desiredCapacity: 0}
					"early-morning": {recurrence: "30 6 * * MON", timeZone: "Europe/Berlin", minSize: 1, desiredCapacity: 1}
				}
				mixedInstances: {instanceTypes: ["t3.small", "t3a.small", "t2.small"], spotPercentage: 30}
			}
		}
		dev: {
			tier: "dev"
			scaling: {
				stepScaling: cpu: out: enabled: false
				simpleScaling: enabled: false
			}
		}
	}
`)
	prod := tmpls["production"]
	// Thresholds follow the overridden target: 50 + 10 and 50 - 20.
	if th := resource(t, prod, "CpuScaleOutAlarm")["Threshold"]; th != 60.0 {
		t.Errorf("production scale-out threshold %v, want 60", th)
	}
	if th := resource(t, prod, "CpuScaleInAlarm")["Threshold"]; th != 30.0 {
		t.Errorf("production scale-in threshold %v, want 30", th)
	}
	out := resource(t, prod, "CpuStepScaleOut")
	if _, ok := out["MinAdjustmentMagnitude"]; ok || out["AdjustmentType"] != "ChangeInCapacity" {
		t.Errorf("instance adjustments with a minimum magnitude: %s", asJSON(t, out))
	}
	if got := asJSON(t, out["StepAdjustments"]); got != `[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":15,"ScalingAdjustment":1},{"MetricIntervalLowerBound":15,"ScalingAdjustment":3}]` {
		t.Errorf("the spec's steps were not taken whole: %s", got)
	}
	if w := resource(t, prod, "CpuTargetTracking")["EstimatedInstanceWarmup"]; w != 240.0 {
		t.Errorf("CPU target tracking warm-up %v, want 240", w)
	}
	asg := resource(t, prod, idAsg)
	if _, ok := asg["LaunchTemplate"]; ok {
		t.Error("a group with a mixed-instances policy also names a launch template")
	}
	if got := asJSON(t, asg["MixedInstancesPolicy"].(map[string]any)["InstancesDistribution"]); got != `{"OnDemandAllocationStrategy":"prioritized","OnDemandBaseCapacity":2,"OnDemandPercentageAboveBaseCapacity":100}` {
		t.Errorf("production distribution %s", got)
	}
	if _, ok := asg["CapacityRebalance"]; ok {
		t.Error("capacity rebalancing without Spot")
	}

	staging := tmpls["staging"]
	if hasResource(staging, "CpuStepScaleIn") || hasResource(staging, "CpuScaleInAlarm") {
		t.Error("a disabled scale-in step policy was compiled")
	}
	for _, id := range []string{"CpuTargetTracking", "MemoryTargetTracking", "RequestsTargetTracking"} {
		if d := resource(t, staging, id)["TargetTrackingConfiguration"].(map[string]any)["DisableScaleIn"]; d != false {
			t.Errorf("%s: DisableScaleIn %v; without a step scale-in, target tracking scales in", id, d)
		}
	}
	mem := resource(t, staging, "MemoryScaleOutAlarm")
	if mem["MetricName"] != "mem_used_percent" || mem["Namespace"] != agentNamespace || mem["Period"] != 60.0 || mem["EvaluationPeriods"] != 3.0 {
		t.Errorf("memory scale-out alarm %s", asJSON(t, mem))
	}
	req := resource(t, staging, "RequestsSaturatedAlarm")
	if req["MetricName"] != "RequestCountPerTarget" || req["Statistic"] != "Sum" || req["Period"] != 60.0 ||
		asJSON(t, req["Dimensions"]) != `[{"Name":"TargetGroup","Value":{"Fn::GetAtt":["TargetGroup","TargetGroupFullName"]}}]` {
		t.Errorf("requests saturation alarm %s", asJSON(t, req))
	}
	night := resource(t, staging, "ScheduleNight")
	if asJSON(t, night) != `{"AutoScalingGroupName":{"Ref":"Asg"},"DesiredCapacity":0,"MinSize":0,"Recurrence":"0 20 * * 1-5","TimeZone":"Europe/Berlin"}` {
		t.Errorf("night schedule %s", asJSON(t, night))
	}
	if !hasResource(staging, "ScheduleEarlyMorning") {
		t.Error("no ScheduleEarlyMorning")
	}
	group := staging["Resources"].(map[string]any)[idAsg].(map[string]any)
	if got := asJSON(t, group["UpdatePolicy"]); !strings.Contains(got, `"AutoScalingScheduledAction":{"IgnoreUnmodifiedGroupSizeProperties":true}`) {
		t.Errorf("a group with scheduled actions lets updates reset its size: UpdatePolicy %s", got)
	}
	sasg := resource(t, staging, idAsg)
	if got := asJSON(t, sasg["MixedInstancesPolicy"].(map[string]any)["InstancesDistribution"]); got != `{"OnDemandAllocationStrategy":"prioritized","OnDemandBaseCapacity":1,"OnDemandPercentageAboveBaseCapacity":70,"SpotAllocationStrategy":"price-capacity-optimized"}` {
		t.Errorf("staging distribution %s", got)
	}
	if sasg["CapacityRebalance"] != true {
		t.Error("Spot capacity without capacity rebalancing")
	}

	dev := tmpls["dev"]
	for _, id := range []string{"CpuStepScaleOut", "CpuScaleOutAlarm", "CpuSimpleScaleOut", "CpuSaturatedAlarm"} {
		if hasResource(dev, id) {
			t.Errorf("disabled policy compiled: %s", id)
		}
	}
	if !hasResource(dev, "CpuStepScaleIn") {
		t.Error("disabling scale-out dropped the scale-in step policy too")
	}
}

// TestScalingNotificationsBySeverity checks that the group's own events
// follow the severity routing and cover every event AwsSolutions-AS3
// requires.
func TestScalingNotificationsBySeverity(t *testing.T) {
	tmpl := compileScalingSpec(t, `	environments: production: tier: "production"
`)["production"]
	got := asJSON(t, resource(t, tmpl, idAsg)["NotificationConfigurations"])
	want := `[{"NotificationTypes":["autoscaling:EC2_INSTANCE_LAUNCH","autoscaling:EC2_INSTANCE_TERMINATE"],"TopicARN":[{"Ref":"InfoTopic"}]},` +
		`{"NotificationTypes":["autoscaling:EC2_INSTANCE_LAUNCH_ERROR","autoscaling:EC2_INSTANCE_TERMINATE_ERROR"],"TopicARN":[{"Ref":"CriticalTopic"}]}]`
	if got != want {
		t.Errorf("notifications (-want +got):\n%s", cmp.Diff(want, got))
	}
}

// TestShippedSpecsShowEveryPolicyKind keeps the golden templates honest
// about what they lock: every shipped stack has all three kinds of policy,
// each step and simple policy driven by an alarm that also notifies.
func TestShippedSpecsShowEveryPolicyKind(t *testing.T) {
	spec, err := LoadShipped()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Compile(spec) {
		if s.Service == "" {
			continue // an account baseline has no group to scale
		}
		kinds := map[string]int{}
		driven := map[string]bool{}
		body, err := Render(s.Template)
		if err != nil {
			t.Fatal(err)
		}
		var tree map[string]any
		if err := json.Unmarshal(body, &tree); err != nil {
			t.Fatal(err)
		}
		for _, r := range tree["Resources"].(map[string]any) {
			res := r.(map[string]any)
			props, _ := res["Properties"].(map[string]any)
			switch res["Type"] {
			case "AWS::AutoScaling::ScalingPolicy":
				kinds[props["PolicyType"].(string)]++
			case "AWS::CloudWatch::Alarm":
				for _, a := range props["AlarmActions"].([]any) {
					if ref, ok := a.(map[string]any)["Ref"].(string); ok {
						driven[ref] = true
					}
				}
			}
		}
		// A blue-green stack scales each colour's group on its own.
		suffixes := []string{""}
		if s.Strategy == StrategyBlueGreen {
			suffixes = []string{"Blue", "Green"}
		}
		n := len(suffixes)
		if kinds["TargetTrackingScaling"] != 3*n || kinds["StepScaling"] != 2*n || kinds["SimpleScaling"] != n {
			t.Errorf("%s: policies %v; want 3 target tracking, 2 step, 1 simple per group (%d groups)", s.Name, kinds, n)
		}
		for _, sfx := range suffixes {
			for _, id := range []string{"CpuStepScaleOut", "CpuStepScaleIn", "CpuSimpleScaleOut"} {
				if !driven[id+sfx] {
					t.Errorf("%s: no alarm drives %s", s.Name, id+sfx)
				}
			}
		}
	}
}
