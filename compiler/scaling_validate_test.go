package compiler

import (
	"errors"
	"strings"
	"testing"
)

// TestValidateScaling runs each scaling check on a spec that breaks it
// once, and requires exactly that problem: at the right path, saying the
// right thing, with a hint. The testscript cases pin the full messages of
// the main checks; this table covers every branch.
func TestValidateScaling(t *testing.T) {
	tests := []struct {
		name string
		envs string
		// path is the problem's path below the environment's scaling;
		// msg a part of its message.
		path, msg string
	}{
		{"overlapping out steps", prod(`stepScaling: cpu: out: steps: [{lower: 0, upper: 10, adjustment: 1}, {lower: 5, adjustment: 2}]`),
			"stepScaling.cpu.out.steps.1.lower", "scale-out steps 0 and 1 overlap: step 0 reaches 10 but step 1 starts at 5"},
		{"steps out of order still tile", prod(`stepScaling: cpu: out: steps: [{lower: 10, adjustment: 2}, {lower: 0, upper: 10, adjustment: 1}]`),
			"", ""},
		{"gap between in steps", prod(`stepScaling: cpu: in: steps: [{lower: -5, upper: 0, adjustment: -1}, {upper: -10, adjustment: -2}]`),
			"stepScaling.cpu.in.steps.1.upper", "gap between scale-in steps 0 and 1: no step covers 30% to 35%"},
		{"in steps not starting at the threshold", prod(`stepScaling: cpu: in: steps: [{upper: -5, adjustment: -1}]`),
			"stepScaling.cpu.in.steps.0.upper", "gap between the threshold and scale-in step 0: no step covers 35% to 40%"},
		{"no open out step", prod(`stepScaling: cpu: out: steps: [{lower: 0, upper: 10, adjustment: 1}]`),
			"stepScaling.cpu.out.steps.0.upper", "no scale-out step is open-ended: values above 80% match no step"},
		{"two open in steps", prod(`stepScaling: cpu: in: steps: [{upper: 0, adjustment: -1}, {upper: -10, adjustment: -2}]`),
			"stepScaling.cpu.in.steps.1", "scale-in steps 0 and 1 both have no lower bound"},
		{"in step open towards the threshold", prod(`stepScaling: cpu: in: steps: [{lower: -10, adjustment: -1}, {upper: -10, adjustment: -2}]`),
			"stepScaling.cpu.in.steps.0", "scale-in step 0 has no upper bound"},
		{"out bound below the threshold", prod(`stepScaling: cpu: out: steps: [{lower: -5, adjustment: 1}]`),
			"stepScaling.cpu.out.steps.0.lower", "scale-out step 0 has lower bound -5, on the wrong side of the threshold"},
		{"empty step", prod(`stepScaling: cpu: out: steps: [{lower: 0, upper: 0, adjustment: 1}, {lower: 0, adjustment: 2}]`),
			"stepScaling.cpu.out.steps.0.upper", "scale-out step 0 is empty: its bounds run from 0 to 0"},
		{"zero out adjustment", prod(`stepScaling: cpu: out: steps: [{lower: 0, adjustment: 0}]`),
			"stepScaling.cpu.out.steps.0.adjustment", "scale-out step 0 has adjustment 0; a scale-out adjustment must be positive"},
		{"positive in adjustment", prod(`stepScaling: cpu: in: steps: [{upper: 0, adjustment: 2}]`),
			"stepScaling.cpu.in.steps.0.adjustment", "scale-in step 0 has adjustment 2; a scale-in adjustment must be negative"},
		{"in percent beyond the group", prod(`stepScaling: cpu: in: {adjustmentType: "PercentChangeInCapacity", steps: [{upper: 0, adjustment: -150}]}`),
			"stepScaling.cpu.in.steps.0.adjustment", "scale-in step 0 removes 150% of the group"},
		{"no steps", `	environments: production: {
		tier: "production"
		scaling: stepScaling: memory: out: threshold: 85
	}
`, "stepScaling.memory.out.steps", "a step policy needs at least one step"},
		{"magnitude without percent", prod(`stepScaling: cpu: in: minAdjustmentMagnitude: 2`),
			"stepScaling.cpu.in.minAdjustmentMagnitude", "minAdjustmentMagnitude only applies to PercentChangeInCapacity adjustments, not ChangeInCapacity"},
		{"period not in minutes", prod(`stepScaling: cpu: out: periodSeconds: 90`),
			"stepScaling.cpu.out.periodSeconds", "periodSeconds 90 is not a whole number of minutes"},
		{"window longer than a day", prod(`stepScaling: cpu: in: {periodSeconds: 3600, evaluationPeriods: 25}`),
			"stepScaling.cpu.in.evaluationPeriods", "periodSeconds × evaluationPeriods is 90000 seconds"},
		{"simple window longer than a day", prod(`simpleScaling: {periodSeconds: 7200, evaluationPeriods: 13}`),
			"simpleScaling.evaluationPeriods", "periodSeconds × evaluationPeriods is 93600 seconds"},
		{"flapping step thresholds", prod(`stepScaling: cpu: in: threshold: 70`),
			"stepScaling.cpu.in.threshold", "scale-in threshold 70% on CPU is not below the scale-out threshold 70% of the scale-out step policy"},
		{"flapping with the simple policy", prod(`cpuTarget: 50, stepScaling: cpu: {out: enabled: false, in: threshold: 59}, simpleScaling: threshold: 58`),
			"stepScaling.cpu.in.threshold", "scale-in threshold 59% on CPU is not below the scale-out threshold 58% of the simple scaling policy"},
		{"disabled policies neither flap nor fight", prod(`stepScaling: cpu: {out: {enabled: false, threshold: 10}, in: {enabled: false, threshold: 99}}`),
			"", ""},
		{"scale-out below the target", prod(`stepScaling: cpu: out: threshold: 60`),
			"stepScaling.cpu.out.threshold", "scale-out threshold 60% on CPU is not above the target 60%"},
		{"simple policy below the target", prod(`simpleScaling: {metric: "requests", threshold: 90}`),
			"simpleScaling.threshold", "scale-out threshold 90 on requests per target is not above the target 100"},
		{"scale-in above the target", prod(`cpuTarget: 30, stepScaling: cpu: {in: threshold: 35, out: threshold: 50}`),
			"stepScaling.cpu.in.threshold", "scale-in threshold 35% on CPU is not below the target 30%"},
		{"target tracking scales in next to a step scale-in", prod(`targetTracking: cpu: disableScaleIn: false`),
			"targetTracking.cpu.disableScaleIn", "target tracking on CPU would scale in while the CPU step policy also scales in"},
		{"target tracking owns scale-in without a step scale-in", prod(`stepScaling: cpu: in: enabled: false, targetTracking: memory: disableScaleIn: true`),
			"", ""},
		{"scheduled size above the group", dev(`schedule: peak: {recurrence: "0 9 * * *", timeZone: "UTC", desiredCapacity: 4}`),
			"schedule.peak.desiredCapacity", "scheduled desiredCapacity 4 is outside the group's range 0..3 (maxSize)"},
		{"scheduled minimum above the group's maximum", dev(`schedule: peak: {recurrence: "0 9 * * *", timeZone: "UTC", minSize: 3, maxSize: 2}`),
			"schedule.peak.maxSize", "scheduled action peak would leave minSize 3 (its minSize) above maxSize 2 (its maxSize)"},
		{"scheduled minimum alone above the group's maximum", `	environments: dev: {
		tier: "dev"
		scaling: {maxSize: 2, schedule: peak: {recurrence: "0 9 * * *", timeZone: "UTC", maxSize: 0}}
	}
`, "schedule.peak.maxSize", "would leave minSize 1 (the group's minSize) above maxSize 0 (its maxSize)"},
		{"scheduled desired above its own maximum", dev(`schedule: peak: {recurrence: "0 9 * * *", timeZone: "UTC", maxSize: 1, desiredCapacity: 2}`),
			"schedule.peak.desiredCapacity", "scheduled desiredCapacity 2 is outside 1..1, the range in effect (the group's minSize, its maxSize)"},
		{"scheduled zero with its minimum", dev(`schedule: night: {recurrence: "0 20 * * *", timeZone: "Europe/Berlin", minSize: 0, desiredCapacity: 0}`),
			"", ""},
		{"scheduled action without a size", dev(`schedule: night: {recurrence: "0 20 * * *", timeZone: "UTC"}`),
			"schedule.night", "scheduled action night sets no size"},
		{"cron value out of range", dev(`schedule: night: {recurrence: "0 20 * * MON-FRI", timeZone: "UTC", minSize: 0}`),
			"schedule.night.recurrence", `day of week field "MON-FRI": "MON" is not a value from 0 to 7`},
		{"Spot in production", prod(`mixedInstances: {instanceTypes: ["t3.small", "t3a.small"], spotPercentage: 10}`),
			"mixedInstances.spotPercentage", "production runs On-Demand only, but spotPercentage is 10"},
		{"Spot in staging", `	environments: staging: {
		tier: "staging"
		scaling: mixedInstances: {instanceTypes: ["t3.small", "t3a.small"], spotPercentage: 100}
	}
`, "", ""},
		{"mixed types without the environment's", prod(`mixedInstances: instanceTypes: ["t3a.small", "t3.medium"]`),
			"mixedInstances.instanceTypes", "instanceTypes does not include the environment's instanceType t3.small"},
		{"mixed architectures", prod(`mixedInstances: instanceTypes: ["t3.small", "m7g.large"]`),
			"mixedInstances.instanceTypes.1", "instance type m7g.large is arm64 but the environment's instanceType t3.small is x86_64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadScalingSpec(t, tt.envs)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("unexpected error:\n%v", err)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("want exactly one problem, got:\n%v", err)
			}
			e := errs[0]
			if !strings.HasSuffix(e.Path, ".scaling."+tt.path) || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got %s: %s\nwant ...scaling.%s: ...%s...", e.Path, e.Msg, tt.path, tt.msg)
			}
			if e.Hint == "" {
				t.Error("no hint")
			}
			if !e.Pos.IsValid() || e.Pos.Filename() != "t/shop.cue" {
				t.Errorf("position %v is not in the spec", e.Pos)
			}
		})
	}
}

// TestScalingSchema covers what the schema rejects itself, with the hints
// scalingHint gives.
func TestScalingSchema(t *testing.T) {
	tests := []struct {
		name, envs, path, hint string
	}{
		{"requests step periods are one minute", `	environments: production: {
		tier: "production"
		scaling: stepScaling: requests: out: {threshold: 200, periodSeconds: 300, steps: [{lower: 0, adjustment: 1}]}
	}
`, "stepScaling.requests.out.periodSeconds", "alarm periods are whole minutes"},
		{"CPU thresholds below 100", prod(`cpuTarget: 92`), "stepScaling.cpu.out.threshold", "CPU thresholds are percentages"},
		{"simple policy only adds", prod(`simpleScaling: adjustment: -1`), "simpleScaling.adjustment", "simple scaling only adds capacity"},
		{"Spot share is a percentage", `	environments: staging: {
		tier: "staging"
		scaling: mixedInstances: {instanceTypes: ["t3.small", "t3a.small"], spotPercentage: 120}
	}
`, "mixedInstances.spotPercentage", "spotPercentage is the share"},
		{"On-Demand base within the group", prod(`mixedInstances: {instanceTypes: ["t3.small", "t3a.small"], onDemandBaseCapacity: 11}`),
			"mixedInstances.onDemandBaseCapacity", "onDemandBaseCapacity is at most maxSize"},
		{"two instance types at least", prod(`mixedInstances: instanceTypes: ["t3.small"]`), "mixedInstances.instanceTypes", "list at least two distinct instance types"},
		{"scheduled sizes within 1000", dev(`schedule: peak: {recurrence: "0 9 * * *", timeZone: "UTC", minSize: 1001}`), "schedule.peak.minSize", "scheduled sizes are from 0"},
		{"a recurrence has five fields", dev(`schedule: peak: {recurrence: "0 20 * *", timeZone: "UTC", minSize: 1}`), "schedule.peak.recurrence", "a recurrence is a cron expression"},
		{"adjustment types", prod(`stepScaling: cpu: out: adjustmentType: "ExactCapacity"`), "stepScaling.cpu.out.adjustmentType", "adjustmentType is"},
		{"time zones are IANA names", dev(`schedule: peak: {recurrence: "0 9 * * *", timeZone: "CET+1", minSize: 1}`), "schedule.peak.timeZone", "a time zone is an IANA name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadScalingSpec(t, tt.envs)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want a spec error, got %v", err)
			}
			for _, e := range errs {
				if strings.HasSuffix(e.Path, ".scaling."+tt.path) && strings.Contains(e.Hint, tt.hint) && e.Pos.IsValid() {
					return
				}
			}
			t.Errorf("no problem at ...scaling.%s with hint %q; got:\n%v", tt.path, tt.hint, err)
		})
	}
}

// prod is a production environment with a scaling override.
func prod(scaling string) string {
	return "\tenvironments: production: {\n\t\ttier: \"production\"\n\t\tscaling: {" + scaling + "}\n\t}\n"
}

// dev is a dev environment with a scaling override.
func dev(scaling string) string {
	return "\tenvironments: dev: {\n\t\ttier: \"dev\"\n\t\tscaling: {" + scaling + "}\n\t}\n"
}
