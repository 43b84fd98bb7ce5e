package compiler

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rolling picks the rolling strategy for testService's production, which
// defaults to blue-green.
const rolling = "services: web: environments: production: deployment: strategy: \"rolling\"\n"

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
	asg, _ := renderedAsg(t, rolling+`services: web: environments: production: scaling: minSize: 3`)
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
	asg, _ := renderedAsg(t, rolling+`services: web: environments: production: scaling: minSize: 0`)
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
// stack's parameters and nothing in the template, for both strategies.
func TestReleaseIsParametersOnly(t *testing.T) {
	const release = `services: web: environments: production: deployment: release: {version: "2.4.1", image: "ami-0123456789abcdef0"}` + "\n"
	for _, tc := range []struct {
		name, strategy       string
		versionP, imageP     string
		defaultVersionHolder string
	}{
		{"rolling", rolling, paramAppVersion, paramImageID, paramAppVersion},
		{"blue-green", "", "BlueAppVersion", "BlueImageId", "GreenAppVersion"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, before := renderedAsg(t, tc.strategy)
			_, after := renderedAsg(t, tc.strategy+release)
			b1, _ := Render(before.Template)
			b2, _ := Render(after.Template)
			if string(b1) != string(b2) {
				t.Errorf("a release changed the template:\n%s", cmp.Diff(string(b1), string(b2)))
			}
			if got := after.Parameters[tc.versionP]; got != "2.4.1" {
				t.Errorf("%s = %q, want 2.4.1", tc.versionP, got)
			}
			if got := after.Parameters[tc.imageP]; got != "ami-0123456789abcdef0" {
				t.Errorf("%s = %q, want the release's image", tc.imageP, got)
			}
			if got := before.Parameters[tc.defaultVersionHolder]; got != "initial" {
				t.Errorf("default %s = %q, want initial", tc.defaultVersionHolder, got)
			}
			if after.Release.Version != "2.4.1" || after.Release.Image != "ami-0123456789abcdef0" {
				t.Errorf("Stack.Release = %+v", after.Release)
			}
		})
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

// renderedTemplate compiles testService with extra and returns the
// production stack and its rendered template, decoded.
func renderedTemplate(t *testing.T, extra string) (*Stack, map[string]any) {
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
	var tmpl map[string]any
	if err := json.Unmarshal(body, &tmpl); err != nil {
		t.Fatal(err)
	}
	return stack, tmpl
}

// TestBlueGreenTemplate pins the blue-green contract the rollout engine
// relies on: two colours, each with its own launch template, group and
// target group sized and released by parameters; one HTTPS listener
// weighting them; the outputs to find them; a fresh stack's parameters with
// blue live.
func TestBlueGreenTemplate(t *testing.T) {
	stack, tmpl := renderedTemplate(t, "")
	res := tmpl["Resources"].(map[string]any)
	for _, id := range []string{"AsgBlue", "AsgGreen", "LaunchTemplateBlue", "LaunchTemplateGreen", "TargetGroupBlue", "TargetGroupGreen"} {
		if _, ok := res[id]; !ok {
			t.Errorf("no %s", id)
		}
	}
	for _, id := range []string{"Asg", "LaunchTemplate", "TargetGroup"} {
		if _, ok := res[id]; ok {
			t.Errorf("a blue-green stack also has the rolling %s", id)
		}
	}
	blue := res["AsgBlue"].(map[string]any)
	if got := asJSON(t, blue["Properties"].(map[string]any)["MinSize"]); got != `{"Ref":"BlueMinSize"}` {
		t.Errorf("AsgBlue MinSize = %s", got)
	}
	for _, attr := range []string{"UpdatePolicy", "CreationPolicy"} {
		if _, ok := blue[attr]; ok {
			t.Errorf("a colour's group has a %s: rollouts, not CloudFormation, replace its instances", attr)
		}
	}
	listener := res["HttpsListener"].(map[string]any)["Properties"].(map[string]any)
	wantActions := `[{"ForwardConfig":{"TargetGroupStickinessConfig":{"Enabled":false},"TargetGroups":[` +
		`{"TargetGroupArn":{"Ref":"TargetGroupBlue"},"Weight":{"Ref":"BlueWeight"}},` +
		`{"TargetGroupArn":{"Ref":"TargetGroupGreen"},"Weight":{"Ref":"GreenWeight"}}]},"Type":"forward"}]`
	if got := asJSON(t, listener["DefaultActions"]); got != wantActions {
		t.Errorf("listener actions (-want +got):\n%s", cmp.Diff(wantActions, got))
	}
	for _, o := range []string{"BlueTargetGroupArn", "GreenTargetGroupArn", "BlueAutoScalingGroupName", "GreenAutoScalingGroupName"} {
		if _, ok := tmpl["Outputs"].(map[string]any)[o]; !ok {
			t.Errorf("no output %s", o)
		}
	}
	wantParams := map[string]string{
		"BlueImageId": "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "BlueAppVersion": "initial",
		"GreenImageId": "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "GreenAppVersion": "initial",
		"BlueMinSize": "2", "BlueMaxSize": "10", "BlueWeight": "100",
		"GreenMinSize": "0", "GreenMaxSize": "0", "GreenWeight": "0",
		"LiveColour": "blue",
	}
	for k, want := range wantParams {
		if got := stack.Parameters[k]; got != want {
			t.Errorf("parameter %s = %q, want %q", k, got, want)
		}
		if _, ok := tmpl["Parameters"].(map[string]any)[k]; !ok {
			t.Errorf("template declares no parameter %s", k)
		}
	}
	if stack.Strategy != StrategyBlueGreen || stack.BlueGreen == nil ||
		!cmp.Equal(stack.BlueGreen.TrafficSteps, []int{10, 50, 100}) || stack.RollbackMonitoringMinutes != 15 {
		t.Errorf("stack rollout settings: strategy %q, %+v, rollback %d min", stack.Strategy, stack.BlueGreen, stack.RollbackMonitoringMinutes)
	}
	role := asJSON(t, res["InstanceRole"])
	if strings.Contains(role, "cloudformation:SignalResource") {
		t.Error("blue-green instances send no signals but may")
	}
}

// TestBlueGreenScalesEachColour: every scaling policy and every alarm on a
// group exists once per colour, on that colour's group.
func TestBlueGreenScalesEachColour(t *testing.T) {
	_, tmpl := renderedTemplate(t, "")
	res := tmpl["Resources"].(map[string]any)
	for _, colour := range []string{"Blue", "Green"} {
		for _, id := range []string{"CpuTargetTracking", "MemoryTargetTracking", "RequestsTargetTracking", "CpuStepScaleOut", "CpuStepScaleIn", "CpuSimpleScaleOut"} {
			p, ok := res[id+colour].(map[string]any)
			if !ok {
				t.Errorf("no %s", id+colour)
				continue
			}
			if got := asJSON(t, p["Properties"].(map[string]any)["AutoScalingGroupName"]); got != `{"Ref":"Asg`+colour+`"}` {
				t.Errorf("%s scales %s", id+colour, got)
			}
		}
		for _, id := range []string{"CpuCriticalAlarm", "UnhealthyTargetsCriticalAlarm"} {
			if _, ok := res[id+colour]; !ok {
				t.Errorf("no %s", id+colour)
			}
		}
	}
}

// TestBlueGreenRejectsSchedules: a blue-green stack's group sizes belong
// to its rollouts, so a scheduled action would fight them.
func TestBlueGreenRejectsSchedules(t *testing.T) {
	_, err := loadSpecs(t, map[string]string{
		"web.cue": testService,
		"night.cue": `package specs

services: web: environments: production: scaling: schedule: night: {recurrence: "0 20 * * *", timeZone: "Europe/Berlin", minSize: 1}
`,
	})
	if err == nil || !strings.Contains(err.Error(), "scheduled actions need the rolling strategy") || !strings.Contains(err.Error(), "specs/night.cue:3:") {
		t.Fatalf("got %v, want a positioned refusal", err)
	}
}
