package deploy

import (
	"fmt"
	"io"
)

// writeRollout reports how a rollout ended: one line, then why it did not
// complete and what to do about it.
func writeRollout(w io.Writer, r Result) {
	rr := r.Rollout
	target, old := colour(rr.Target), colour(rr.Target).other()
	switch rr.Outcome {
	case RolloutComplete:
		fmt.Fprintf(w, "%s: rollout complete: %s is live with %s; %s (%s) scaled to 0\n", r.Stack, target, rr.To, old, rr.From)
	case RolloutAborted:
		fmt.Fprintf(w, "%s: rollout aborted: %s serves all traffic with %s; %s (%s) scaled to 0\n", r.Stack, old, rr.From, target, rr.To)
	case RolloutRolledBack:
		fmt.Fprintf(w, "%s: rollout rolled back: %s serves all traffic with %s; %s (%s) scaled to 0\n", r.Stack, old, rr.From, target, rr.To)
	case RolloutNotStarted:
		fmt.Fprintf(w, "%s: rollout of %s not started\n", r.Stack, rr.To)
	case RolloutInterrupted:
		fmt.Fprintf(w, "%s: rollout of %s interrupted at %s; the stack stays locked as it is\n", r.Stack, rr.To, rr.Phase)
	case RolloutStopped:
		fmt.Fprintf(w, "%s: rollout of %s stopped at %s\n", r.Stack, rr.To, rr.Phase)
	case RolloutStuck:
		fmt.Fprintf(w, "%s: rollout of %s failed and could not be rolled back; the stack stays locked at %s\n", r.Stack, rr.To, rr.Phase)
	}
	if rr.Reason != "" {
		fmt.Fprintf(w, "  why: %s\n", rr.Reason)
		for _, d := range rr.Details {
			fmt.Fprintf(w, "    %s\n", d)
		}
	}
	if rr.Outcome == RolloutStuck {
		fmt.Fprintf(w, "  once the cause is fixed: phasec rollout abort %s --region %s\n", r.Stack, r.Region)
	}
}
