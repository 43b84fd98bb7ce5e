package deploy_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/phasec/phasec/deploy"
	"github.com/phasec/phasec/deploy/cfntest"
)

var colourKeys = []string{"LiveColour", "BlueAppVersion", "GreenAppVersion", "BlueMinSize", "BlueMaxSize",
	"GreenMinSize", "GreenMaxSize", "BlueWeight", "GreenWeight"}

func TestRolloutSucceeds(t *testing.T) {
	e := newEnv(t, deploy.Options{Operator: "alice@laptop"})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	template := mustStack(t, e, "shop-production").Template

	s := bgShop("1.5.0")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	sp := plan.Stacks[0]
	want := &deploy.RolloutPlan{From: deploy.Release{Version: "1.4.0", Image: "ami-044444444"}, To: s.Release,
		Live: "blue", Target: "green", BlueGreen: *s.BlueGreen}
	if diff := cmp.Diff(want, sp.Rollout); diff != "" || sp.Action != deploy.ActionNone || !plan.HasChanges() {
		t.Fatalf("plan: action %s, rollout (-want +got):\n%s", sp.Action, diff)
	}
	var shown bytes.Buffer
	deploy.WritePlan(&shown, plan, false)
	for _, line := range []string{
		"  release rollout (blue-green): 1.4.0 (ami-044444444) → 1.5.0 (ami-055555555)",
		"Plan: 0 to add, 0 to change, 0 to remove in 1 stack; 1 release rollout.",
	} {
		if !strings.Contains(shown.String(), line+"\n") {
			t.Errorf("plan output lacks %q:\n%s", line, shown.String())
		}
	}

	e.progress.b.Reset()
	results, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, e.progress)
	}
	rr := results[0].Rollout
	if rr == nil || rr.Outcome != deploy.RolloutComplete || rr.Live != "green" || !results[0].OK {
		t.Fatalf("result %+v rollout %+v\n%s", results[0], rr, e.progress)
	}
	wantParams := map[string]string{"lock": "", "LiveColour": "green", "BlueAppVersion": "1.4.0", "GreenAppVersion": "1.5.0",
		"BlueMinSize": "0", "BlueMaxSize": "0", "GreenMinSize": "2", "GreenMaxSize": "4", "BlueWeight": "0", "GreenWeight": "100"}
	if diff := cmp.Diff(wantParams, stackParams(t, e, colourKeys...)); diff != "" {
		t.Errorf("stack after the rollout (-want +got):\n%s", diff)
	}
	st := mustStack(t, e, "shop-production")
	if !bytes.Equal(st.Template, template) {
		t.Error("the rollout changed the template")
	}
	if st.MonitoringMinutes != 0 || len(st.RollbackTriggers) != 1 {
		t.Errorf("the rollout's steps have triggers %v watched %d min, want the alarm during the update only", st.RollbackTriggers, st.MonitoringMinutes)
	}
	wantLines := []string{
		"rollout of 1.5.0 (ami-055555555) over 1.4.0 (ami-044444444): blue is live, green takes the new release; locked by alice@laptop since 2026-03-01T12:00:00Z",
		"green: starting 2 instances of 1.5.0 (blue runs 2)",
		"green: 0/2 healthy; ",
		"green: 2/2 healthy",
		"step 1/3: traffic blue 90 / green 10",
		"step 1/3: baking 0 min, watching 1 critical alarm",
		"step 1/3: baked; 1 critical alarm OK",
		"step 2/3: traffic blue 50 / green 50",
		"step 2/3: baking 0 min, watching 1 critical alarm",
		"step 2/3: baked; 1 critical alarm OK",
		"step 3/3: traffic blue 0 / green 100",
		"step 3/3: baking 0 min, watching 1 critical alarm",
		"step 3/3: baked; 1 critical alarm OK",
		"cutover: green is live with 1.5.0 (ami-055555555); blue scaled to 0; lock released",
		"rollout complete: green runs 1.5.0 (ami-055555555)",
	}
	got := rolloutLines(e.progress.String())
	if len(got) != len(wantLines) {
		t.Fatalf("progress:\n%s", strings.Join(got, "\n"))
	}
	for i := range wantLines {
		if !strings.HasPrefix(got[i], wantLines[i]) {
			t.Errorf("progress line %d: got %q, want %q...", i+1, got[i], wantLines[i])
		}
	}
	var out bytes.Buffer
	deploy.WriteResults(&out, results)
	if diff := cmp.Diff("shop-production: no changes\n"+
		"shop-production: rollout complete: green is live with 1.5.0 (ami-055555555); blue (1.4.0 (ami-044444444)) scaled to 0\n", out.String()); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}

	// The next release goes back to blue.
	s = bgShop("1.6.0")
	plan, err = e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Stacks[0].Rollout; r == nil || r.Target != "blue" || r.From.Version != "1.5.0" {
		t.Fatalf("second rollout plan %+v", r)
	}
	if _, err := e.d.Apply(ctx, plan, []deploy.Stack{s}); err != nil {
		t.Fatalf("second apply: %v\n%s", err, e.progress)
	}
	if p := stackParams(t, e, "LiveColour", "BlueAppVersion", "GreenMinSize", "BlueMinSize"); p["LiveColour"] != "blue" ||
		p["BlueAppVersion"] != "1.6.0" || p["GreenMinSize"] != "0" || p["BlueMinSize"] != "2" {
		t.Errorf("after the second rollout: %v", p)
	}
}

func TestPlainUpdateOfBlueGreenStackKeepsItsColours(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	deployed(t, e, bgShop("1.5.0")) // a rollout: green is live
	s := bgShop("1.5.0")
	s.Parameters["BlueMaxSize"] = "6" // the spec's maximum, which the live colour takes
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	sp := plan.Stacks[0]
	if sp.Rollout != nil || sp.Action != deploy.ActionUpdate || sp.ChangeSetParameters["GreenMaxSize"] != "6" ||
		sp.ChangeSetParameters["LiveColour"] != "green" || sp.Parameters["LiveColour"] != "blue" {
		t.Fatalf("plan %+v", sp)
	}
	if len(sp.Changes) != 1 || sp.Changes[0].LogicalID != "AsgGreen" || sp.Changes[0].Properties[0].Source != "ParameterReference" {
		t.Errorf("changes %+v", sp.Changes)
	}
	if _, err := e.d.Apply(ctx, plan, []deploy.Stack{s}); err != nil {
		t.Fatal(err)
	}
	if p := stackParams(t, e, "LiveColour", "GreenMaxSize", "BlueMaxSize", "GreenAppVersion"); p["LiveColour"] != "green" ||
		p["GreenMaxSize"] != "6" || p["BlueMaxSize"] != "0" || p["GreenAppVersion"] != "1.5.0" {
		t.Errorf("after a plain update: %v", p)
	}
	st := mustStack(t, e, "shop-production")
	if st.MonitoringMinutes != 10 || len(st.RollbackTriggers) != 1 {
		t.Errorf("a plain update has triggers %v watched %d min, want the spec's 10", st.RollbackTriggers, st.MonitoringMinutes)
	}
}

func TestRolloutFailsHealthChecks(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	e.srv.SetTargetHealth("shop-production", "TargetGroupGreen", cfntest.TargetHealth{AfterPolls: 1, State: "unhealthy"})
	s := bgShop("1.5.0")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	results, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
	var failed *deploy.FailedError
	if !errors.As(err, &failed) {
		t.Fatalf("err %v", err)
	}
	rr := results[0].Rollout
	if rr.Outcome != deploy.RolloutRolledBack || rr.Reason != "green failed its health checks: 2 of 2 targets unhealthy" || len(rr.Details) != 2 ||
		!strings.HasSuffix(rr.Details[0], " unhealthy (Target.ResponseCodeMismatch: Health checks failed with these codes: [502])") {
		t.Fatalf("rollout %+v", rr)
	}
	wantParams := map[string]string{"lock": "", "LiveColour": "blue", "BlueAppVersion": "1.4.0", "GreenAppVersion": "1.5.0",
		"BlueMinSize": "2", "BlueMaxSize": "4", "GreenMinSize": "0", "GreenMaxSize": "0", "BlueWeight": "100", "GreenWeight": "0"}
	if diff := cmp.Diff(wantParams, stackParams(t, e, colourKeys...)); diff != "" {
		t.Errorf("stack after the rollback (-want +got):\n%s", diff)
	}
	if strings.Contains(e.progress.String(), "traffic blue 90") {
		t.Errorf("traffic moved to an unhealthy colour:\n%s", e.progress)
	}
	var out bytes.Buffer
	deploy.WriteResults(&out, results)
	if !strings.Contains(out.String(), "shop-production: rollout rolled back: blue serves all traffic with 1.4.0 (ami-044444444); green (1.5.0 (ami-055555555)) scaled to 0\n"+
		"  why: green failed its health checks: 2 of 2 targets unhealthy\n    i-") {
		t.Errorf("results:\n%s", out.String())
	}
	// The spec still asks for 1.5.0: the next plan tries again.
	plan, err = e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil || plan.Stacks[0].Rollout == nil {
		t.Errorf("plan after a failed rollout: %v %+v", err, plan)
	}
}

func TestRolloutRolledBackByAlarmDuringStep(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	e.srv.AlarmWhen("eu-west-1", "shop-production-5xx", "shop-production", "GreenWeight", "50", "")
	s := bgShop("1.5.0")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	results, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
	if err == nil {
		t.Fatal("no error")
	}
	rr := results[0].Rollout
	if rr.Outcome != deploy.RolloutRolledBack || rr.Reason != "alarm shop-production-5xx went into ALARM at step 2/3 (50% of traffic on green)" ||
		len(rr.Details) != 1 || !strings.HasPrefix(rr.Details[0], "Threshold Crossed") {
		t.Fatalf("rollout %+v\n%s", rr, e.progress)
	}
	lines := rolloutLines(e.progress.String())
	for _, want := range []string{
		"step 2/3: traffic blue 50 / green 50",
		"rolling back: alarm shop-production-5xx went into ALARM at step 2/3 (50% of traffic on green)",
		"rolling back: traffic blue 100 / green 0",
		"rolled back: green scaled to 0; blue serves all traffic with 1.4.0 (ami-044444444); lock released",
	} {
		if idx(lines, want) < 0 {
			t.Errorf("no progress line %q in\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if p := stackParams(t, e, "LiveColour", "GreenMinSize", "BlueWeight", "GreenWeight"); p["LiveColour"] != "blue" || p["GreenMinSize"] != "0" ||
		p["BlueWeight"] != "100" || p["GreenWeight"] != "0" || p["lock"] != "" {
		t.Errorf("after the rollback: %v", p)
	}
}

func TestInterruptedRolloutIsResumedFromAnotherMachine(t *testing.T) {
	e := newEnv(t, deploy.Options{Operator: "ci@runner-7"})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	s := bgShop("1.5.0")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	stop := heldInStep(t, e, plan, s)

	// Meanwhile, another rollout (or a plain update) is refused, naming
	// who holds the stack.
	other := deploy.New(deploy.Options{Operator: "bob@desk", PollInterval: 1})
	_, err = other.Plan(ctx, []deploy.Stack{bgShop("1.6.0")})
	if err == nil || !strings.Contains(err.Error(), "a rollout to green holds the stack, locked by ci@runner-7 since 2026-03-01T12:00:00Z") ||
		!strings.Contains(err.Error(), "phasec rollout abort shop-production --region eu-west-1") {
		t.Fatalf("a second rollout: %v", err)
	}

	results, err := stop()
	var ie *deploy.InterruptedError
	if !errors.As(err, &ie) || len(ie.Rollouts) != 1 || results[0].Rollout.Outcome != deploy.RolloutInterrupted {
		t.Fatalf("err %v results %+v", err, results)
	}
	if !strings.Contains(err.Error(), "phasec rollout resume shop-production --region eu-west-1") {
		t.Errorf("the interruption does not say how to resume:\n%v", err)
	}
	if p := stackParams(t, e); !strings.HasPrefix(p["lock"], "to=green by=ci@runner-7 since=2026-03-01T12:00:00Z id=") {
		t.Errorf("lock %q", p["lock"])
	}
	status, err := other.RolloutStatus(ctx, deploy.Target{Stack: "shop-production", Region: "eu-west-1"}, s.CriticalAlarms, s.BlueGreen.TrafficSteps)
	if err != nil {
		t.Fatal(err)
	}
	if status.Rollout == nil || status.Rollout.By != "ci@runner-7" || status.StackStatus != "UPDATE_IN_PROGRESS" {
		t.Errorf("status %+v", status)
	}

	// Resume while the interrupted step still runs: it waits for it.
	var progress syncBuffer
	resumer := deploy.New(deploy.Options{Operator: "bob@desk", PollInterval: 1, MaxBackoff: 1, Progress: &progress})
	type outcome struct {
		res deploy.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := resumer.ResumeRollout(ctx, s)
		done <- outcome{res, err}
	}()
	waitFor(t, "resume to wait for the step", func() bool {
		return strings.Contains(progress.String(), "waiting for an update to finish")
	})
	e.srv.ReleaseResource("shop-production", "HttpsListener")
	o := <-done
	res, err := o.res, o.err
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, progress.String())
	}
	if res.Rollout.Outcome != deploy.RolloutComplete {
		t.Fatalf("resume %+v", res.Rollout)
	}
	lines := rolloutLines(progress.String())
	for _, want := range []string{
		"waiting for an update to finish (stack is UPDATE_IN_PROGRESS)",
		"resuming the rollout of 1.5.0 (ami-055555555) to green (step 1/3: 10% on green), locked by ci@runner-7 since 2026-03-01T12:00:00Z",
		"step 1/3: baking 0 min, watching 1 critical alarm",
		"step 2/3: traffic blue 50 / green 50",
		"rollout complete: green runs 1.5.0 (ami-055555555)",
	} {
		if idx(lines, want) < 0 && !hasPrefixLine(lines, want) {
			t.Errorf("no progress line %q in\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if hasPrefixLine(lines, "step 1/3: traffic") {
		t.Errorf("resume moved the traffic of a step already done:\n%s", strings.Join(lines, "\n"))
	}
	if p := stackParams(t, e, "LiveColour", "GreenAppVersion", "BlueMinSize"); p["LiveColour"] != "green" || p["BlueMinSize"] != "0" || p["lock"] != "" {
		t.Errorf("after resuming: %v", p)
	}
}

func TestInterruptedRolloutIsAborted(t *testing.T) {
	e := newEnv(t, deploy.Options{Operator: "ci@runner-7"})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	s := bgShop("1.5.0")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	stop := heldInStep(t, e, plan, s)
	if _, err := stop(); err == nil {
		t.Fatal("no interruption")
	}
	e.srv.ReleaseResource("shop-production", "HttpsListener")
	var progress syncBuffer
	aborter := deploy.New(deploy.Options{Operator: "bob@desk", PollInterval: 1, MaxBackoff: 1, Progress: &progress})
	res, err := aborter.AbortRollout(ctx, deploy.Target{Stack: "shop-production", Region: "eu-west-1"})
	if err != nil || res.Rollout.Outcome != deploy.RolloutAborted || res.Rollout.Live != "blue" {
		t.Fatalf("abort: %v %+v\n%s", err, res.Rollout, progress.String())
	}
	wantParams := map[string]string{"lock": "", "LiveColour": "blue", "BlueAppVersion": "1.4.0", "GreenAppVersion": "1.5.0",
		"BlueMinSize": "2", "BlueMaxSize": "4", "GreenMinSize": "0", "GreenMaxSize": "0", "BlueWeight": "100", "GreenWeight": "0"}
	if diff := cmp.Diff(wantParams, stackParams(t, e, colourKeys...)); diff != "" {
		t.Errorf("stack after the abort (-want +got):\n%s", diff)
	}
	var out bytes.Buffer
	deploy.WriteResults(&out, []deploy.Result{res})
	if diff := cmp.Diff("shop-production: rollout aborted: blue serves all traffic with 1.4.0 (ami-044444444); green (1.5.0 (ami-055555555)) scaled to 0\n", out.String()); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	// Nothing is left to abort or resume.
	if _, err := aborter.AbortRollout(ctx, deploy.Target{Stack: "shop-production", Region: "eu-west-1"}); err == nil ||
		!strings.Contains(err.Error(), "no rollout holds the stack (blue is live with 1.4.0 (ami-044444444)): nothing to abort") {
		t.Errorf("second abort: %v", err)
	}
}

func TestConcurrentRolloutIsRefusedBeforeAnythingRuns(t *testing.T) {
	e := newEnv(t, deploy.Options{Operator: "alice@laptop"})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	s := bgShop("1.5.0")
	planA, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	planB, err := e.d.Plan(ctx, []deploy.Stack{s}) // made before A runs: it saw no lock
	if err != nil {
		t.Fatal(err)
	}
	stop := heldInStep(t, e, planA, s)
	executed := e.srv.Calls("ExecuteChangeSet")
	_, err = e.d.Apply(ctx, planB, []deploy.Stack{s})
	if err == nil || !strings.Contains(err.Error(), "shop-production: a rollout to green holds the stack, locked by alice@laptop since 2026-03-01T12:00:00Z") {
		t.Fatalf("second apply: %v", err)
	}
	if n := e.srv.Calls("ExecuteChangeSet"); n != executed {
		t.Errorf("the refused apply executed %d change sets", n-executed)
	}
	e.srv.ReleaseResource("shop-production", "HttpsListener")
	stop()
}

func TestRolloutRefusedWhileAnAlarmFires(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	if err := e.srv.SetAlarmState("eu-west-1", "shop-production-5xx", "ALARM", "5xx rate 9%"); err != nil {
		t.Fatal(err)
	}
	s := bgShop("1.5.0")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	results, err := e.d.Apply(ctx, plan, []deploy.Stack{s})
	if err == nil || results[0].Rollout.Outcome != deploy.RolloutNotStarted ||
		!strings.Contains(results[0].Rollout.Reason, "critical alarm shop-production-5xx is already in ALARM (5xx rate 9%)") {
		t.Fatalf("err %v result %+v", err, results[0].Rollout)
	}
	if p := stackParams(t, e, "GreenMinSize"); p["GreenMinSize"] != "0" || p["lock"] != "" {
		t.Errorf("a refused rollout changed the stack: %v", p)
	}
}

func hasPrefixLine(lines []string, prefix string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func TestRolloutGivesUpWhenTheNewColourNeverBecomesHealthy(t *testing.T) {
	e := newEnv(t, deploy.Options{})
	ctx := context.Background()
	deployed(t, e, bgShop("1.4.0"))
	e.srv.SetTargetHealth("shop-production", "TargetGroupGreen", cfntest.TargetHealth{AfterPolls: 1 << 20})
	s := bgShop("1.5.0")
	plan, err := e.d.Plan(ctx, []deploy.Stack{s})
	if err != nil {
		t.Fatal(err)
	}
	// A clock that moves a minute every time it is read: the health
	// timeout passes after a few polls, without waiting for it.
	var minutes atomic.Int64
	clock := func() time.Time {
		return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(minutes.Add(1)) * time.Minute)
	}
	var progress syncBuffer
	d := deploy.New(deploy.Options{PollInterval: time.Millisecond, MaxBackoff: time.Millisecond, Progress: &progress, Now: clock})
	results, err := d.Apply(ctx, plan, []deploy.Stack{s})
	if err == nil {
		t.Fatal("no error")
	}
	rr := results[0].Rollout
	if rr.Outcome != deploy.RolloutRolledBack || rr.Reason != "green did not become healthy within 15 min: 0/2 healthy" ||
		len(rr.Details) != 2 || !strings.HasSuffix(rr.Details[0], " initial (Elb.InitialHealthChecking: Initial health checks in progress)") {
		t.Fatalf("rollout %+v\n%s", rr, progress.String())
	}
	if p := stackParams(t, e, "GreenMinSize", "GreenWeight"); p["GreenMinSize"] != "0" || p["GreenWeight"] != "0" || p["lock"] != "" {
		t.Errorf("after giving up: %v", p)
	}
}
