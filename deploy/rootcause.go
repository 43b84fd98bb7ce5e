package deploy

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// rootCause picks, from an operation's events, the first failure of each
// failed resource, leaving out cancellations caused by another failure.
// When no resource failed (a rollback trigger fired, say), it is the
// stack's own reason for rolling back.
func rootCause(stack string, events []types.StackEvent) []Event {
	var causes, cancelled []Event
	seen := map[string]bool{}
	for _, e := range events {
		ev := eventOf(stack, e)
		if ev.LogicalID == stack || !strings.HasSuffix(ev.Status, "_FAILED") || seen[ev.LogicalID] {
			continue
		}
		seen[ev.LogicalID] = true
		if strings.Contains(strings.ToLower(ev.Reason), "cancelled") {
			cancelled = append(cancelled, ev)
		} else {
			causes = append(causes, ev)
		}
	}
	if len(causes) == 0 {
		causes = cancelled
	}
	if len(causes) > 0 {
		return causes
	}
	for _, e := range events {
		ev := eventOf(stack, e)
		if ev.LogicalID == stack && strings.Contains(ev.Status, "ROLLBACK_IN_PROGRESS") && ev.Reason != "" {
			return []Event{ev}
		}
	}
	return nil
}
