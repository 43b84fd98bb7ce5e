package compiler

import (
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
)

// StepPolicies are the spec's step policies, one optional pair per metric.
type StepPolicies struct {
	CPU      *StepPolicy `json:"cpu"`
	Memory   *StepPolicy `json:"memory"`
	Requests *StepPolicy `json:"requests"`
}

// StepPolicy is the scale-out and scale-in step policy on one metric.
type StepPolicy struct {
	Out *StepDirection `json:"out"`
	In  *StepDirection `json:"in"`
}

// StepDirection is one step policy and the alarm that drives it.
type StepDirection struct {
	// Enabled false drops a policy that the tier would otherwise add.
	Enabled bool `json:"enabled"`
	// Threshold is the alarm's threshold in the metric's unit; step bounds
	// are relative to it.
	Threshold         float64 `json:"threshold"`
	PeriodSeconds     int     `json:"periodSeconds"`
	EvaluationPeriods int     `json:"evaluationPeriods"`
	// AdjustmentType is ChangeInCapacity or PercentChangeInCapacity.
	AdjustmentType         string `json:"adjustmentType"`
	MinAdjustmentMagnitude *int   `json:"minAdjustmentMagnitude"`
	// InstanceWarmup overrides the group's warm-up (scale-out only).
	InstanceWarmup *int `json:"instanceWarmup"`
	// Steps are the steps in effect: the spec's, or the tier's when the
	// spec gives none (the schema computes stepAdjustments).
	Steps []Step `json:"stepAdjustments"`
}

// Step is one step adjustment. Nil bounds are open-ended; a zero bound is
// the threshold itself and must reach the template.
type Step struct {
	Lower      *float64 `json:"lower"`
	Upper      *float64 `json:"upper"`
	Adjustment int      `json:"adjustment"`
}

// scaleDirection is "out" or "in", with what differs between the two.
type scaleDirection struct {
	key string
	// id and what name the resources: CpuStepScaleOut, CpuScaleOutAlarm,
	// <stack>-cpu-scale-out.
	id, what string
	// comparison is the alarm's operator: the metric at or beyond the
	// threshold breaches.
	comparison string
}

var (
	scaleOut = scaleDirection{key: "out", id: "ScaleOut", what: "scale-out", comparison: "GreaterThanOrEqualToThreshold"}
	scaleIn  = scaleDirection{key: "in", id: "ScaleIn", what: "scale-in", comparison: "LessThanOrEqualToThreshold"}
)

// metricStepPolicy pairs a metric with its step policy, for loops in the
// fixed metric order.
type metricStepPolicy struct {
	metric scalingMetric
	policy *StepPolicy
}

// byMetric lists the step policies the spec declares, in metric order.
func (p StepPolicies) byMetric() []metricStepPolicy {
	var out []metricStepPolicy
	for _, m := range scalingMetrics {
		var sp *StepPolicy
		switch m.key {
		case "cpu":
			sp = p.CPU
		case "memory":
			sp = p.Memory
		default:
			sp = p.Requests
		}
		if sp != nil {
			out = append(out, metricStepPolicy{m, sp})
		}
	}
	return out
}

// stepSide is one enabled direction of a step policy.
type stepSide struct {
	dir scaleDirection
	d   *StepDirection
}

// directions lists the enabled directions of p, out before in.
func (p *StepPolicy) directions() []stepSide {
	var out []stepSide
	if p.Out != nil && p.Out.Enabled {
		out = append(out, stepSide{scaleOut, p.Out})
	}
	if p.In != nil && p.In.Enabled {
		out = append(out, stepSide{scaleIn, p.In})
	}
	return out
}

// compileStepScaling adds each enabled step policy with the alarm that
// drives it. Scale-out reacts harder the further the metric is above its
// threshold; scale-in removes capacity only after the metric has stayed
// low for the whole evaluation window.
func compileStepScaling(b *stackBuilder) {
	for _, f := range b.fleets() {
		for _, mp := range b.env.Scaling.StepScaling.byMetric() {
			for _, x := range mp.policy.directions() {
				b.stepPolicy(f, mp.metric, x.dir, x.d)
			}
		}
	}
}

// stepPolicy adds one step policy and its alarm. Step scaling policies
// take no cooldown: Auto Scaling counts capacity that is still warming up
// instead, from the group's default instance warm-up unless overridden.
func (b *stackBuilder) stepPolicy(f fleet, m scalingMetric, dir scaleDirection, d *StepDirection) {
	policyID := m.id + "Step" + dir.id + f.idSuffix()
	p := &autoscaling.ScalingPolicy{
		AutoScalingGroupName: cloudformation.Ref(f.asgID),
		PolicyType:           ptr("StepScaling"),
		AdjustmentType:       ptr(d.AdjustmentType),
		StepAdjustments:      stepAdjustments(d.Steps),
	}
	if d.AdjustmentType == "PercentChangeInCapacity" {
		p.MinAdjustmentMagnitude = d.MinAdjustmentMagnitude
	}
	if dir == scaleOut {
		p.EstimatedInstanceWarmup = d.InstanceWarmup
	}
	b.add(policyID, p)

	b.addAlarm(alarm{
		id:          m.id + dir.id + "Alarm" + f.idSuffix(),
		what:        m.key + "-" + dir.what + f.nameSuffix(),
		severity:    Info,
		description: stepAlarmDescription(m, dir, d),
		namespace:   m.namespace, metric: m.name, stat: m.stat, dims: m.dims(f),
		period: d.PeriodSeconds, evaluationPeriods: d.EvaluationPeriods, datapointsToAlarm: d.EvaluationPeriods,
		comparison: dir.comparison, threshold: d.Threshold,
		// No data (no instances, or no traffic) must neither scale nor
		// flap the alarm.
		treatMissing: "missing",
		extraActions: []string{cloudformation.Ref(policyID)},
	})
}

// stepAdjustments converts the spec's steps, keeping their order. Bounds
// are pointers all the way through, so a bound of 0 (the threshold itself)
// is written out while an open end is left out.
func stepAdjustments(steps []Step) []autoscaling.ScalingPolicy_StepAdjustment {
	out := make([]autoscaling.ScalingPolicy_StepAdjustment, len(steps))
	for i, s := range steps {
		out[i] = autoscaling.ScalingPolicy_StepAdjustment{
			MetricIntervalLowerBound: s.Lower,
			MetricIntervalUpperBound: s.Upper,
			ScalingAdjustment:        s.Adjustment,
		}
	}
	return out
}

// stepAlarmDescription says what the alarm does and what to check first.
// Step alarms are routine: they notify the info topic.
func stepAlarmDescription(m scalingMetric, dir scaleDirection, d *StepDirection) string {
	window := windowText(d.PeriodSeconds, d.EvaluationPeriods)
	var steps []string
	for _, s := range d.Steps {
		steps = append(steps, stepText(m, d, s))
	}
	if dir == scaleOut {
		return fmt.Sprintf("Average %s of the group reached %s for %s: step scaling adds capacity (%s). "+
			"If it keeps firing, check whether the group is at its maximum size and whether launches fail.",
			m.label, formatThreshold(m, d.Threshold), window, strings.Join(steps, "; "))
	}
	return fmt.Sprintf("Average %s of the group stayed at or below %s for %s: step scaling removes capacity (%s). "+
		"If the group shrinks too far, raise the threshold or the evaluation window.",
		m.label, formatThreshold(m, d.Threshold), window, strings.Join(steps, "; "))
}

// stepText describes one step in absolute metric values.
func stepText(m scalingMetric, d *StepDirection, s Step) string {
	var rng string
	switch {
	case s.Lower != nil && s.Upper != nil:
		rng = fmt.Sprintf("%s to %s", m.value(d.Threshold+*s.Lower), m.value(d.Threshold+*s.Upper))
	case s.Lower != nil:
		rng = "from " + m.value(d.Threshold+*s.Lower)
	case s.Upper != nil:
		rng = "up to " + m.value(d.Threshold+*s.Upper)
	}
	return rng + ": " + adjustmentText(d.AdjustmentType, s.Adjustment)
}

// adjustmentText prints an adjustment with its sign and unit.
func adjustmentText(adjustmentType string, n int) string {
	sign := "+"
	if n < 0 {
		sign = "-"
		n = -n
	}
	if adjustmentType == "PercentChangeInCapacity" {
		return fmt.Sprintf("%s%d%%", sign, n)
	}
	if n == 1 {
		return sign + "1 instance"
	}
	return fmt.Sprintf("%s%d instances", sign, n)
}

// windowText prints an alarm's evaluation window, e.g. "15 minutes".
func windowText(period, evaluations int) string {
	secs := period * evaluations
	if secs%60 == 0 {
		if secs == 60 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", secs/60)
	}
	return fmt.Sprintf("%d seconds", secs)
}

// formatThreshold prints a threshold with its metric's unit.
func formatThreshold(m scalingMetric, v float64) string {
	return formatNumber(v) + m.unit
}

// value prints a metric value briefly: with "%" for percentages, bare
// otherwise.
func (m scalingMetric) value(v float64) string {
	if m.percent {
		return formatNumber(v) + "%"
	}
	return formatNumber(v)
}

// formatNumber prints v without a trailing ".0", as a user wrote it.
func formatNumber(v float64) string {
	return fmt.Sprintf("%g", v)
}
