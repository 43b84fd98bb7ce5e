package compiler

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
)

// SimplePolicy is the simple scaling fallback: when its metric is
// saturated, add a fixed number of instances, then wait out the cooldown.
type SimplePolicy struct {
	Enabled bool `json:"enabled"`
	// Metric is cpu, memory or requests.
	Metric            string  `json:"metric"`
	Threshold         float64 `json:"threshold"`
	PeriodSeconds     int     `json:"periodSeconds"`
	EvaluationPeriods int     `json:"evaluationPeriods"`
	// Adjustment is how many instances to add; always positive.
	Adjustment int `json:"adjustment"`
	// Cooldown is how many seconds the policy ignores its alarm after it
	// scaled.
	Cooldown int `json:"cooldown"`
}

// compileSimpleScaling adds the fallback for saturation. Target tracking
// and step scaling should keep the metric well below the threshold; when
// they do not (a spike faster than their alarms, a step policy disabled),
// this policy adds a fixed number of instances at once and then waits out
// its own cooldown, so that it never piles launches on launches that are
// still warming up. Its alarm is a warning: reaching it means the other
// policies did not keep up.
func compileSimpleScaling(b *stackBuilder) {
	sp := b.env.Scaling.SimpleScaling
	if !sp.Enabled {
		return
	}
	for _, f := range b.fleets() {
		compileFleetSimpleScaling(b, f, sp)
	}
}

// compileFleetSimpleScaling adds the fallback policy and its alarm on one
// fleet's group.
func compileFleetSimpleScaling(b *stackBuilder, f fleet, sp SimplePolicy) {
	m := metricByKey(sp.Metric)
	policyID := m.id + "SimpleScaleOut" + f.idSuffix()
	b.add(policyID, &autoscaling.ScalingPolicy{
		AutoScalingGroupName: cloudformation.Ref(f.asgID),
		PolicyType:           ptr("SimpleScaling"),
		AdjustmentType:       ptr("ChangeInCapacity"),
		ScalingAdjustment:    ptr(sp.Adjustment),
		Cooldown:             ptr(itoa(sp.Cooldown)),
	})
	b.addAlarm(alarm{
		id:       m.id + "SaturatedAlarm" + f.idSuffix(),
		what:     m.key + "-saturated" + f.nameSuffix(),
		severity: Warning,
		description: fmt.Sprintf("Average %s of the group reached %s for %s although target tracking and step scaling should have added capacity: "+
			"simple scaling adds %s, then waits %d seconds. Check the group's scaling activity (maximum size reached? launches failing?) and the application's hot paths.",
			m.label, formatThreshold(m, sp.Threshold), windowText(sp.PeriodSeconds, sp.EvaluationPeriods),
			adjustmentText("ChangeInCapacity", sp.Adjustment), sp.Cooldown),
		namespace: m.namespace, metric: m.name, stat: m.stat, dims: m.dims(f),
		period: sp.PeriodSeconds, evaluationPeriods: sp.EvaluationPeriods, datapointsToAlarm: sp.EvaluationPeriods,
		comparison: "GreaterThanOrEqualToThreshold", threshold: sp.Threshold,
		treatMissing: "missing",
		extraActions: []string{cloudformation.Ref(policyID)},
	})
}
