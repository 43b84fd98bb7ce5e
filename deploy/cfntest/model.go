package cfntest

import (
	"fmt"
	"time"
)

// epoch is where every stack's logical clock starts, so event timestamps
// do not depend on the wall clock.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Stack statuses the fake moves through; the full list is in the
// CloudFormation API reference.
const (
	statusReviewInProgress         = "REVIEW_IN_PROGRESS"
	statusCreateInProgress         = "CREATE_IN_PROGRESS"
	statusCreateComplete           = "CREATE_COMPLETE"
	statusRollbackInProgress       = "ROLLBACK_IN_PROGRESS"
	statusRollbackComplete         = "ROLLBACK_COMPLETE"
	statusUpdateInProgress         = "UPDATE_IN_PROGRESS"
	statusUpdateCleanup            = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
	statusUpdateComplete           = "UPDATE_COMPLETE"
	statusUpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS"
	statusUpdateRollbackCleanup    = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"
	statusUpdateRollbackComplete   = "UPDATE_ROLLBACK_COMPLETE"
	statusDeleteInProgress         = "DELETE_IN_PROGRESS"
	statusDeleteComplete           = "DELETE_COMPLETE"
)

// noChangesReason is CloudFormation's exact status reason for a change set
// that would change nothing.
const noChangesReason = "The submitted information didn't contain changes. Submit different information to create a change set."

// stack is one CloudFormation stack held in memory.
type stack struct {
	id, name, region string
	account          string // of the credentials that created it
	status, reason   string
	created, updated time.Time
	ticks            int // logical clock: seconds since epoch

	body      []byte // deployed template; nil before the first execution
	tmpl      *template
	params    map[string]string
	tags      map[string]string
	caps      []string
	outputs   []output
	resources map[string]*resource
	events    []*event // oldest first
	protected bool
	rollback  *rollbackConfig

	changeSets []*changeSet
	tokens     map[string]bool // ClientRequestTokens already executed
	deleted    bool
	version    int // bumped by every execution, to mark change sets obsolete
	generation int // bumped by every execution, for new physical IDs
}

// now advances the stack's logical clock by a second and returns it.
func (st *stack) now() time.Time {
	st.ticks++
	return epoch.Add(time.Duration(st.ticks) * time.Second)
}

// resource is a stack resource as DescribeStackResources reports it.
type resource struct {
	logicalID, typ, physicalID, status, reason string
	updated                                    time.Time
}

// event is one line of DescribeStackEvents.
type event struct {
	id, logicalID, physicalID, typ, status, reason, token string
	at                                                    time.Time
}

type output struct{ key, value, description string }

// rollbackConfig is a change set's (then the stack's) RollbackConfiguration.
type rollbackConfig struct {
	minutes  int
	triggers []trigger
}

type trigger struct{ arn, typ string }

// changeSet is one change set and what it would do.
type changeSet struct {
	id, name, description string
	stack                 *stack
	typ                   string // CREATE or UPDATE
	status, reason        string
	execStatus            string
	created               time.Time
	body                  []byte
	tmpl                  *template
	params                map[string]string
	tags                  map[string]string
	caps                  []string
	rollback              *rollbackConfig
	changes               []*change
	baseVersion           int
	deleted               bool
}

// newID returns a deterministic UUID-shaped identifier: real ARNs end in
// one, and tests must not depend on randomness.
func (s *Server) newID() string {
	s.seq++
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", s.seq, s.seq)
}

func stackARN(region, account, name, id string) string {
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:stack/%s/%s", region, account, name, id)
}

func changeSetARN(region, account, name, id string) string {
	return fmt.Sprintf("arn:aws:cloudformation:%s:%s:changeSet/%s/%s", region, account, name, id)
}

// inProgress reports whether a stack status is one in which CloudFormation
// refuses another operation.
func inProgress(status string) bool {
	return len(status) > len("_IN_PROGRESS") && status[len(status)-len("_IN_PROGRESS"):] == "_IN_PROGRESS"
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
