package deploy

import (
	"context"
	"errors"
	"fmt"
	"maps"
)

// revert undoes a rollout: all traffic back on the live colour (first,
// so that no request reaches instances about to go), then the new colour
// to zero and the lock released. Its steps carry no rollback triggers:
// they must succeed while alarms fire.
func (r *rollout) revert(ctx context.Context) (*bgStack, error) {
	st, err := readBG(ctx, r.c, r.stack)
	if err != nil {
		return nil, err
	}
	if st, err = r.d.settle(ctx, r.c, st, r.logf); err != nil {
		return nil, err
	}
	r.last = st
	live := st.live
	if live == r.to {
		return nil, fmt.Errorf("%s is already live: the rollout cut over, there is nothing to undo", r.to)
	}
	if st.weight(live) == 0 || st.weight(r.to) != 0 {
		set := map[string]string{live.param(paramWeight): "100", r.to.param(paramWeight): "0"}
		if st, err = r.step(ctx, st, "revert-traffic", set, st.tags, false); err != nil {
			return nil, err
		}
		r.logf("rolling back: traffic %s", st.weights())
	}
	tags := maps.Clone(st.tags)
	delete(tags, rolloutTag)
	set := map[string]string{r.to.param(paramMinSize): "0", r.to.param(paramMaxSize): "0"}
	if st, err = r.step(ctx, st, "revert-capacity", set, tags, false); err != nil {
		return nil, err
	}
	r.lockID = ""
	r.logf("rolled back: %s scaled to 0; %s serves all traffic with %s; lock released", r.to, live, st.release(live))
	return st, nil
}

// conclude turns how the run ended into its result, rolling the rollout
// back when it failed.
func (r *rollout) conclude(ctx context.Context, err error) {
	var (
		notStarted *notStartedError
		lost       *lockLostError
		failure    *rolloutFailure
	)
	res := r.res
	switch {
	case err == nil:
		res.Outcome, res.Live = RolloutComplete, string(r.to)
		r.logf("rollout complete: %s runs %s", r.to, res.To)
		return
	case ctx.Err() != nil:
		r.interrupted()
		return
	case errors.As(err, &notStarted):
		res.Outcome, res.Reason = RolloutNotStarted, err.Error()
		return
	case errors.As(err, &lost):
		res.Outcome, res.Reason = RolloutStopped, err.Error()
		r.setPhase()
		return
	case errors.As(err, &failure):
		res.Reason, res.Details = failure.reason, failure.details
	default:
		res.Reason = err.Error()
	}
	r.logf("rolling back: %s", res.Reason)
	for _, d := range res.Details {
		r.logf("  %s", d)
	}
	st, rerr := r.revert(ctx)
	switch {
	case rerr == nil:
		res.Outcome, res.Live = RolloutRolledBack, string(st.live)
	case ctx.Err() != nil:
		r.interrupted()
	case errors.As(rerr, &lost):
		res.Outcome = RolloutStopped
		res.Reason += "; rolling back stopped: " + rerr.Error()
		r.setPhase()
	default:
		res.Outcome = RolloutStuck
		res.Reason += "; rolling back failed too: " + rerr.Error()
		r.setPhase()
	}
}

func (r *rollout) interrupted() {
	r.res.Outcome = RolloutInterrupted
	r.setPhase()
}

// setPhase records where the stack stands, from the last state read.
func (r *rollout) setPhase() {
	if r.last != nil {
		r.res.Phase = r.last.phase(r.to, r.bg.TrafficSteps)
	}
}
