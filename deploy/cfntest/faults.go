package cfntest

import (
	"context"
	"fmt"
	"strings"
)

// defaultFailure is the status reason of an injected failure when the
// test gives none: a real-looking handler error.
const defaultFailure = `Resource handler returned message: "You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to." (HandlerErrorCode: ServiceLimitExceeded)`

// anyStack is the stack key of a fault that applies to every stack.
const anyStack = "*"

// faults are the failures waiting to be injected.
type faults struct {
	fail     map[string]string // stack/logicalID → status reason
	hold     map[string]bool   // stack/logicalID
	throttle int
}

func newFaults() faults {
	return faults{fail: map[string]string{}, hold: map[string]bool{}}
}

func faultKey(stack, id string) string {
	if stack == "" {
		stack = anyStack
	}
	return stack + "/" + id
}

// takeFailure uses up the failure injected for the resource, if any.
func (f *faults) takeFailure(stack, id string) (string, bool) {
	for _, k := range []string{faultKey(stack, id), faultKey(anyStack, id)} {
		if reason, ok := f.fail[k]; ok {
			delete(f.fail, k)
			return reason, true
		}
	}
	return "", false
}

func (f *faults) held(stack, id string) bool {
	return f.hold[faultKey(stack, id)] || f.hold[faultKey(anyStack, id)]
}

// FailResource makes the next create or update of the resource with
// logical ID id fail with reason (a realistic reason when empty), which
// rolls the stack back. stack limits the fault to one stack; empty means
// any. The fault is used up by the failure it causes.
func (s *Server) FailResource(stack, id, reason string) {
	if reason == "" {
		reason = defaultFailure
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.fail[faultKey(stack, id)] = reason
}

// HoldResource makes executions stop just before touching the resource,
// leaving the stack in progress until ReleaseResource: the way to test
// what happens while an apply is running.
func (s *Server) HoldResource(stack, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.hold[faultKey(stack, id)] = true
}

// ReleaseResource lifts a HoldResource.
func (s *Server) ReleaseResource(stack, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults.hold, faultKey(stack, id))
	s.notify()
}

// Throttle makes the next n API calls fail with HTTP 400 Throttling "Rate
// exceeded" (S3: 503 SlowDown), as a burst of API traffic does in a busy
// account.
func (s *Server) Throttle(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.throttle = n
}

// ObsoleteChangeSets marks every available change set of the stack
// OBSOLETE, as happens when someone else updates the stack after a plan.
// It returns how many it changed.
func (s *Server) ObsoleteChangeSets(stack string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, st := range s.stacks {
		if st.name != stack || st.deleted {
			continue
		}
		for _, cs := range st.changeSets {
			if cs.execStatus == "AVAILABLE" {
				cs.execStatus = "OBSOLETE"
				n++
			}
		}
	}
	return n
}

// SetStackStatus puts a stack into status, creating an empty stack in
// region (of the default account) when there is none: the way to test a stack that another
// operation is updating (UPDATE_IN_PROGRESS) or one whose creation failed
// (ROLLBACK_COMPLETE). The status stays until something changes it.
func (s *Server) SetStackStatus(region, name, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.byName[region+"/"+name]
	if st == nil {
		st = s.newStack(region, s.accountOf(anyKey), name)
	}
	reason := ""
	if status == statusRollbackComplete {
		reason = "The following resource(s) failed to create: [Asg]. Rollback requested by user."
	}
	s.setStatus(st, status, reason, "")
	s.notify()
}

// AddAlarm creates a CloudWatch alarm in region, of the default account,
// and returns its ARN.
func (s *Server) AddAlarm(region, name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	arn := alarmARN(region, s.accountOf(anyKey), name)
	s.alarms[name] = arn
	return arn
}

// WaitEvent blocks until the stack has an event of the resource (the stack
// itself when id is empty) with status, or ctx is done. Tests use it to act
// at a precise point of an execution without sleeping.
func (s *Server) WaitEvent(ctx context.Context, stack, id, status string) error {
	return s.WaitEvents(ctx, stack, id, status, 1)
}

// WaitEvents is WaitEvent for the n-th such event: a stack updated
// several times (the steps of a rollout) has many UPDATE_IN_PROGRESS.
func (s *Server) WaitEvents(ctx context.Context, stack, id, status string, n int) error {
	if id == "" {
		id = stack
	}
	for {
		s.mu.Lock()
		found := 0
		for _, st := range s.stacks {
			if st.name != stack {
				continue
			}
			for _, e := range st.events {
				if e.logicalID == id && e.status == status {
					found++
				}
			}
		}
		ch := s.changed
		s.mu.Unlock()
		if found >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s %s %s: %w", stack, id, status, ctx.Err())
		case <-s.closed:
			return fmt.Errorf("waiting for %s %s %s: server closed", stack, id, status)
		case <-ch:
		}
	}
}

// knownStatus guards SetStackStatus from the control endpoint against
// typos.
func knownStatus(status string) bool {
	for _, suffix := range []string{"_IN_PROGRESS", "_COMPLETE", "_FAILED"} {
		if strings.HasSuffix(status, suffix) && strings.ToUpper(status) == status {
			return true
		}
	}
	return false
}
