package deploy

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"time"
)

// Outcomes of a rollout.
const (
	// RolloutComplete: the new colour is live with the new release and
	// the old one is scaled to zero.
	RolloutComplete = "complete"
	// RolloutRolledBack: a health check, an alarm or CloudFormation
	// failed the rollout; all traffic is back on the old colour and the
	// new one is scaled to zero.
	RolloutRolledBack = "rolled back"
	// RolloutAborted: phasec rollout abort undid the rollout.
	RolloutAborted = "aborted"
	// RolloutNotStarted: the rollout was refused before it changed
	// anything (the stack is locked, an alarm already fires, the deployed
	// template is not the locked one...).
	RolloutNotStarted = "not started"
	// RolloutInterrupted: phasec was interrupted; the stack stays as it
	// is, locked, for phasec rollout resume or abort.
	RolloutInterrupted = "interrupted"
	// RolloutStopped: another machine took the rollout over or aborted
	// it; this run stopped without touching the stack again.
	RolloutStopped = "stopped"
	// RolloutStuck: the rollout failed and rolling it back failed too;
	// the stack stays locked until phasec rollout abort succeeds.
	RolloutStuck = "stuck"
)

// RolloutResult is how a blue-green rollout ended.
type RolloutResult struct {
	From Release `json:"from"`
	To   Release `json:"to"`
	// Target is the colour that took To; Live the colour that serves at
	// the end (empty when the rollout stopped half-way).
	Target  string `json:"target"`
	Live    string `json:"live,omitempty"`
	Outcome string `json:"outcome"`
	// Phase is where an interrupted, stopped or stuck rollout stands.
	Phase string `json:"phase,omitempty"`
	// Reason says why the rollout did not complete; Details are the
	// unhealthy targets or the alarm's reason.
	Reason  string   `json:"reason,omitempty"`
	Details []string `json:"details,omitempty"`
}

// OK reports whether the rollout did what was asked of it.
func (r *RolloutResult) OK() bool {
	return r.Outcome == RolloutComplete || r.Outcome == RolloutAborted
}

// rolloutFailure is a failed health check or a firing alarm: the rollout
// rolls back.
type rolloutFailure struct {
	reason  string
	details []string
}

func (e *rolloutFailure) Error() string { return e.reason }

// notStartedError refuses a rollout before it changed anything.
type notStartedError struct{ err error }

func (e *notStartedError) Error() string { return e.err.Error() }

// lockLostError means the lock this run held is gone or someone else's.
type lockLostError struct{ now *rolloutLock }

func (e *lockLostError) Error() string {
	if e.now == nil {
		return "the rollout's lock was removed from elsewhere (phasec rollout abort?); stopping without touching the stack"
	}
	return fmt.Sprintf("the rollout was taken over by %s; stopping without touching the stack", e.now.holder())
}

// lockedError refuses a second rollout, or a plain update, of a stack
// that a rollout holds, and says what to do about it.
func lockedError(stack, region string, l *rolloutLock) error {
	return fmt.Errorf("a rollout to %s holds the stack, locked by %s; two rollouts of one stack cannot run at once, "+
		"and a plain update would undo it. If it was interrupted, from any machine:\n"+
		"  see where it stands:  phasec rollout status %s --region %s\n"+
		"  finish it:            phasec rollout resume %s --region %s\n"+
		"  undo it:              phasec rollout abort %s --region %s",
		l.To, l.holder(), stack, region, stack, region, stack, region)
}

// rollout is one run of a blue-green rollout (or its abort) on a stack.
type rollout struct {
	d      *Deployer
	c      *clients
	stack  string
	alarms []string // the stack's critical alarms
	bg     BlueGreen
	to     colour // the colour taking the new release
	lockID string // the lock this run holds; "" before it has one
	last   *bgStack
	res    *RolloutResult
}

func (d *Deployer) newRollout(c *clients, stack string, alarms []string, bg BlueGreen, to colour) *rollout {
	return &rollout{d: d, c: c, stack: stack, alarms: alarms, bg: bg, to: to, res: &RolloutResult{Target: string(to)}}
}

// logf writes one progress line: "<stack>: <message>".
func (r *rollout) logf(format string, args ...any) {
	r.d.progressf("%s: "+format, append([]any{r.stack}, args...)...)
}

// runRollout carries out a planned rollout from start to end.
func (d *Deployer) runRollout(ctx context.Context, c *clients, s Stack, p *RolloutPlan) *RolloutResult {
	r := d.newRollout(c, s.Name, s.CriticalAlarms, p.BlueGreen, colour(p.Target))
	r.res.From, r.res.To = p.From, p.To
	r.conclude(ctx, r.start(ctx, s, p))
	return r.res
}

// start takes the lock and brings the idle colour up with the new
// release at the live colour's capacity, in one change set, so that a
// failure leaves neither a lock nor instances behind; then it proceeds.
func (r *rollout) start(ctx context.Context, s Stack, p *RolloutPlan) error {
	st, err := readBG(ctx, r.c, s.Name)
	if err != nil {
		return &notStartedError{err}
	}
	r.last = st
	switch {
	case st.lock != nil:
		return &notStartedError{lockedError(s.Name, r.c.region, st.lock)}
	case st.inProgress():
		return &notStartedError{fmt.Errorf("stack is %s: %s is in progress; wait for it, then plan again", st.status, operationOf(st.status))}
	case string(st.live) != p.Live || st.release(st.live) != p.From:
		return &notStartedError{fmt.Errorf("%s is live with %s, not %s with %s as planned: run phasec plan again",
			st.live, st.release(st.live), p.Live, p.From)}
	}
	if err := checkDeployedTemplate(ctx, r.c, s.Name, s.Template); err != nil {
		return &notStartedError{err}
	}
	if a, ok, err := r.firingAlarm(ctx); err != nil || ok {
		if err == nil {
			err = fmt.Errorf("critical alarm %s is already in ALARM (%s): a rollout judged by an alarm that already fires "+
				"would roll back at once; fix the cause first", a.Name, a.Reason)
		}
		return &notStartedError{err}
	}
	n, running, err := r.capacity(ctx, st)
	if err != nil {
		return &notStartedError{err}
	}
	lock := &rolloutLock{To: r.to, By: r.d.opts.Operator, Since: r.d.opts.Now().UTC().Truncate(time.Second), ID: newLockID()}
	tags := maps.Clone(st.tags)
	tags[rolloutTag] = lock.String()
	set := map[string]string{
		r.to.param(paramImage):   p.To.Image,
		r.to.param(paramVersion): p.To.Version,
		r.to.param(paramMinSize): strconv.Itoa(n),
		r.to.param(paramMaxSize): strconv.Itoa(max(st.maxSize(st.live), n)),
		r.to.param(paramWeight):  "0",
	}
	r.logf("rollout of %s over %s: %s is live, %s takes the new release; locked by %s", p.To, p.From, st.live, r.to, lock.holder())
	r.logf("%s: starting %d %s of %s (%s runs %d)", r.to, n, plural(n, "instance", "instances"), p.To.Version, st.live, running)
	next, err := r.d.parameterUpdate(ctx, r.c, st, "start", set, tags, r.alarms, true)
	switch {
	case errors.Is(err, errConflict):
		if now, rerr := readBG(ctx, r.c, s.Name); rerr == nil && now.lock != nil && now.lock.ID != lock.ID {
			return &notStartedError{lockedError(s.Name, r.c.region, now.lock)}
		}
		return &notStartedError{errors.New("the stack changed while the rollout started: run phasec plan again")}
	case err != nil && ctx.Err() == nil:
		return &notStartedError{fmt.Errorf("starting %s failed, and CloudFormation undid the step (no lock, no instances left): %w", r.to, err)}
	case err != nil:
		return err
	}
	r.lockID, r.last = lock.ID, next
	return r.proceed(ctx, next)
}

// capacity is how many instances the new colour starts with: as many as
// the live colour has registered (its Auto Scaling may have grown it past
// its minimum), at least the live colour's minimum, at most its maximum.
func (r *rollout) capacity(ctx context.Context, st *bgStack) (n, running int, err error) {
	arn := st.outputs[st.live.output("TargetGroupArn")]
	if arn == "" {
		return 0, 0, fmt.Errorf("the stack has no output %s: is it a phasec blue-green stack?", st.live.output("TargetGroupArn"))
	}
	h, err := describeTargetHealth(ctx, r.c, arn)
	if err != nil {
		return 0, 0, err
	}
	running = len(h.counted())
	n = max(st.minSize(st.live), running, 1)
	if m := st.maxSize(st.live); m > 0 {
		n = min(n, m)
	}
	return n, running, nil
}

// proceed takes a rollout from wherever it stands to the end: it waits
// for the new colour to be healthy, moves the traffic through the steps
// not yet done (re-baking the step it stands at), and cuts over. It is
// what both a fresh rollout and phasec rollout resume run.
func (r *rollout) proceed(ctx context.Context, st *bgStack) error {
	if err := r.waitHealthy(ctx, st); err != nil {
		return err
	}
	steps := r.bg.TrafficSteps
	for i, step := range steps {
		if step < st.share(r.to) {
			continue
		}
		label := fmt.Sprintf("step %d/%d", i+1, len(steps))
		if step > st.share(r.to) {
			set := map[string]string{
				r.to.param(paramWeight):         strconv.Itoa(step),
				r.to.other().param(paramWeight): strconv.Itoa(100 - step),
			}
			var err error
			if st, err = r.step(ctx, st, fmt.Sprintf("traffic-%d", step), set, st.tags, true); err != nil {
				return err
			}
			r.logf("%s: traffic %s", label, st.weights())
		}
		if err := r.bake(ctx, label, step); err != nil {
			return err
		}
	}
	return r.cutover(ctx, st)
}

// step runs one parameter update under this run's lock. When the stack
// changed under it, it reads the stack again: if the lock is no longer
// this run's it stops; otherwise it tries once more.
func (r *rollout) step(ctx context.Context, st *bgStack, name string, set, tags map[string]string, triggers bool) (*bgStack, error) {
	for attempt := 0; ; attempt++ {
		if r.lockID != "" && (st.lock == nil || st.lock.ID != r.lockID) {
			return nil, &lockLostError{now: st.lock}
		}
		next, err := r.d.parameterUpdate(ctx, r.c, st, name, set, tags, r.alarms, triggers)
		if err == nil {
			r.last = next
			return next, nil
		}
		if !errors.Is(err, errConflict) || attempt > 0 {
			return nil, err
		}
		if st, err = readBG(ctx, r.c, r.stack); err != nil {
			return nil, err
		}
		if st, err = r.d.settle(ctx, r.c, st, r.logf); err != nil {
			return nil, err
		}
		r.last = st
	}
}

// waitHealthy polls the new colour's target group until every expected
// target is healthy. A target the load balancer reports unhealthy (it has
// failed UnhealthyThresholdCount checks in a row) fails the rollout at
// once; so does a firing critical alarm, or the health timeout.
func (r *rollout) waitHealthy(ctx context.Context, st *bgStack) error {
	arn := st.outputs[r.to.output("TargetGroupArn")]
	if arn == "" {
		return &rolloutFailure{reason: fmt.Sprintf("the stack has no output %s", r.to.output("TargetGroupArn"))}
	}
	want := max(st.minSize(r.to), 1)
	deadline := r.d.opts.Now().Add(time.Duration(r.bg.HealthTimeoutMinutes) * time.Minute)
	last := ""
	for {
		h, err := describeTargetHealth(ctx, r.c, arn)
		if err != nil {
			return err
		}
		if s := h.summary(want); s != last {
			r.logf("%s: %s", r.to, s)
			last = s
		}
		if bad := h.unhealthy(); len(bad) > 0 {
			return &rolloutFailure{
				reason:  fmt.Sprintf("%s failed its health checks: %d of %d %s unhealthy", r.to, len(bad), want, plural(want, "target", "targets")),
				details: targetLines(bad),
			}
		}
		if h.healthy() >= want {
			return nil
		}
		if a, ok, err := r.firingAlarm(ctx); err != nil || ok {
			if err != nil {
				return err
			}
			return alarmFailure(a, fmt.Sprintf("while %s was starting", r.to))
		}
		if !r.d.opts.Now().Before(deadline) {
			var waiting []TargetState
			for _, t := range h.counted() {
				if t.State != "healthy" {
					waiting = append(waiting, t)
				}
			}
			return &rolloutFailure{
				reason:  fmt.Sprintf("%s did not become healthy within %d min: %d/%d healthy", r.to, r.bg.HealthTimeoutMinutes, h.healthy(), want),
				details: targetLines(waiting),
			}
		}
		if err := r.d.pause(ctx); err != nil {
			return err
		}
	}
}

// bake watches the critical alarms for the step's bake time; with no
// bake time it still checks them once.
func (r *rollout) bake(ctx context.Context, label string, step int) error {
	deadline := r.d.opts.Now().Add(time.Duration(r.bg.BakeMinutes) * time.Minute)
	r.logf("%s: baking %d min, watching %d critical %s", label, r.bg.BakeMinutes, len(r.alarms), plural(len(r.alarms), "alarm", "alarms"))
	for {
		states, err := alarmStates(ctx, r.c, r.alarms)
		if err != nil {
			return err
		}
		if a, ok := firing(states); ok {
			return alarmFailure(a, fmt.Sprintf("at %s (%d%% of traffic on %s)", label, step, r.to))
		}
		if !r.d.opts.Now().Before(deadline) {
			r.logf("%s: baked; %d critical %s OK", label, len(states), plural(len(states), "alarm", "alarms"))
			return nil
		}
		if err := r.d.pause(ctx); err != nil {
			return err
		}
	}
}

// firingAlarm is the first of the stack's critical alarms in ALARM.
func (r *rollout) firingAlarm(ctx context.Context) (AlarmState, bool, error) {
	states, err := alarmStates(ctx, r.c, r.alarms)
	if err != nil {
		return AlarmState{}, false, err
	}
	a, ok := firing(states)
	return a, ok, nil
}

func alarmFailure(a AlarmState, when string) *rolloutFailure {
	return &rolloutFailure{reason: fmt.Sprintf("alarm %s went into ALARM %s", a.Name, when), details: []string{a.Reason}}
}

func targetLines(ts []TargetState) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.String()
	}
	return out
}

// cutover makes the new colour live: it takes the old colour's size
// settings (the spec's), the old colour goes to zero, LiveColour changes
// and the lock goes, all in one change set.
func (r *rollout) cutover(ctx context.Context, st *bgStack) error {
	old := r.to.other()
	set := map[string]string{
		r.to.param(paramMinSize): st.params[old.param(paramMinSize)],
		r.to.param(paramMaxSize): st.params[old.param(paramMaxSize)],
		r.to.param(paramWeight):  "100",
		old.param(paramMinSize):  "0",
		old.param(paramMaxSize):  "0",
		old.param(paramWeight):   "0",
		paramLiveColour:          string(r.to),
	}
	tags := maps.Clone(st.tags)
	delete(tags, rolloutTag)
	st, err := r.step(ctx, st, "cutover", set, tags, true)
	if err != nil {
		return err
	}
	r.lockID = ""
	r.logf("cutover: %s is live with %s; %s scaled to 0; lock released", r.to, st.release(r.to), old)
	return nil
}
