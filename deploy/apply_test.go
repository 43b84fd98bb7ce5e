package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/deploy"
)

const quotaReason = `Resource handler returned message: "You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to." (HandlerErrorCode: ServiceLimitExceeded)`

func TestCreateFailureShowsRootCause(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	s := shop("shop-dev", "dev", tmplV1, "2")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.FailResource("shop-dev", "Asg", "")
	results, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
	var failed *deploy.FailedError
	if !errors.As(err, &failed) || !cmp.Equal(failed.Stacks, []string{"shop-dev"}) {
		t.Fatalf("err %v", err)
	}
	r := results[0]
	if r.OK || r.Status != "ROLLBACK_COMPLETE" || len(r.RootCause) != 1 {
		t.Fatalf("result %+v", r)
	}
	if rc := r.RootCause[0]; rc.LogicalID != "Asg" || rc.Status != "CREATE_FAILED" || rc.Reason != quotaReason {
		t.Errorf("root cause %+v", rc)
	}
	var out bytes.Buffer
	deploy.WriteResults(&out, results)
	want := "shop-dev: ROLLBACK_COMPLETE — the creation failed and was rolled back; delete the stack before planning again\n" +
		"  root cause:\n    Asg (AWS::AutoScaling::AutoScalingGroup) CREATE_FAILED: " + quotaReason + "\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	lines := eventLines(e.progress.String())
	for _, want := range []string{"Asg CREATE_FAILED", "shop-dev ROLLBACK_IN_PROGRESS", "shop-dev ROLLBACK_COMPLETE"} {
		if idx(lines, want) < 0 {
			t.Errorf("no event %q in %v", want, lines)
		}
	}
	// The next plan says how to get out of ROLLBACK_COMPLETE.
	_, err = e.d.Plan(ctx, []deploy.Stack{s})
	if err == nil || !strings.Contains(err.Error(), "aws cloudformation delete-stack --stack-name shop-dev --region eu-west-1") {
		t.Errorf("plan after a failed create: %v", err)
	}
}

func TestUpdateFailureRollsBack(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	created(t, e, shop("shop-dev", "dev", tmplV1, "2"))
	s := shop("shop-dev", "dev", tmplV2, "3")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.FailResource("", "Lb", "Resource handler returned message: \"internal load balancers need private subnets\"")
	results, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
	if err == nil {
		t.Fatal("no error")
	}
	r := results[0]
	if r.Status != "UPDATE_ROLLBACK_COMPLETE" || len(r.RootCause) != 1 || r.RootCause[0].LogicalID != "Lb" || r.RootCause[0].Status != "UPDATE_FAILED" {
		t.Fatalf("result %+v", r)
	}
	if st := mustStack(t, e, "shop-dev"); st.Parameters["Size"] != "2" || st.Resources["Role"] == "" {
		t.Errorf("the stack was not rolled back: %+v", st)
	}
}

func TestStaleChangeSetIsRefusedBeforeAnythingRuns(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	a, b := shop("shop-a", "dev", tmplV1, "2"), shop("shop-b", "dev", tmplV1, "2")
	plan, err := e.d.Plan(ctx, []deploy.Stack{a, b})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.ObsoleteChangeSets("shop-b")
	_, err = e.d.Apply(ctx, plan, []deploy.Stack{a, b})
	if err == nil || !strings.HasPrefix(err.Error(), "shop-b: change set phasec-") || !strings.Contains(err.Error(), "OBSOLETE") {
		t.Fatalf("err %v", err)
	}
	if n := e.srv.Calls("ExecuteChangeSet"); n != 0 {
		t.Errorf("%d change sets executed", n)
	}
}

func TestChangedTemplateIsRefused(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	s := shop("shop-a", "dev", tmplV1, "2")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	changed := shop("shop-a", "dev", tmplV2, "2")
	_, err = e.d.Apply(ctx, plan, []deploy.Stack{changed})
	if err == nil || !strings.Contains(err.Error(), "shop-a: the template changed since it was planned") {
		t.Fatalf("err %v", err)
	}
	_, err = e.d.Apply(ctx, plan, []deploy.Stack{shop("shop-a", "dev", tmplV1, "5")})
	if err == nil || !strings.Contains(err.Error(), "parameters changed") {
		t.Fatalf("err %v", err)
	}
	if n := e.srv.Calls("ExecuteChangeSet"); n != 0 {
		t.Errorf("%d change sets executed", n)
	}
}

func TestInterruptStopsWatchingOnly(t *testing.T) {
	e := newEnv(t, deploy.Options{Terminal: true})
	s := shop("shop-production", "production", tmplV1, "2")
	plan, err := e.d.Plan(context.Background(), []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	e.srv.HoldResource("shop-production", "Role")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var results []deploy.Result
	go func() {
		var err error
		results, err = e.d.Apply(ctx, plan, []deploy.Stack{s})
		done <- err
	}()
	wait, stop := context.WithTimeout(context.Background(), 10*time.Second)
	defer stop()
	if err := e.srv.WaitEvent(wait, "shop-production", "Listener", "CREATE_COMPLETE"); err != nil {
		t.Fatal(err)
	}
	cancel()
	err = <-done
	var ie *deploy.InterruptedError
	if !errors.As(err, &ie) || len(ie.Started) != 1 || !results[0].Interrupted {
		t.Fatalf("err %v, results %+v", err, results)
	}
	for _, want := range []string{
		"CloudFormation carries on with shop-production (eu-west-1)",
		"phasec apply --watch shop-production --region eu-west-1",
		"aws cloudformation describe-stack-events --stack-name shop-production --region eu-west-1",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%s", want, err)
		}
	}
	if st := mustStack(t, e, "shop-production"); st.Status != "CREATE_IN_PROGRESS" {
		t.Errorf("status %s: something was cancelled", st.Status)
	}
	if !strings.Contains(e.progress.String(), "[0/5] 2026-01-01T00:00:04Z  shop-production  shop-production  AWS::CloudFormation::Stack  CREATE_IN_PROGRESS  User Initiated") {
		t.Errorf("no progress count on a terminal:\n%s", e.progress)
	}

	// Applying the same plan again watches the running execution to its end.
	e.srv.ReleaseResource("shop-production", "Role")
	results, err = e.d.Apply(context.Background(), plan, []deploy.Stack{s})
	if err != nil || results[0].Status != "CREATE_COMPLETE" || !results[0].Protected {
		t.Fatalf("resumed apply: %v %+v", err, results)
	}
	if n := e.srv.Calls("ExecuteChangeSet"); n != 1 {
		t.Errorf("executed %d times", n)
	}
	// Watching a finished stack shows how its last operation ended.
	results, err = e.d.Watch(context.Background(), []deploy.Target{{Stack: "shop-production", Region: "eu-west-1"}})
	if err != nil || results[0].Status != "CREATE_COMPLETE" || len(results[0].Outputs) != 2 {
		t.Fatalf("watch: %v %+v", err, results)
	}
}

func TestPlanFileRejectsForeignFiles(t *testing.T) {
	dir := t.TempDir()
	for name, want := range map[string]struct{ body, err string }{
		"other.json": {`{"foo": 1}`, "is not a phasec plan file"},
		// A newer phasec's plan may carry fields this one does not know;
		// it is still told apart from a file that is no plan.
		"future.json":  {`{"version": 99, "stacks": [], "newField": true}`, "is a version 99 plan"},
		"partial.json": {`{"version": 1, "stacks": [{"stack": "a", "region": "r", "action": "update", "templateSha256": "` + strings.Repeat("0", 64) + `"}]}`, "has no change set ID"},
		"account.json": {`{"version": 2, "stacks": [{"stack": "a", "region": "r", "account": "1111-2222-3333", "action": "none", "templateSha256": "` + strings.Repeat("0", 64) + `"}]}`,
			`a is pinned to "1111-2222-3333", which is no AWS account ID (12 digits)`},
		"zero.json": {`{"version": 0, "stacks": []}`, "is a version 0 plan; this phasec reads versions 1 to 2"},
	} {
		path := dir + "/" + name
		if err := writeFile(path, want.body); err != nil {
			t.Fatal(err)
		}
		if _, err := deploy.ReadPlanFile(path); err == nil || !strings.Contains(err.Error(), want.err) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, want.err)
		}
	}
}
