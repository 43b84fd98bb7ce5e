package compiler

import "fmt"

// rollingSuspendedProcesses are the Auto Scaling processes that would fight
// a rolling update: health-check replacement and rebalancing would launch
// or kill instances CloudFormation is counting, scheduled actions and
// alarm-driven scaling would resize the group mid-update.
var rollingSuspendedProcesses = []any{
	"AlarmNotification", "AZRebalance", "HealthCheck", "ReplaceUnhealthy", "ScheduledActions",
}

// compileRolling gives the group CloudFormation's rolling update: new
// launch-template versions replace instances batch by batch, never taking
// the group below its minimum, and each batch waits for its instances'
// signals, sent only once the application answers its health check
// locally. An instance that never becomes healthy fails the update, and
// CloudFormation rolls the stack back.
func compileRolling(b *stackBuilder, asgID string) {
	r := b.env.Deployment.Rolling
	minSize := b.env.Scaling.MinSize
	b.setRawAttribute(asgID, "UpdatePolicy", map[string]any{
		"AutoScalingRollingUpdate": map[string]any{
			"MaxBatchSize":                  r.MaxBatchSize,
			"MinInstancesInService":         minSize,
			"MinSuccessfulInstancesPercent": 100,
			"PauseTime":                     isoMinutes(r.SignalMinutes),
			"SuspendProcesses":              rollingSuspendedProcesses,
			"WaitOnResourceSignals":         true,
		},
		"AutoScalingScheduledAction": map[string]any{
			// Scheduled actions own the group's size between updates; an
			// update must not reset it to the template's values.
			"IgnoreUnmodifiedGroupSizeProperties": true,
		},
	})
	b.setRawAttribute(asgID, "CreationPolicy", map[string]any{
		"AutoScalingCreationPolicy": map[string]any{"MinSuccessfulInstancesPercent": 100},
		"ResourceSignal": map[string]any{
			// The group starts with MinSize instances (or DesiredCapacity),
			// each of which signals once; zero is a real count here.
			"Count":   initialCapacity(b.env.Scaling),
			"Timeout": isoMinutes(r.SignalMinutes),
		},
	})
}

// initialCapacity is how many instances the group launches on creation.
func initialCapacity(s Scaling) int {
	if s.DesiredCapacity != nil {
		return *s.DesiredCapacity
	}
	return s.MinSize
}

// isoMinutes writes a duration as the ISO 8601 form CloudFormation's
// policies take.
func isoMinutes(m int) string {
	return fmt.Sprintf("PT%dM", m)
}
