package deploy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/phasec/phasec/deploy"
)

// bgTemplate is a small blue-green template with the contract of the
// compiler's: per-colour release, size and weight parameters, LiveColour,
// one listener forwarding to both target groups by weight, and the target
// group and group outputs the rollout looks up.
const bgTemplate = `{
  "Description": "shop blue-green",
  "Parameters": {
    "BlueImageId": {"Type": "String"}, "BlueAppVersion": {"Type": "String"},
    "GreenImageId": {"Type": "String"}, "GreenAppVersion": {"Type": "String"},
    "BlueMinSize": {"Type": "Number"}, "BlueMaxSize": {"Type": "Number"},
    "GreenMinSize": {"Type": "Number"}, "GreenMaxSize": {"Type": "Number"},
    "BlueWeight": {"Type": "Number"}, "GreenWeight": {"Type": "Number"},
    "LiveColour": {"Type": "String", "AllowedValues": ["blue", "green"]}
  },
  "Resources": {
    "LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing", "Tags": [{"Key": "service", "Value": "shop"}]}},
    "TargetGroupBlue": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 8080, "Protocol": "HTTP", "Tags": [{"Key": "service", "Value": "shop"}]}},
    "TargetGroupGreen": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 8080, "Protocol": "HTTP", "Tags": [{"Key": "service", "Value": "shop"}]}},
    "LaunchTemplateBlue": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": {"Ref": "BlueImageId"}, "UserData": {"Fn::Base64": {"Fn::Sub": "PHASEC_APP_VERSION=${BlueAppVersion}"}}}}},
    "LaunchTemplateGreen": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": {"Ref": "GreenImageId"}, "UserData": {"Fn::Base64": {"Fn::Sub": "PHASEC_APP_VERSION=${GreenAppVersion}"}}}}},
    "AsgBlue": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": {"Ref": "BlueMinSize"}, "MaxSize": {"Ref": "BlueMaxSize"},
      "LaunchTemplate": {"LaunchTemplateId": {"Ref": "LaunchTemplateBlue"}, "Version": {"Fn::GetAtt": ["LaunchTemplateBlue", "LatestVersionNumber"]}},
      "TargetGroupARNs": [{"Ref": "TargetGroupBlue"}], "Tags": [{"Key": "service", "PropagateAtLaunch": true, "Value": "shop"}]}},
    "AsgGreen": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": {"Ref": "GreenMinSize"}, "MaxSize": {"Ref": "GreenMaxSize"},
      "LaunchTemplate": {"LaunchTemplateId": {"Ref": "LaunchTemplateGreen"}, "Version": {"Fn::GetAtt": ["LaunchTemplateGreen", "LatestVersionNumber"]}},
      "TargetGroupARNs": [{"Ref": "TargetGroupGreen"}], "Tags": [{"Key": "service", "PropagateAtLaunch": true, "Value": "shop"}]}},
    "HttpsListener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "LoadBalancer"}, "Port": 443,
      "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": {"Ref": "TargetGroupBlue"}, "Weight": {"Ref": "BlueWeight"}},
        {"TargetGroupArn": {"Ref": "TargetGroupGreen"}, "Weight": {"Ref": "GreenWeight"}}]}}]}},
    "Target5xxAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": {"Fn::Sub": "${AWS::StackName}-5xx"}}}
  },
  "Outputs": {
    "BlueTargetGroupArn": {"Value": {"Ref": "TargetGroupBlue"}},
    "GreenTargetGroupArn": {"Value": {"Ref": "TargetGroupGreen"}},
    "BlueAutoScalingGroupName": {"Value": {"Ref": "AsgBlue"}},
    "GreenAutoScalingGroupName": {"Value": {"Ref": "AsgGreen"}},
    "LoadBalancerDnsName": {"Value": {"Fn::GetAtt": ["LoadBalancer", "DNSName"]}}
  }
}
`

// bgShop is a blue-green stack whose spec runs version, with the spec's
// parameters of a fresh stack, as the compiler makes them: blue live with
// the release at 2-4 instances and all the traffic, green idle.
func bgShop(version string) deploy.Stack {
	image := "ami-0" + strings.Repeat(version[2:3], 8)
	minutes := int32(10)
	return deploy.Stack{
		Name: "shop-production", Tier: "production", Region: "eu-west-1", Template: []byte(bgTemplate),
		Parameters: map[string]string{
			"BlueImageId": image, "BlueAppVersion": version, "GreenImageId": image, "GreenAppVersion": version,
			"BlueMinSize": "2", "BlueMaxSize": "4", "GreenMinSize": "0", "GreenMaxSize": "0",
			"BlueWeight": "100", "GreenWeight": "0", "LiveColour": "blue",
		},
		Tags:              map[string]string{"service": "shop", "managed-by": "phasec"},
		CriticalAlarms:    []string{"shop-production-5xx"},
		Strategy:          deploy.StrategyBlueGreen,
		BlueGreen:         &deploy.BlueGreen{TrafficSteps: []int{10, 50, 100}, BakeMinutes: 0, HealthTimeoutMinutes: 15},
		Release:           deploy.Release{Version: version, Image: image},
		MonitoringMinutes: &minutes,
	}
}

// deployed creates the stack with plan and apply.
func deployed(t *testing.T, e *env, s deploy.Stack) {
	t.Helper()
	ctx := context.Background()
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Apply(ctx, plan, []deploy.Stack{s}); err != nil {
		t.Fatalf("apply: %v\n%s", err, e.progress)
	}
}

// rolloutLines are the progress lines of rollouts, without the stack
// name: what a CI log shows.
func rolloutLines(progress string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(progress), "\n") {
		if rest, ok := strings.CutPrefix(l, "shop-production: "); ok {
			out = append(out, rest)
		}
	}
	return out
}

// params returns some of the fake stack's parameters, and its rollout tag.
func stackParams(t *testing.T, e *env, keys ...string) map[string]string {
	t.Helper()
	st, ok := e.srv.Stack("shop-production")
	if !ok {
		t.Fatal("no stack")
	}
	out := map[string]string{"lock": st.Tags["phasec:rollout"]}
	for _, k := range keys {
		out[k] = st.Parameters[k]
	}
	return out
}

// waitFor polls cond until it holds; the bound only keeps a broken test
// from hanging, it asserts nothing about timing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// heldInStep starts the rollout in the background with the listener held,
// so that the first traffic step stays in progress, and waits until it
// is: the point where tests interrupt, resume, abort or compete.
func heldInStep(t *testing.T, e *env, plan *deploy.Plan, s deploy.Stack) (cancel func() ([]deploy.Result, error)) {
	t.Helper()
	e.srv.HoldResource("shop-production", "HttpsListener")
	ctx, stop := context.WithCancel(context.Background())
	type outcome struct {
		results []deploy.Result
		err     error
	}
	done := make(chan outcome, 1)
	go func() {
		r, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
		done <- outcome{r, err}
	}()
	waitFor(t, "the first traffic step to run", func() bool {
		st, _ := e.srv.Stack("shop-production")
		return strings.Contains(e.progress.String(), "green: 2/2 healthy") && st.Status == "UPDATE_IN_PROGRESS"
	})
	return func() ([]deploy.Result, error) {
		stop()
		o := <-done
		return o.results, o.err
	}
}
