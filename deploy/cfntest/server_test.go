package cfntest_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/phasec/phasec/deploy/cfntest"
)

// clients are real SDK clients pointed at a fake through the standard
// endpoint environment variables, as phasec's are.
type clients struct {
	cfn *cloudformation.Client
	cw  *cloudwatch.Client
	s3  *s3.Client
}

func newFake(t *testing.T, opts ...cfntest.Option) (*cfntest.Server, clients) {
	t.Helper()
	srv := cfntest.NewServer(opts...)
	t.Cleanup(srv.Close)
	for _, kv := range srv.Env() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("eu-west-1"),
		config.WithRetryer(func() aws.Retryer {
			return retry.AddWithMaxBackoffDelay(retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = 8 }), time.Millisecond)
		}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, clients{cloudformation.NewFromConfig(cfg), cloudwatch.NewFromConfig(cfg), s3.NewFromConfig(cfg)}
}

const v1 = `{
  "Parameters": {"Size": {"Type": "String", "Default": "2"}, "Vpc": {"Type": "AWS::EC2::VPC::Id"}},
  "Resources": {
    "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing", "Tags": [{"Key": "a", "Value": "b"}]}},
    "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 443}},
    "Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MaxSize": {"Ref": "Size"}, "VPCZoneIdentifier": ["subnet-1"]}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
    "HighCpu": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": {"Fn::Sub": "${AWS::StackName}-high-cpu"}}}
  },
  "Outputs": {"Dns": {"Description": "the load balancer", "Value": {"Fn::GetAtt": ["Lb", "DNSName"]}}}
}`

// v2 replaces the load balancer (Scheme), which conditionally replaces the
// listener, raises the group's size through a parameter, and drops the
// role.
const v2 = `{
  "Parameters": {"Size": {"Type": "String", "Default": "2"}, "Vpc": {"Type": "AWS::EC2::VPC::Id"}},
  "Resources": {
    "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internal", "Tags": [{"Key": "a", "Value": "b"}]}},
    "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}, "Port": 443}},
    "Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MaxSize": {"Ref": "Size"}, "VPCZoneIdentifier": ["subnet-1"]}},
    "HighCpu": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"AlarmName": {"Fn::Sub": "${AWS::StackName}-high-cpu"}}}
  }
}`

func params(kv ...string) []types.Parameter {
	var out []types.Parameter
	for i := 0; i < len(kv); i += 2 {
		out = append(out, types.Parameter{ParameterKey: aws.String(kv[i]), ParameterValue: aws.String(kv[i+1])})
	}
	return out
}

// waitChangeSet polls until the change set leaves its pending states and
// returns every change, reading every page.
func waitChangeSet(t *testing.T, c clients, id string) (*cloudformation.DescribeChangeSetOutput, []types.Change, int) {
	t.Helper()
	ctx := context.Background()
	for {
		out, err := c.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: &id})
		if err != nil {
			t.Fatal(err)
		}
		if out.Status == types.ChangeSetStatusCreatePending || out.Status == types.ChangeSetStatusCreateInProgress {
			time.Sleep(time.Millisecond)
			continue
		}
		changes, pages := out.Changes, 1
		for tok := out.NextToken; tok != nil; {
			next, err := c.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: &id, NextToken: tok, IncludePropertyValues: aws.Bool(true)})
			if err != nil {
				t.Fatal(err)
			}
			changes = append(changes, next.Changes...)
			tok = next.NextToken
			pages++
		}
		return out, changes, pages
	}
}

func waitStack(t *testing.T, c clients, name string) types.Stack {
	t.Helper()
	for {
		out, err := c.cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: &name})
		if err != nil {
			t.Fatal(err)
		}
		st := out.Stacks[0]
		if !strings.HasSuffix(string(st.StackStatus), "_IN_PROGRESS") {
			return st
		}
		time.Sleep(time.Millisecond)
	}
}

func allEvents(t *testing.T, c clients, name string) []types.StackEvent {
	t.Helper()
	var out []types.StackEvent
	p := cloudformation.NewDescribeStackEventsPaginator(c.cfn, &cloudformation.DescribeStackEventsInput{StackName: &name})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.StackEvents...)
	}
	return out
}

func createAndExecute(t *testing.T, c clients, name, body string, typ types.ChangeSetType, p []types.Parameter) string {
	t.Helper()
	ctx := context.Background()
	cs, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: &name, ChangeSetName: aws.String("cs-" + strings.ToLower(string(typ))), ChangeSetType: typ,
		TemplateBody: &body, Parameters: p, Capabilities: []types.Capability{types.CapabilityCapabilityIam},
		Tags: []types.Tag{{Key: aws.String("service"), Value: aws.String("shop")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ := waitChangeSet(t, c, *cs.Id)
	if out.Status != types.ChangeSetStatusCreateComplete {
		t.Fatalf("change set %s: %s", out.Status, aws.ToString(out.StatusReason))
	}
	if _, err := c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id, ClientRequestToken: aws.String("tok-" + string(typ))}); err != nil {
		t.Fatal(err)
	}
	return *cs.Id
}

func TestMissingStackIsAValidationError(t *testing.T) {
	_, c := newFake(t)
	_, err := c.cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String("shop-prod")})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "ValidationError" || api.ErrorMessage() != "Stack with id shop-prod does not exist" {
		t.Fatalf("got %v", err)
	}
}

func TestCreateUpdateReplaceNoChanges(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	name := "shop-prod"

	createAndExecute(t, c, name, v1, types.ChangeSetTypeCreate, params("Vpc", "vpc-1"))
	st := waitStack(t, c, name)
	if st.StackStatus != types.StackStatusCreateComplete {
		t.Fatalf("status %s", st.StackStatus)
	}
	if len(st.Outputs) != 1 || !strings.HasSuffix(aws.ToString(st.Outputs[0].OutputValue), ".eu-west-1.elb.amazonaws.com") {
		t.Errorf("outputs %+v", st.Outputs)
	}
	if _, ok := srv.Stack(name); !ok {
		t.Fatal("stack not in the fake")
	}
	alarms, err := c.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"shop-prod-high-cpu", "other"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(alarms.MetricAlarms) != 1 || aws.ToString(alarms.MetricAlarms[0].AlarmArn) != "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-prod-high-cpu" {
		t.Errorf("alarms %+v", alarms.MetricAlarms)
	}

	// The update replaces Lb, conditionally Listener, changes Asg through
	// a parameter and removes Role.
	cs, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: &name, ChangeSetName: aws.String("upd"), TemplateBody: aws.String(v2),
		Parameters: params("Vpc", "vpc-1", "Size", "4"), Tags: []types.Tag{{Key: aws.String("service"), Value: aws.String("shop")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, changes, pages := waitChangeSet(t, c, *cs.Id)
	if out.ExecutionStatus != types.ExecutionStatusAvailable || pages != 1 {
		t.Fatalf("status %s/%s, %d pages", out.Status, out.ExecutionStatus, pages)
	}
	got := map[string]string{}
	for _, ch := range changes {
		rc := ch.ResourceChange
		got[*rc.LogicalResourceId] = string(rc.Action) + " " + string(rc.Replacement)
	}
	want := map[string]string{"Asg": "Modify False", "Lb": "Modify True", "Listener": "Modify Conditional", "Role": "Remove "}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if _, err := c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id, ClientRequestToken: aws.String("t2")}); err != nil {
		t.Fatal(err)
	}
	// The same token again is a success, not a second execution.
	if _, err := c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id, StackName: &name, ClientRequestToken: aws.String("t2")}); err != nil {
		t.Fatalf("idempotent execute: %v", err)
	}
	if st := waitStack(t, c, name); st.StackStatus != types.StackStatusUpdateComplete {
		t.Fatalf("status %s", st.StackStatus)
	}
	events := allEvents(t, c, name)
	if *events[0].LogicalResourceId != name || events[0].ResourceStatus != types.ResourceStatusUpdateComplete {
		t.Errorf("newest event is %s %s", *events[0].LogicalResourceId, events[0].ResourceStatus)
	}
	var roleDeleted bool
	for _, e := range events {
		if *e.LogicalResourceId == "Role" && e.ResourceStatus == types.ResourceStatusDeleteComplete {
			roleDeleted = true
		}
	}
	if !roleDeleted {
		t.Error("no DELETE_COMPLETE event for the removed role")
	}

	// The same template and parameters again: nothing to change.
	cs, err = c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName: &name, ChangeSetName: aws.String("same"), TemplateBody: aws.String(v2),
		Parameters: params("Vpc", "vpc-1", "Size", "4"), Tags: []types.Tag{{Key: aws.String("service"), Value: aws.String("shop")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ = waitChangeSet(t, c, *cs.Id)
	if out.Status != types.ChangeSetStatusFailed || !strings.Contains(aws.ToString(out.StatusReason), "didn't contain changes") {
		t.Fatalf("got %s %q", out.Status, aws.ToString(out.StatusReason))
	}
	// The first change set was executed; executing it again is refused.
	_, err = c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	var invalid *types.InvalidChangeSetStatusException
	if !errors.As(err, &invalid) {
		t.Fatalf("execute a FAILED change set: %v", err)
	}
}

func TestCreateFailureRollsBack(t *testing.T) {
	srv, c := newFake(t)
	srv.FailResource("", "Asg", "")
	createAndExecute(t, c, "shop-prod", v1, types.ChangeSetTypeCreate, params("Vpc", "vpc-1"))
	if st := waitStack(t, c, "shop-prod"); st.StackStatus != types.StackStatusRollbackComplete {
		t.Fatalf("status %s", st.StackStatus)
	}
	var statuses []string
	for _, e := range allEvents(t, c, "shop-prod") {
		if *e.LogicalResourceId == "Asg" || *e.LogicalResourceId == "shop-prod" {
			statuses = append([]string{*e.LogicalResourceId + " " + string(e.ResourceStatus)}, statuses...)
		}
	}
	want := "shop-prod REVIEW_IN_PROGRESS,shop-prod CREATE_IN_PROGRESS,Asg CREATE_IN_PROGRESS,Asg CREATE_FAILED,shop-prod ROLLBACK_IN_PROGRESS,Asg DELETE_IN_PROGRESS,Asg DELETE_COMPLETE,shop-prod ROLLBACK_COMPLETE"
	if got := strings.Join(statuses, ","); got != want {
		t.Errorf("events:\n got %s\nwant %s", got, want)
	}
	// A stack in ROLLBACK_COMPLETE cannot be updated.
	_, err := c.cfn.CreateChangeSet(context.Background(), &cloudformation.CreateChangeSetInput{
		StackName: aws.String("shop-prod"), ChangeSetName: aws.String("again"), TemplateBody: aws.String(v1), Parameters: params("Vpc", "vpc-1"),
	})
	if err == nil || !strings.Contains(err.Error(), "ROLLBACK_COMPLETE state and can not be updated") {
		t.Fatalf("got %v", err)
	}
}

func TestUpdateFailureRollsBack(t *testing.T) {
	srv, c := newFake(t)
	createAndExecute(t, c, "shop-prod", v1, types.ChangeSetTypeCreate, params("Vpc", "vpc-1"))
	waitStack(t, c, "shop-prod")
	srv.FailResource("shop-prod", "Lb", "Resource handler returned message: \"boom\"")
	createAndExecute(t, c, "shop-prod", v2, types.ChangeSetTypeUpdate, params("Vpc", "vpc-1"))
	st := waitStack(t, c, "shop-prod")
	if st.StackStatus != types.StackStatusUpdateRollbackComplete {
		t.Fatalf("status %s", st.StackStatus)
	}
	state, _ := srv.Stack("shop-prod")
	if !bytes.Equal(state.Template, []byte(v1)) || state.Resources["Role"] != "CREATE_COMPLETE" {
		t.Errorf("rollback did not restore the stack: resources %v", state.Resources)
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	srv, c := newFake(t)
	srv.Throttle(3)
	_, err := c.cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{})
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("DescribeStacks"); n != 4 {
		t.Errorf("%d calls, want 3 throttled + 1", n)
	}
}

func TestLargeTemplateThroughS3(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	big := strings.Replace(v1, `"Parameters": {`, `"Description": "`+strings.Repeat("x", 60000)+`", "Parameters": {`, 1)
	_, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("big"), ChangeSetName: aws.String("a"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateBody: &big, Parameters: params("Vpc", "v"), Capabilities: []types.Capability{types.CapabilityCapabilityIam}})
	if err == nil || !strings.Contains(err.Error(), "less than or equal to 51200") {
		t.Fatalf("inline: %v", err)
	}
	if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tpl"), Key: aws.String("big/t.json"), Body: strings.NewReader(big)}); err != nil {
		t.Fatal(err)
	}
	if obj, ok := srv.Object("tpl", "big/t.json"); !ok || string(obj) != big {
		t.Fatalf("object stored: %v (%d bytes)", ok, len(obj))
	}
	cs, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("big"), ChangeSetName: aws.String("a"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateURL: aws.String("https://tpl.s3.eu-west-1.amazonaws.com/big/t.json"),
		Parameters: params("Vpc", "v"), Capabilities: []types.Capability{types.CapabilityCapabilityIam}})
	if err != nil {
		t.Fatal(err)
	}
	if out, _, _ := waitChangeSet(t, c, *cs.Id); out.Status != types.ChangeSetStatusCreateComplete {
		t.Fatalf("status %s", out.Status)
	}
}

func TestPaginationAndCapabilities(t *testing.T) {
	_, c := newFake(t, cfntest.WithPageSize(2))
	ctx := context.Background()
	_, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("s"), ChangeSetName: aws.String("a"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateBody: aws.String(v1), Parameters: params("Vpc", "v")})
	var caps *types.InsufficientCapabilitiesException
	if !errors.As(err, &caps) || !strings.Contains(err.Error(), "CAPABILITY_IAM") {
		t.Fatalf("without capabilities: %v", err)
	}
	id := createAndExecute(t, c, "s", v1, types.ChangeSetTypeCreate, params("Vpc", "v"))
	_, changes, pages := waitChangeSet(t, c, id)
	if len(changes) != 5 || pages != 3 {
		t.Errorf("%d changes in %d pages, want 5 in 3", len(changes), pages)
	}
	waitStack(t, c, "s")
	// Events page newest first, with no gaps or repeats across pages.
	events := allEvents(t, c, "s")
	seen := map[string]bool{}
	for i, e := range events {
		if seen[*e.EventId] {
			t.Fatalf("event %s twice", *e.EventId)
		}
		seen[*e.EventId] = true
		if i > 0 && e.Timestamp.After(*events[i-1].Timestamp) {
			t.Fatalf("events not newest first at %d", i)
		}
	}
}

func TestObsoleteAndInProgress(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	cs, err := c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("s"), ChangeSetName: aws.String("a"),
		ChangeSetType: types.ChangeSetTypeCreate, TemplateBody: aws.String(v1), Parameters: params("Vpc", "v"), Capabilities: []types.Capability{types.CapabilityCapabilityIam}})
	if err != nil {
		t.Fatal(err)
	}
	waitChangeSet(t, c, *cs.Id)
	if n := srv.ObsoleteChangeSets("s"); n != 1 {
		t.Fatalf("obsoleted %d", n)
	}
	_, err = c.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id})
	if err == nil || !strings.Contains(err.Error(), "execution status of [OBSOLETE]") {
		t.Fatalf("got %v", err)
	}
	srv.SetStackStatus("eu-west-1", "busy", "UPDATE_IN_PROGRESS")
	_, err = c.cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("busy"), ChangeSetName: aws.String("a"),
		TemplateBody: aws.String(v1), Parameters: params("Vpc", "v"), Capabilities: []types.Capability{types.CapabilityCapabilityIam}})
	if err == nil || !strings.Contains(err.Error(), "UPDATE_IN_PROGRESS state and can not be updated") {
		t.Fatalf("got %v", err)
	}
}
