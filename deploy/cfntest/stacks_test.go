package cfntest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/phasec/phasec/deploy/cfntest"
)

func TestReadAndDeleteOperations(t *testing.T) {
	srv, c := newFake(t, cfntest.WithPageSize(2))
	ctx := context.Background()
	name := aws.String("shop-prod")
	createAndExecute(t, c, *name, v1, types.ChangeSetTypeCreate, params("Vpc", "vpc-1"))
	waitStack(t, c, *name)

	tpl, err := c.cfn.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: name})
	if err != nil || aws.ToString(tpl.TemplateBody) != v1 {
		t.Fatalf("GetTemplate: %v", err)
	}
	var summaries []types.StackResourceSummary
	p := cloudformation.NewListStackResourcesPaginator(c.cfn, &cloudformation.ListStackResourcesInput{StackName: name})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		summaries = append(summaries, page.StackResourceSummaries...)
	}
	if len(summaries) != 5 {
		t.Errorf("%d resources listed, want 5", len(summaries))
	}
	res, err := c.cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: name, LogicalResourceId: aws.String("Lb")})
	if err != nil || len(res.StackResources) != 1 || !strings.HasPrefix(aws.ToString(res.StackResources[0].PhysicalResourceId), "arn:aws:elasticloadbalancing:eu-west-1:") {
		t.Fatalf("DescribeStackResources: %v %+v", err, res)
	}
	sets, err := c.cfn.ListChangeSets(ctx, &cloudformation.ListChangeSetsInput{StackName: name})
	if err != nil || len(sets.Summaries) != 1 || sets.Summaries[0].ExecutionStatus != types.ExecutionStatusExecuteComplete {
		t.Fatalf("ListChangeSets: %v %+v", err, sets)
	}

	// Termination protection blocks deletion until it is turned off.
	if _, err := c.cfn.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: name, EnableTerminationProtection: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: name})
	if err == nil || !strings.Contains(err.Error(), "cannot be deleted while TerminationProtection is enabled") {
		t.Fatalf("delete of a protected stack: %v", err)
	}
	c.cfn.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{StackName: name, EnableTerminationProtection: aws.Bool(false)})
	st := waitStack(t, c, *name)
	if _, err := c.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: name}); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitEvent(ctx, *name, "", "DELETE_COMPLETE"); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Stack(*name); ok {
		t.Error("deleted stack still found by name")
	}
	byID, err := c.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: st.StackId})
	if err != nil || byID.Stacks[0].StackStatus != types.StackStatusDeleteComplete {
		t.Fatalf("deleted stack by ARN: %v", err)
	}
	// Its alarm went with it.
	alarms, err := c.cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"shop-prod-high-cpu"}})
	if err != nil || len(alarms.MetricAlarms) != 0 {
		t.Errorf("alarm of a deleted stack: %v %+v", err, alarms.MetricAlarms)
	}
}

func TestControlEndpoint(t *testing.T) {
	srv, c := newFake(t)
	post := func(path string) (int, string) {
		resp, err := http.Post(srv.URL+path, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := post("/_fake/alarm?name=legacy-5xx&region=eu-west-1"); code != 200 || body != "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:legacy-5xx\n" {
		t.Fatalf("alarm: %d %q", code, body)
	}
	alarms, err := c.cw.DescribeAlarms(context.Background(), &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{"legacy-5xx"}})
	if err != nil || len(alarms.MetricAlarms) != 1 {
		t.Fatalf("alarm not visible: %v", err)
	}
	for _, bad := range []string{"/_fake/fail", "/_fake/throttle?n=x", "/_fake/status?stack=s&status=WHATEVER", "/_fake/nope"} {
		if code, _ := post(bad); code == 200 {
			t.Errorf("%s accepted", bad)
		}
	}
	if code, _ := post("/_fake/throttle?n=2"); code != 200 {
		t.Fatal("throttle refused")
	}
	if _, err := c.cw.DescribeAlarms(context.Background(), &cloudwatch.DescribeAlarmsInput{}); err != nil {
		t.Fatalf("throttled CloudWatch call not retried: %v", err)
	}
	if n := srv.Calls("DescribeAlarms"); n != 4 {
		t.Errorf("%d DescribeAlarms calls, want 1 + 2 throttled + 1", n)
	}
}
