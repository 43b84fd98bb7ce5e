package templatecheck

import (
	"fmt"
	"sort"
	"strings"
)

// Cross-field rules for EC2 Auto Scaling groups, policies and scheduled actions.

// asgSizes keeps MinSize <= DesiredCapacity <= MaxSize.
func asgSizes(x *ruleContext) {
	lo, okLo := x.num(x.props, "MinSize")
	hi, okHi := x.num(x.props, "MaxSize")
	if okLo && okHi && lo > hi {
		x.emit("MinSize", "MinSize %s is greater than MaxSize %s", formatNum(lo), formatNum(hi))
	}
	if d, ok := x.num(x.props, "DesiredCapacity"); ok {
		if okLo && d < lo {
			x.emit("DesiredCapacity", "DesiredCapacity %s is below MinSize %s", formatNum(d), formatNum(lo))
		}
		if okHi && d > hi {
			x.emit("DesiredCapacity", "DesiredCapacity %s is above MaxSize %s", formatNum(d), formatNum(hi))
		}
	}
}

// asgLaunchSource requires exactly one way to launch instances and a well-formed launch
// template reference.
func asgLaunchSource(x *ruleContext) {
	var present []string
	for _, k := range []string{"InstanceId", "LaunchConfigurationName", "LaunchTemplate", "MixedInstancesPolicy"} {
		if _, ok := x.props[k]; ok {
			present = append(present, k)
		}
	}
	switch len(present) {
	case 0:
		x.emit("", "the group needs a launch source: one of LaunchTemplate, LaunchConfigurationName, MixedInstancesPolicy, InstanceId")
	case 1:
	default:
		x.emit("", "specify only one launch source, not %s", strings.Join(present, " and "))
	}
	launchTemplateSpec(x, x.props["LaunchTemplate"], "LaunchTemplate")
	if mip, ok := x.props["MixedInstancesPolicy"].(map[string]any); ok {
		if lt, ok := mip["LaunchTemplate"].(map[string]any); ok {
			launchTemplateSpec(x, lt["LaunchTemplateSpecification"], "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification")
		}
	}
}

// launchTemplateSpec requires exactly one of LaunchTemplateId and LaunchTemplateName.
func launchTemplateSpec(x *ruleContext, v any, rel string) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	_, id := m["LaunchTemplateId"]
	_, name := m["LaunchTemplateName"]
	switch {
	case id && name:
		x.emit(rel, "give LaunchTemplateId or LaunchTemplateName, not both")
	case !id && !name:
		x.emit(rel, "needs LaunchTemplateId or LaunchTemplateName")
	}
}

// asgPolicies checks the numbers in UpdatePolicy and CreationPolicy against the group.
func asgPolicies(x *ruleContext) {
	maxSize, okMax := x.num(x.props, "MaxSize")
	if up, ok := x.r.def["UpdatePolicy"].(map[string]any); ok {
		if ru, ok := up["AutoScalingRollingUpdate"].(map[string]any); ok {
			base := "UpdatePolicy.AutoScalingRollingUpdate."
			if n, ok := x.num(ru, "MinInstancesInService"); ok {
				if n < 0 {
					x.emitResource(base+"MinInstancesInService", "MinInstancesInService %s must not be negative", formatNum(n))
				}
				if okMax && n >= maxSize {
					x.emitResource(base+"MinInstancesInService", "MinInstancesInService %s must be less than the group's MaxSize %s", formatNum(n), formatNum(maxSize))
				}
			}
			if n, ok := x.num(ru, "MaxBatchSize"); ok && (n < 1 || n > 100) {
				x.emitResource(base+"MaxBatchSize", "MaxBatchSize %s must be from 1 to 100", formatNum(n))
			}
			for _, k := range []string{"MinSuccessfulInstancesPercent", "MinActiveInstancesPercent"} {
				if n, ok := x.num(ru, k); ok && (n < 0 || n > 100) {
					x.emitResource(base+k, "%s %s must be from 0 to 100", k, formatNum(n))
				}
			}
		}
	}
	if cp, ok := x.r.def["CreationPolicy"].(map[string]any); ok {
		if acp, ok := cp["AutoScalingCreationPolicy"].(map[string]any); ok {
			if n, ok := x.num(acp, "MinSuccessfulInstancesPercent"); ok && (n < 0 || n > 100) {
				x.emitResource("CreationPolicy.AutoScalingCreationPolicy.MinSuccessfulInstancesPercent",
					"MinSuccessfulInstancesPercent %s must be from 0 to 100", formatNum(n))
			}
		}
	}
}

// scalingPolicyFields says, per policy type, which properties are required and which are not
// valid ("Required if the policy type is …", "Valid only if the policy type is …").
var scalingPolicyFields = map[string]struct{ required, invalid []string }{
	"SimpleScaling": {
		required: []string{"AdjustmentType", "ScalingAdjustment"},
		invalid:  []string{"EstimatedInstanceWarmup", "MetricAggregationType", "PredictiveScalingConfiguration", "StepAdjustments", "TargetTrackingConfiguration"},
	},
	"StepScaling": {
		required: []string{"AdjustmentType", "StepAdjustments"},
		invalid:  []string{"Cooldown", "PredictiveScalingConfiguration", "ScalingAdjustment", "TargetTrackingConfiguration"},
	},
	"TargetTrackingScaling": {
		required: []string{"TargetTrackingConfiguration"},
		invalid:  []string{"AdjustmentType", "Cooldown", "MetricAggregationType", "MinAdjustmentMagnitude", "PredictiveScalingConfiguration", "ScalingAdjustment", "StepAdjustments"},
	},
	"PredictiveScaling": {
		required: []string{"PredictiveScalingConfiguration"},
		invalid:  []string{"AdjustmentType", "Cooldown", "EstimatedInstanceWarmup", "MetricAggregationType", "MinAdjustmentMagnitude", "ScalingAdjustment", "StepAdjustments", "TargetTrackingConfiguration"},
	},
}

// scalingPolicyType checks the fields each policy type requires and forbids, and the target
// tracking metric.
func scalingPolicyType(x *ruleContext) {
	pt := "SimpleScaling" // the documented default
	if v, ok := x.props["PolicyType"]; ok {
		s, ok := literalString(v)
		if !ok {
			return
		}
		pt = s
	}
	fields, ok := scalingPolicyFields[pt]
	if !ok {
		return // the PolicyType enum rule reports it
	}
	for _, k := range fields.required {
		if _, ok := x.props[k]; !ok {
			x.emit("", "a %s policy needs %s", pt, k)
		}
	}
	for _, k := range fields.invalid {
		if _, ok := x.props[k]; ok {
			x.emit(k, "%s is not valid for a %s policy", k, pt)
		}
	}
	tt, ok := x.props["TargetTrackingConfiguration"].(map[string]any)
	if !ok {
		return
	}
	pre, hasPre := tt["PredefinedMetricSpecification"]
	_, hasCustom := tt["CustomizedMetricSpecification"]
	switch {
	case hasPre && hasCustom:
		x.emit("TargetTrackingConfiguration", "give PredefinedMetricSpecification or CustomizedMetricSpecification, not both")
	case !hasPre && !hasCustom:
		x.emit("TargetTrackingConfiguration", "needs PredefinedMetricSpecification or CustomizedMetricSpecification")
	}
	if m, ok := pre.(map[string]any); ok {
		if t, _ := m["PredefinedMetricType"].(string); t == "ALBRequestCountPerTarget" {
			if _, ok := m["ResourceLabel"]; !ok {
				x.emit("TargetTrackingConfiguration.PredefinedMetricSpecification", "ALBRequestCountPerTarget needs a ResourceLabel naming the target group")
			}
		}
	}
}

// interval is one step adjustment's bounds; nil means unbounded.
type interval struct {
	i      int // position in StepAdjustments, for messages
	lo, hi *float64
}

// stepAdjustments checks that the steps tile the metric axis: bounds ordered, no overlap, no gap,
// open at the ends where needed.
func stepAdjustments(x *ruleContext) {
	steps, ok := x.props["StepAdjustments"].([]any)
	if !ok {
		return
	}
	var ivs []interval
	for i, s := range steps {
		m, ok := s.(map[string]any)
		if !ok {
			return
		}
		iv := interval{i: i}
		if v, ok := m["MetricIntervalLowerBound"]; ok {
			f, ok := numberOf(v)
			if !ok {
				return // computed bounds cannot be checked
			}
			iv.lo = &f
		}
		if v, ok := m["MetricIntervalUpperBound"]; ok {
			f, ok := numberOf(v)
			if !ok {
				return
			}
			iv.hi = &f
		}
		if _, ok := m["ScalingAdjustment"]; !ok {
			x.emit(fmt.Sprintf("StepAdjustments[%d]", i), "a step adjustment needs ScalingAdjustment")
		}
		ivs = append(ivs, iv)
	}
	openLow, openHigh := 0, 0
	negLower, posUpper := false, false
	for _, iv := range ivs {
		rel := fmt.Sprintf("StepAdjustments[%d]", iv.i)
		switch {
		case iv.lo == nil && iv.hi == nil:
			x.emit(rel, "a step adjustment cannot leave both bounds open")
			return
		case iv.lo != nil && iv.hi != nil && *iv.hi <= *iv.lo:
			x.emit(rel, "upper bound %s must be greater than lower bound %s", formatNum(*iv.hi), formatNum(*iv.lo))
			return
		}
		if iv.lo == nil {
			openLow++
		} else if *iv.lo < 0 {
			negLower = true
		}
		if iv.hi == nil {
			openHigh++
		} else if *iv.hi > 0 {
			posUpper = true
		}
	}
	if openLow > 1 {
		x.emit("StepAdjustments", "at most one step adjustment may have no lower bound")
	}
	if openHigh > 1 {
		x.emit("StepAdjustments", "at most one step adjustment may have no upper bound")
	}
	if negLower && openLow == 0 {
		x.emit("StepAdjustments", "a negative lower bound needs a step adjustment without lower bound")
	}
	if posUpper && openHigh == 0 {
		x.emit("StepAdjustments", "a positive upper bound needs a step adjustment without upper bound")
	}
	if openLow > 1 || openHigh > 1 {
		return
	}
	// Sorted by lower bound (open first), each step must start where the previous one ended.
	sort.SliceStable(ivs, func(a, b int) bool {
		if ivs[a].lo == nil || ivs[b].lo == nil {
			return ivs[a].lo == nil && ivs[b].lo != nil
		}
		return *ivs[a].lo < *ivs[b].lo
	})
	for k := 1; k < len(ivs); k++ {
		prev, cur := ivs[k-1], ivs[k]
		if prev.hi == nil || cur.lo == nil {
			x.emit("StepAdjustments", "step adjustments %d and %d overlap", prev.i, cur.i)
			continue
		}
		switch {
		case *cur.lo < *prev.hi:
			x.emit("StepAdjustments", "step adjustments %d and %d overlap (%s < %s)", prev.i, cur.i, formatNum(*cur.lo), formatNum(*prev.hi))
		case *cur.lo > *prev.hi:
			x.emit("StepAdjustments", "gap between step adjustments %d and %d (%s to %s)", prev.i, cur.i, formatNum(*prev.hi), formatNum(*cur.lo))
		}
	}
}

// scheduledActionSizes requires a size to set and keeps MinSize <= MaxSize.
func scheduledActionSizes(x *ruleContext) {
	_, a := x.props["MinSize"]
	_, b := x.props["MaxSize"]
	_, d := x.props["DesiredCapacity"]
	if !a && !b && !d {
		x.emit("", "a scheduled action needs at least one of MinSize, MaxSize, DesiredCapacity")
	}
	lo, okLo := x.num(x.props, "MinSize")
	hi, okHi := x.num(x.props, "MaxSize")
	if okLo && okHi && lo > hi {
		x.emit("MinSize", "MinSize %s is greater than MaxSize %s", formatNum(lo), formatNum(hi))
	}
}
