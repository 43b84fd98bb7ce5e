package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/deploy"
	"github.com/phasec/phasec/deploy/cfntest"
)

func TestPlanCreateThenApply(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	s := shop("shop-production", "production", tmplV1, "2")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	sp := plan.Stacks[0]
	if sp.Action != deploy.ActionCreate || len(sp.Changes) != 5 || sp.ChangeSetID == "" {
		t.Fatalf("plan: %+v", sp)
	}
	if diff := cmp.Diff([]string{"CAPABILITY_IAM"}, sp.Capabilities); diff != "" {
		t.Errorf("capabilities (-want +got):\n%s", diff)
	}
	// The alarm is created by this very change, so it cannot be a trigger.
	if len(sp.RollbackTriggers) != 0 || !cmp.Equal(sp.PendingTriggers, []string{"shop-production-high-cpu"}) || sp.MonitoringMinutes != 15 {
		t.Errorf("triggers %v pending %v minutes %d", sp.RollbackTriggers, sp.PendingTriggers, sp.MonitoringMinutes)
	}

	// The plan file round-trips.
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := deploy.WritePlanFile(path, plan); err != nil {
		t.Fatal(err)
	}
	read, err := deploy.ReadPlanFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(plan, read); diff != "" {
		t.Fatalf("plan file round trip (-want +got):\n%s", diff)
	}

	results, err := e.d.Apply(ctx, read, []deploy.Stack{s})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, e.progress)
	}
	r := results[0]
	if !r.OK || r.Status != "CREATE_COMPLETE" || !r.Protected || len(r.Outputs) != 2 {
		t.Fatalf("result %+v", r)
	}
	st, _ := e.srv.Stack("shop-production")
	if !st.TerminationProtection || st.Tags["service"] != "shop" || st.Parameters["Size"] != "2" {
		t.Errorf("stack state %+v", st)
	}
	lines := eventLines(e.progress.String())
	if lines[0] != "shop-production CREATE_IN_PROGRESS" || lines[len(lines)-1] != "shop-production CREATE_COMPLETE" {
		t.Errorf("events %v", lines)
	}
	// Dependencies first: the listener refers to the load balancer.
	if idx(lines, "Lb CREATE_COMPLETE") > idx(lines, "Listener CREATE_IN_PROGRESS") {
		t.Errorf("listener created before its load balancer: %v", lines)
	}
	var out bytes.Buffer
	deploy.WriteResults(&out, results)
	if !strings.Contains(out.String(), "shop-production: CREATE_COMPLETE\n  outputs:\n    Dns  ") ||
		!strings.Contains(out.String(), "termination protection enabled") {
		t.Errorf("results:\n%s", out.String())
	}
}

func idx(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// created plans and applies v1 of a stack.
func created(t *testing.T, e *env, s deploy.Stack) {
	t.Helper()
	ctx := context.Background()
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Apply(ctx, plan, []deploy.Stack{s}); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

func TestPlanUpdateWithReplacement(t *testing.T) {
	e := newEnv(t, deploy.Options{}, cfntest.WithPageSize(2))
	ctx := context.Background()
	created(t, e, shop("shop-staging", "staging", tmplV1, "2"))

	s := shop("shop-staging", "staging", tmplV2, "4")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	deploy.WritePlan(&text, plan, false)
	want := `shop-staging (eu-west-1, staging): update, 1 to add, 3 to change, 1 to remove (1 replacement)
     LOGICAL ID  TYPE                                       REPLACEMENT  CHANGED
  ~  Asg         AWS::AutoScaling::AutoScalingGroup         False        MaxSize
       MaxSize: 2 → 4 (parameter Size)
  +  Ingress     AWS::EC2::SecurityGroupIngress
  ~  Lb          AWS::ElasticLoadBalancingV2::LoadBalancer  True         Scheme
       Scheme: internet-facing → internal
  ~  Listener    AWS::ElasticLoadBalancingV2::Listener      Conditional  LoadBalancerArn
       LoadBalancerArn: follows Lb, which is replaced (may replace Listener)
  -  Role        AWS::IAM::Role
  security-relevant changes:
    + Ingress (AWS::EC2::SecurityGroupIngress): security group rules
    ~ Lb (AWS::ElasticLoadBalancingV2::LoadBalancer): changes Scheme
    - Role (AWS::IAM::Role): IAM
  rollback triggers (watched for 10 min): shop-staging-high-cpu

Plan: 1 to add, 3 to change, 1 to remove (1 replacement) in 1 stack.
`
	if diff := cmp.Diff(want, text.String()); diff != "" {
		t.Errorf("plan text (-want +got):\n%s", diff)
	}
	var colored bytes.Buffer
	deploy.WritePlan(&colored, plan, true)
	if !strings.Contains(colored.String(), "\x1b[1;97;41mTrue\x1b[0m") {
		t.Errorf("replacement not highlighted:\n%q", colored.String())
	}

	results, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, e.progress)
	}
	if results[0].Status != "UPDATE_COMPLETE" || results[0].Protected {
		t.Errorf("result %+v", results[0])
	}
	st, _ := e.srv.Stack("shop-staging")
	if diff := cmp.Diff([]string{"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-staging-high-cpu"}, st.RollbackTriggers); diff != "" || st.MonitoringMinutes != 10 {
		t.Errorf("rollback configuration %d min (-want +got):\n%s", st.MonitoringMinutes, diff)
	}
	if _, ok := st.Resources["Role"]; ok {
		t.Error("the role was not deleted")
	}
}

func TestNoChangesDeletesTheChangeSet(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	s := shop("shop-dev", "dev", tmplV1, "2")
	created(t, e, s)
	plan, err := e.d.Plan(context.Background(), []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	if plan.HasChanges() || plan.Stacks[0].Action != deploy.ActionNone {
		t.Fatalf("plan %+v", plan.Stacks[0])
	}
	for _, cs := range mustStack(t, e, "shop-dev").ChangeSets {
		if cs.Status == "FAILED" {
			t.Errorf("empty change set %s left behind", cs.Name)
		}
	}
	var text bytes.Buffer
	deploy.WritePlan(&text, plan, false)
	if want := "shop-dev (eu-west-1, dev): no changes (the empty change set was deleted)\n\nNo changes: 1 stack is up to date.\n"; text.String() != want {
		t.Errorf("got %q, want %q", text.String(), want)
	}
	results, err := e.d.Apply(context.Background(), plan, []deploy.Stack{s})
	if err != nil || results[0].Note != "no changes" || e.srv.Calls("ExecuteChangeSet") != 1 {
		t.Errorf("apply of an empty plan: %v %+v", err, results)
	}
}

func mustStack(t *testing.T, e *env, name string) cfntest.StackState {
	t.Helper()
	st, ok := e.srv.Stack(name)
	if !ok {
		t.Fatalf("no stack %s", name)
	}
	return st
}

func TestPlanRefusesStacksItCannotChange(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	e.srv.SetStackStatus("eu-west-1", "shop-busy", "UPDATE_IN_PROGRESS")
	e.srv.SetStackStatus("eu-west-1", "shop-failed", "ROLLBACK_COMPLETE")
	e.srv.SetStackStatus("eu-west-1", "shop-stuck", "UPDATE_ROLLBACK_FAILED")
	stacks := []deploy.Stack{
		shop("shop-busy", "dev", tmplV1, "2"), shop("shop-ok", "dev", tmplV1, "2"),
		shop("shop-failed", "dev", tmplV1, "2"), shop("shop-stuck", "dev", tmplV1, "2"),
	}
	plan, err := e.d.Plan(context.Background(), stacks)
	if len(plan.Stacks) != 1 || plan.Stacks[0].Stack != "shop-ok" {
		t.Errorf("planned %+v", plan.Stacks)
	}
	want := []string{
		"shop-busy: stack is UPDATE_IN_PROGRESS: an update is in progress; wait for it to finish (phasec apply --watch shop-busy --region eu-west-1) and plan again",
		"shop-failed: stack is ROLLBACK_COMPLETE: its creation failed, and CloudFormation cannot update a stack that was never created. Delete it first, then plan again:\n  aws cloudformation delete-stack --stack-name shop-failed --region eu-west-1",
		"shop-stuck: stack is UPDATE_ROLLBACK_FAILED: a rollback could not finish. Fix the resource that blocks it, then:\n  aws cloudformation continue-update-rollback --stack-name shop-stuck --region eu-west-1",
	}
	if diff := cmp.Diff(strings.Join(want, "\n"), err.Error()); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	var se *deploy.StackError
	if !errors.As(err, &se) {
		t.Error("errors are not StackErrors")
	}
}

func TestPlanAgainAfterUnappliedPlan(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	s := shop("shop-dev", "dev", tmplV1, "2")
	first, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	if st := mustStack(t, e, "shop-dev"); st.Status != "REVIEW_IN_PROGRESS" {
		t.Fatalf("status %s", st.Status)
	}
	// The stack exists only as the shell of the first plan: create again.
	second, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	if second.Stacks[0].Action != deploy.ActionCreate {
		t.Fatalf("second plan: %s", second.Stacks[0].Action)
	}
	if _, err := e.d.Apply(ctx, second, []deploy.Stack{s}); err != nil {
		t.Fatal(err)
	}
	// The first plan is stale now, and says so before executing anything.
	_, err = e.d.Apply(ctx, first, []deploy.Stack{s})
	if err == nil || !strings.Contains(err.Error(), "can no longer be executed: its execution status is OBSOLETE") ||
		!strings.Contains(err.Error(), "run phasec plan again") {
		t.Fatalf("stale plan: %v", err)
	}
}

func TestLargeTemplateGoesThroughS3(t *testing.T) {
	big := strings.Replace(tmplV1, `"Description": "shop"`, `"Description": "`+strings.Repeat("x", deploy.InlineLimit)+`"`, 1)
	s := shop("shop-big", "dev", big, "2")

	e := newEnv(t, deploy.Options{})
	_, err := e.d.Plan(context.Background(), []deploy.Stack{s})
	if err == nil || !strings.Contains(err.Error(), "over CloudFormation's 51200-byte limit for inline templates") ||
		!strings.Contains(err.Error(), "no bucket is configured") {
		t.Fatalf("without a bucket: %v", err)
	}

	e = newEnv(t, deploy.Options{Bucket: "phasec-templates"})
	plan, err := e.d.Plan(context.Background(), []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	key := "phasec/shop-big/" + s.TemplateSHA256() + ".json"
	if obj, ok := e.srv.Object("phasec-templates", key); !ok || !bytes.Equal(obj, s.Template) {
		t.Fatalf("template not uploaded to %s", key)
	}
	if want := "https://phasec-templates.s3.eu-west-1.amazonaws.com/" + key; plan.Stacks[0].TemplateURL != want {
		t.Errorf("template URL %s, want %s", plan.Stacks[0].TemplateURL, want)
	}
	if _, err := e.d.Apply(context.Background(), plan, []deploy.Stack{s}); err != nil {
		t.Fatal(err)
	}
}

func TestThrottlingIsRetried(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	s := shop("shop-dev", "dev", tmplV1, "2")
	e.srv.Throttle(6)
	created(t, e, s)
	if n := e.srv.Calls("DescribeStacks"); n < 6 {
		t.Errorf("only %d DescribeStacks calls: the throttled ones were not retried", n)
	}
	if st := mustStack(t, e, "shop-dev"); st.Status != "CREATE_COMPLETE" {
		t.Errorf("status %s", st.Status)
	}
}

func TestManyStacksAtOnce(t *testing.T) {
	e := newEnv(t, deploy.Options{Parallel: 4})
	var stacks []deploy.Stack
	for _, svc := range []string{"a", "b", "c", "d", "e"} {
		for _, env := range []string{"dev", "production"} {
			stacks = append(stacks, shop(svc+"-"+env, env, tmplV1, "2"))
		}
	}
	ctx := context.Background()
	plan, err := e.d.Plan(ctx, stacks)
	if err != nil {
		t.Fatal(err)
	}
	results, err := e.d.Apply(ctx, plan, stacks)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	for i, r := range results {
		if r.Stack != stacks[i].Name || plan.Stacks[i].Stack != stacks[i].Name || r.Status != "CREATE_COMPLETE" {
			t.Errorf("%d: %s %s", i, r.Stack, r.Status)
		}
		if r.Protected != strings.HasSuffix(r.Stack, "production") {
			t.Errorf("%s: protection %v", r.Stack, r.Protected)
		}
	}
	// Every line is whole: concurrent stacks never interleave.
	for _, line := range strings.Split(strings.TrimSpace(e.progress.String()), "\n") {
		if !strings.HasPrefix(line, "2026-01-01T") {
			t.Fatalf("garbled line %q", line)
		}
	}
}

func TestIndentedTemplateIsCompactedToFitInline(t *testing.T) {
	// Indentation pushes the template over the limit; without it, it fits.
	padded := strings.Replace(tmplV1, `"Description": "shop",`, `"Description": "shop",`+strings.Repeat(" ", deploy.InlineLimit), 1)
	s := shop("shop-dev", "dev", padded, "2")
	e := newEnv(t, deploy.Options{})
	plan, err := e.d.Plan(context.Background(), []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Stacks[0].TemplateURL != "" || e.srv.Calls("PutObject") != 0 {
		t.Errorf("uploaded a template that fits inline once compacted")
	}
	if plan.Stacks[0].TemplateSHA256 != s.TemplateSHA256() {
		t.Error("the plan must record the canonical template's sha256")
	}
}
