package compiler

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// renderedAsg compiles testService with the extra spec and returns the
// production stack's Asg resource and the stack.
func renderedAsg(t *testing.T, extra string) (map[string]any, *Stack) {
	t.Helper()
	files := map[string]string{"web.cue": testService}
	if extra != "" {
		files["extra.cue"] = "package specs\n\n" + extra
	}
	spec, err := loadSpecs(t, files)
	if err != nil {
		t.Fatal(err)
	}
	stack := Compile(spec)[0]
	body, err := Render(stack.Template)
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct{ Resources map[string]map[string]any }
	if err := json.Unmarshal(body, &tmpl); err != nil {
		t.Fatal(err)
	}
	return tmpl.Resources["Asg"], stack
}

// TestRollingUpdatePolicy pins the rolling update: never below the
// minimum, waiting on signals for the tier's time, suspending what would
// interfere.
func TestRollingUpdatePolicy(t *testing.T) {
	asg, _ := renderedAsg(t, `services: web: environments: production: scaling: minSize: 3`)
	want := map[string]any{
		"AutoScalingRollingUpdate": map[string]any{
			"MaxBatchSize":                  1.0,
			"MinInstancesInService":         3.0,
			"MinSuccessfulInstancesPercent": 100.0,
			"PauseTime":                     "PT15M",
			"SuspendProcesses":              []any{"AlarmNotification", "AZRebalance", "HealthCheck", "ReplaceUnhealthy", "ScheduledActions"},
			"WaitOnResourceSignals":         true,
		},
		"AutoScalingScheduledAction": map[string]any{"IgnoreUnmodifiedGroupSizeProperties": true},
	}
	if diff := cmp.Diff(want, asg["UpdatePolicy"]); diff != "" {
		t.Errorf("UpdatePolicy (-want +got):\n%s", diff)
	}
}

// TestCreationSignalCountKeepsZero is the goformation pitfall: a group that
// starts empty must wait for zero signals, and omitempty would drop the 0,
// leaving CloudFormation's default of one signal that never comes.
func TestCreationSignalCountKeepsZero(t *testing.T) {
	asg, _ := renderedAsg(t, `services: web: environments: production: scaling: minSize: 0`)
	cp, _ := asg["CreationPolicy"].(map[string]any)
	rs, _ := cp["ResourceSignal"].(map[string]any)
	count, ok := rs["Count"]
	if !ok || count != 0.0 {
		t.Fatalf("ResourceSignal.Count = %v (present: %v), want an explicit 0; CreationPolicy: %v", count, ok, cp)
	}
	up := asg["UpdatePolicy"].(map[string]any)["AutoScalingRollingUpdate"].(map[string]any)
	if v, ok := up["MinInstancesInService"]; !ok || v != 0.0 {
		t.Errorf("MinInstancesInService = %v (present: %v), want an explicit 0", v, ok)
	}
}

// TestReleaseIsParametersOnly shows that shipping a release changes the
// stack's parameters and nothing in the template.
func TestReleaseIsParametersOnly(t *testing.T) {
	_, before := renderedAsg(t, "")
	_, after := renderedAsg(t, `services: web: environments: production: deployment: release: {version: "2.4.1", image: "ami-0123456789abcdef0"}`)
	b1, _ := Render(before.Template)
	b2, _ := Render(after.Template)
	if string(b1) != string(b2) {
		t.Errorf("a release changed the template:\n%s", cmp.Diff(string(b1), string(b2)))
	}
	if got := after.Parameters[paramAppVersion]; got != "2.4.1" {
		t.Errorf("AppVersion parameter = %q, want 2.4.1", got)
	}
	if got := after.Parameters[paramImageID]; got != "ami-0123456789abcdef0" {
		t.Errorf("ImageId parameter = %q, want the release's image", got)
	}
	if got := before.Parameters[paramAppVersion]; got != "initial" {
		t.Errorf("default AppVersion = %q, want initial", got)
	}
}

// TestTrafficStepsValidated rejects steps that go down or stop short of
// all traffic, at the spec's position.
func TestTrafficStepsValidated(t *testing.T) {
	for _, tc := range []struct{ steps, want string }{
		{"[10, 50, 40, 100]", "traffic step 40% does not increase on the step before it (50%)"},
		{"[10, 50]", "the last traffic step is 50%"},
	} {
		_, err := loadSpecs(t, map[string]string{
			"web.cue":   testService,
			"steps.cue": "package specs\n\nservices: web: environments: production: deployment: blueGreen: trafficSteps: " + tc.steps + "\n",
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "specs/steps.cue:3:") {
			t.Errorf("steps %s: got %v, want a positioned error containing %q", tc.steps, err, tc.want)
		}
	}
}
