package deploy

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"
)

// ResumeRollout finishes the rollout that holds a blue-green stack, from
// any machine: after an interrupted apply, or a CI runner that died. It
// waits for an operation CloudFormation is still running, takes the lock
// over (the run that held it stops at its next step), and proceeds from
// where the stack stands: the new colour's health, the traffic steps not
// done yet, the cutover. The specs must still ask for the release the
// rollout deploys, and the deployed template must be the locked one.
func (d *Deployer) ResumeRollout(ctx context.Context, s Stack) (Result, error) {
	region := d.regionOf(s)
	res := Result{Stack: s.Name, Region: region, Action: "rollout resume"}
	c, err := d.clientsFor(ctx, region)
	if err != nil {
		return res, err
	}
	if s.BlueGreen == nil {
		return res, stackErr(s.Name, "the specs do not make it a blue-green stack")
	}
	if err := checkSteps(s.BlueGreen.TrafficSteps); err != nil {
		return res, stackErr(s.Name, "%v", err)
	}
	if err := d.checkAccounts(ctx, []accountPin{{stack: s.Name, region: region, account: s.Account}}); err != nil {
		return res, err
	}
	st, err := d.heldStack(ctx, c, s.Name, "resume")
	if err != nil {
		return res, err
	}
	r := d.newRollout(c, s.Name, s.CriticalAlarms, *s.BlueGreen, st.lock.To)
	r.last, r.lockID = st, st.lock.ID
	r.res.From, r.res.To = st.release(st.live), st.release(st.lock.To)
	if st.release(r.to) != s.Release {
		return res, stackErr(s.Name, "the rollout in progress deploys %s to %s, but the specs now ask for %s: "+
			"abort it (phasec rollout abort %s --region %s), then apply again", st.release(r.to), r.to, s.Release, s.Name, region)
	}
	if err := checkDeployedTemplate(ctx, c, s.Name, s.Template); err != nil {
		return res, stackErr(s.Name, "%v", err)
	}
	lock := &rolloutLock{To: r.to, By: d.opts.Operator, Since: d.opts.Now().UTC().Truncate(time.Second), ID: newLockID()}
	r.logf("resuming the rollout of %s to %s (%s), locked by %s", r.res.To, r.to, st.phase(r.to, r.bg.TrafficSteps), st.lock.holder())
	tags := maps.Clone(st.tags)
	tags[rolloutTag] = lock.String()
	next, err := r.step(ctx, st, "resume", nil, tags, false)
	if err == nil {
		r.lockID = lock.ID
		r.logf("took the lock over: locked by %s", lock.holder())
		err = r.proceed(ctx, next)
	}
	r.conclude(ctx, err)
	return d.rolloutOutcome(ctx, res, r.res)
}

// AbortRollout undoes the rollout that holds a blue-green stack, from any
// machine: all traffic back on the live colour, the new colour scaled to
// zero, the lock released. It needs neither the specs nor their golden
// files: it is the way out when something is wrong.
func (d *Deployer) AbortRollout(ctx context.Context, t Target) (Result, error) {
	res := Result{Stack: t.Stack, Region: t.Region, Action: "rollout abort"}
	c, err := d.clientsFor(ctx, t.Region)
	if err != nil {
		return res, err
	}
	st, err := d.heldStack(ctx, c, t.Stack, "abort")
	if err != nil {
		return res, err
	}
	r := d.newRollout(c, t.Stack, nil, BlueGreen{}, st.lock.To)
	r.last, r.lockID = st, st.lock.ID
	r.res.From, r.res.To = st.release(st.live), st.release(st.lock.To)
	r.logf("aborting the rollout of %s to %s (%s), locked by %s", r.res.To, r.to, st.phase(r.to, nil), st.lock.holder())
	var lost *lockLostError
	switch _, err := r.revert(ctx); {
	case err == nil:
		r.res.Outcome, r.res.Live = RolloutAborted, string(st.live)
	case ctx.Err() != nil:
		r.interrupted()
	case errors.As(err, &lost):
		r.res.Outcome, r.res.Reason = RolloutStopped, err.Error()
		r.setPhase()
	default:
		r.res.Outcome, r.res.Reason = RolloutStuck, "aborting failed: "+err.Error()
		r.setPhase()
	}
	return d.rolloutOutcome(ctx, res, r.res)
}

// heldStack reads a stack that a rollout holds, after waiting for an
// operation CloudFormation is still running on it (an interrupted
// rollout's step). A stack that no rollout holds, before or after that
// wait, is an error: there is nothing to resume or abort.
func (d *Deployer) heldStack(ctx context.Context, c *clients, name, verb string) (*bgStack, error) {
	st, err := readBG(ctx, c, name)
	if err != nil {
		return nil, stackErr(name, "%v", err)
	}
	if st.lock == nil {
		return nil, stackErr(name, "no rollout holds the stack (%s is live with %s): nothing to %s", st.live, st.release(st.live), verb)
	}
	logf := func(format string, args ...any) { d.progressf("%s: "+format, append([]any{name}, args...)...) }
	if st, err = d.settle(ctx, c, st, logf); err != nil {
		return nil, stackErr(name, "%v", err)
	}
	if st.lock == nil {
		return nil, stackErr(name, "the rollout ended while phasec waited (%s is live with %s): nothing to %s", st.live, st.release(st.live), verb)
	}
	if st.lock.To == st.live {
		return nil, stackErr(name, "the rollout lock names %s, which is already live; remove the %s stack tag by hand", st.live, rolloutTag)
	}
	return st, nil
}

// rolloutOutcome fills in the result of resume or abort and its error.
func (d *Deployer) rolloutOutcome(ctx context.Context, res Result, rr *RolloutResult) (Result, error) {
	res.Rollout = rr
	res.OK = rr.OK()
	switch {
	case rr.Outcome == RolloutInterrupted:
		res.Interrupted = true
		return res, &InterruptedError{Rollouts: []Target{{Stack: res.Stack, Region: res.Region}}}
	case !res.OK:
		return res, &FailedError{Stacks: []string{res.Stack}}
	}
	return res, nil
}

// applyRollout runs the planned rollout of a stack once its change set,
// if any, succeeded.
func (d *Deployer) applyRollout(ctx context.Context, j *applyJob, res *Result, started *bool) {
	c, err := d.clientsFor(ctx, j.plan.Region)
	if err != nil {
		res.Error, res.OK = err.Error(), false
		return
	}
	*started = true
	rr := d.runRollout(ctx, c, j.stack, j.plan.Rollout)
	res.Rollout = rr
	res.OK = res.OK && rr.OK()
	res.Interrupted = rr.Outcome == RolloutInterrupted
}

// checkRollout makes sure, before anything of a plan is executed, that
// the planned rollout can still start: no other rollout holds the stack,
// the live colour runs what the plan saw, and, when the plan changes
// nothing else, the deployed template is the locked one.
func (d *Deployer) checkRollout(ctx context.Context, j *applyJob) error {
	p := j.plan.Rollout
	c, err := d.clientsFor(ctx, j.plan.Region)
	if err != nil {
		return err
	}
	st, err := readBG(ctx, c, j.plan.Stack)
	if err != nil {
		return err
	}
	switch {
	case st.lock != nil:
		return lockedError(j.plan.Stack, j.plan.Region, st.lock)
	case string(st.live) != p.Live || st.release(st.live) != p.From:
		return fmt.Errorf("%s is live with %s now, not %s with %s as planned: run phasec plan again",
			st.live, st.release(st.live), p.Live, p.From)
	case j.plan.Action == ActionNone && st.inProgress():
		return fmt.Errorf("stack is %s: %s is in progress; wait for it, then plan again", st.status, operationOf(st.status))
	case j.plan.Action == ActionNone:
		return checkDeployedTemplate(ctx, c, j.plan.Stack, j.stack.Template)
	}
	return nil
}
