package cfntest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/phasec/phasec/deploy/cfntest"
)

// colours is a two-colour template: each group's size and release are
// parameters, the version only inside the launch template's user data.
const colours = `{
  "Parameters": {
    "BlueMinSize": {"Type": "Number"}, "GreenMinSize": {"Type": "Number"},
    "GreenImageId": {"Type": "String"}, "GreenAppVersion": {"Type": "String"}, "GreenWeight": {"Type": "Number"}
  },
  "Resources": {
    "TargetGroupBlue": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 8080}},
    "TargetGroupGreen": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"Port": 8080}},
    "LaunchTemplateGreen": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"ImageId": {"Ref": "GreenImageId"},
      "UserData": {"Fn::Base64": {"Fn::Sub": "VERSION=${GreenAppVersion} ASG=${!aws:AutoScalingGroupName}"}}}}},
    "AsgBlue": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": {"Ref": "BlueMinSize"}, "MaxSize": "10", "TargetGroupARNs": [{"Ref": "TargetGroupBlue"}]}},
    "AsgGreen": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": {"Ref": "GreenMinSize"}, "MaxSize": "10",
      "LaunchTemplate": {"LaunchTemplateId": {"Ref": "LaunchTemplateGreen"}}, "TargetGroupARNs": [{"Ref": "TargetGroupGreen"}]}},
    "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
      {"TargetGroupArn": {"Ref": "TargetGroupGreen"}, "Weight": {"Ref": "GreenWeight"}}]}}]}}
  },
  "Outputs": {"GreenTargetGroupArn": {"Value": {"Ref": "TargetGroupGreen"}}, "BlueTargetGroupArn": {"Value": {"Ref": "TargetGroupBlue"}}}
}`

func elbClient(t *testing.T) *elb.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	return elb.NewFromConfig(cfg)
}

func outputs(st types.Stack) map[string]string {
	m := map[string]string{}
	for _, o := range st.Outputs {
		m[aws.ToString(o.OutputKey)] = aws.ToString(o.OutputValue)
	}
	return m
}

func health(t *testing.T, c *elb.Client, arn string) []elbtypes.TargetHealthDescription {
	t.Helper()
	out, err := c.DescribeTargetHealth(context.Background(), &elb.DescribeTargetHealthInput{TargetGroupArn: &arn})
	if err != nil {
		t.Fatal(err)
	}
	return out.TargetHealthDescriptions
}

func states(ds []elbtypes.TargetHealthDescription) []string {
	var out []string
	for _, d := range ds {
		out = append(out, string(d.TargetHealth.State)+"/"+string(d.TargetHealth.Reason))
	}
	return out
}

func TestParameterOnlyChangeSetsAndTargetHealth(t *testing.T) {
	srv, c := newFake(t)
	lb := elbClient(t)
	ctx := context.Background()
	name := "shop"
	createAndExecute(t, c, name, colours, types.ChangeSetTypeCreate,
		params("BlueMinSize", "2", "GreenMinSize", "0", "GreenImageId", "ami-1", "GreenAppVersion", "1.0", "GreenWeight", "0"))
	arns := outputs(waitStack(t, c, name))

	// Blue's two instances: "initial" once (the default script), then healthy.
	if got := states(health(t, lb, arns["BlueTargetGroupArn"])); strings.Join(got, " ") != "initial/Elb.RegistrationInProgress initial/Elb.RegistrationInProgress" {
		t.Errorf("first poll %v", got)
	}
	if got := states(health(t, lb, arns["BlueTargetGroupArn"])); strings.Join(got, " ") != "healthy/ healthy/" {
		t.Errorf("second poll %v", got)
	}
	if got := health(t, lb, arns["GreenTargetGroupArn"]); len(got) != 0 {
		t.Errorf("idle green has targets %v", states(got))
	}

	// A parameter-only change set: the new release and size of green.
	// The version sits in a Fn::Sub, and still shows as a change.
	srv.SetTargetHealth("", "TargetGroupGreen", cfntest.TargetHealth{AfterPolls: 2, State: "unhealthy", Reason: "Target.Timeout", Description: "Request timed out"})
	cs, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: &name, ChangeSetName: aws.String("release"), UsePreviousTemplate: aws.Bool(true),
		Parameters: []types.Parameter{
			{ParameterKey: aws.String("BlueMinSize"), UsePreviousValue: aws.Bool(true)},
			{ParameterKey: aws.String("GreenMinSize"), ParameterValue: aws.String("3")},
			{ParameterKey: aws.String("GreenImageId"), UsePreviousValue: aws.Bool(true)},
			{ParameterKey: aws.String("GreenAppVersion"), ParameterValue: aws.String("2.0")},
			{ParameterKey: aws.String("GreenWeight"), UsePreviousValue: aws.Bool(true)},
		},
		Tags: []types.Tag{{Key: aws.String("service"), Value: aws.String("shop")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, changes, _ := waitChangeSet(t, c, *cs.Id)
	got := map[string]string{}
	for _, ch := range changes {
		rc := ch.ResourceChange
		for _, d := range rc.Details {
			got[aws.ToString(rc.LogicalResourceId)] += string(d.ChangeSource) + ":" + aws.ToString(d.CausingEntity) + " "
		}
	}
	want := map[string]string{"AsgGreen": "ParameterReference:GreenMinSize ", "LaunchTemplateGreen": "ParameterReference:GreenAppVersion "}
	if len(got) != len(want) || got["AsgGreen"] != want["AsgGreen"] || got["LaunchTemplateGreen"] != want["LaunchTemplateGreen"] {
		t.Errorf("changes %v, want %v", got, want)
	}
	if _, err := c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id}); err != nil {
		t.Fatal(err)
	}
	if st := waitStack(t, c, name); st.StackStatus != types.StackStatusUpdateComplete {
		t.Fatalf("status %s", st.StackStatus)
	}
	for i, want := range []string{"initial/Elb.RegistrationInProgress", "initial/Elb.InitialHealthChecking", "unhealthy/Target.Timeout"} {
		got := health(t, lb, arns["GreenTargetGroupArn"])
		if len(got) != 3 || string(got[0].TargetHealth.State)+"/"+string(got[0].TargetHealth.Reason) != want {
			t.Fatalf("poll %d: %v, want 3 × %s", i+1, states(got), want)
		}
	}

	// Scaled to zero and up again, the group has new instances, whose
	// health checks start over; a size change alone keeps them.
	before := health(t, lb, arns["GreenTargetGroupArn"])
	for _, size := range []string{"0", "3"} {
		createAndExecuteNamed(t, c, name, "size-"+size, params("BlueMinSize", "2", "GreenMinSize", size, "GreenImageId", "ami-1", "GreenAppVersion", "2.0", "GreenWeight", "0"))
	}
	after := health(t, lb, arns["GreenTargetGroupArn"])
	if len(after) != 3 || *after[0].Target.Id == *before[0].Target.Id || after[0].TargetHealth.State != elbtypes.TargetHealthStateEnumInitial {
		t.Errorf("after a scale-up from zero: %v %v", *after[0].Target.Id, states(after))
	}
	createAndExecuteNamed(t, c, name, "size-4", params("BlueMinSize", "2", "GreenMinSize", "4", "GreenImageId", "ami-1", "GreenAppVersion", "2.0", "GreenWeight", "0"))
	if grown := health(t, lb, arns["GreenTargetGroupArn"]); len(grown) != 4 || *grown[0].Target.Id != *after[0].Target.Id {
		t.Errorf("a size change replaced the instances: %v", states(grown))
	}

	// Unknown target groups are the load balancer's typed error.
	_, err = lb.DescribeTargetHealth(ctx, &elb.DescribeTargetHealthInput{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/nope/1")})
	var nf *elbtypes.TargetGroupNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("unknown target group: %v", err)
	}

	// UsePreviousTemplate needs a stack with a template.
	_, err = c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("new"), ChangeSetName: aws.String("x"),
		ChangeSetType: types.ChangeSetTypeCreate, UsePreviousTemplate: aws.Bool(true)})
	if err == nil || !strings.Contains(err.Error(), "UsePreviousTemplate") {
		t.Errorf("UsePreviousTemplate on a new stack: %v", err)
	}
}

func TestTagOnlyUpdateAndAlarmStates(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	name := "shop"
	createAndExecute(t, c, name, colours, types.ChangeSetTypeCreate,
		params("BlueMinSize", "2", "GreenMinSize", "0", "GreenImageId", "ami-1", "GreenAppVersion", "1.0", "GreenWeight", "0"))
	waitStack(t, c, name)

	// A stack tag change alone is an update, with no resource taggable.
	cs, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: &name, ChangeSetName: aws.String("lock"), UsePreviousTemplate: aws.Bool(true),
		Parameters: params("BlueMinSize", "2", "GreenMinSize", "0", "GreenImageId", "ami-1", "GreenAppVersion", "1.0", "GreenWeight", "0"),
		Tags:       []types.Tag{{Key: aws.String("service"), Value: aws.String("shop")}, {Key: aws.String("phasec:rollout"), Value: aws.String("to=green")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out, changes, _ := waitChangeSet(t, c, *cs.Id); out.Status != types.ChangeSetStatusCreateComplete || len(changes) != 0 {
		t.Fatalf("tag-only change set: %s %s, %d changes", out.Status, aws.ToString(out.StatusReason), len(changes))
	}
	if _, err := c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id}); err != nil {
		t.Fatal(err)
	}
	waitStack(t, c, name)
	if st, _ := srv.Stack(name); st.Tags["phasec:rollout"] != "to=green" {
		t.Errorf("tags %v", st.Tags)
	}

	// Alarm states: set directly, or fired by a parameter's value.
	if err := srv.SetAlarmState("eu-west-1", "cpu", "ALARM", "CPU 97%"); err != nil {
		t.Fatal(err)
	}
	srv.AlarmWhen("eu-west-1", "5xx", name, "GreenWeight", "50", "")
	read := func() map[string]string {
		out, err := c.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"cpu", "5xx"}})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, a := range out.MetricAlarms {
			m[aws.ToString(a.AlarmName)] = string(a.StateValue) + " " + aws.ToString(a.StateReason)
		}
		return m
	}
	if got := read(); got["cpu"] != "ALARM CPU 97%" || !strings.HasPrefix(got["5xx"], "OK ") {
		t.Errorf("alarms %v", got)
	}
	createAndExecuteNamed(t, c, name, "weights", params("BlueMinSize", "2", "GreenMinSize", "0", "GreenImageId", "ami-1", "GreenAppVersion", "1.0", "GreenWeight", "50"))
	if got := read(); !strings.HasPrefix(got["5xx"], "ALARM Threshold Crossed") {
		t.Errorf("the conditional alarm did not fire: %v", got)
	}

	// The control endpoint scripts the same, for a fake in another process.
	for _, u := range []string{
		"/_fake/health?resource=TargetGroupGreen&state=unhealthy&after=2",
		"/_fake/alarm?name=mem&state=ALARM&reason=full",
		"/_fake/alarm?name=lat&stack=shop&param=GreenWeight&value=100",
	} {
		resp, err := http.Post(srv.URL+u, "", nil)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("POST %s: %v %v", u, err, resp.Status)
		}
		resp.Body.Close()
	}
	resp, _ := http.Post(srv.URL+"/_fake/health?resource=TargetGroupGreen&state=sick", "", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad health state: %s", resp.Status)
	}
	resp.Body.Close()
}

// createAndExecuteNamed is a parameter-only update, executed and waited for.
func createAndExecuteNamed(t *testing.T, c clients, name, cs string, p []types.Parameter) {
	t.Helper()
	ctx := context.Background()
	out, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: &name, ChangeSetName: &cs, UsePreviousTemplate: aws.Bool(true), Parameters: p,
		Tags: []types.Tag{{Key: aws.String("service"), Value: aws.String("shop")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitChangeSet(t, c, *out.Id)
	if _, err := c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: out.Id}); err != nil {
		t.Fatal(err)
	}
	waitStack(t, c, name)
}
