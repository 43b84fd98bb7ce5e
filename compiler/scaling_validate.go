package compiler

import (
	"fmt"
	"sort"
	"strings"

	"cuelang.org/go/cue"
)

// Scaling checks that span several fields, which CUE cannot express well:
// step intervals that must tile the metric axis, adjustments whose sign
// must match their direction, thresholds that would flap or fight target
// tracking, scheduled sizes within the group's range, and mixed instance
// types that one image can boot. The schema (scaling.cue) has already
// checked every single value's range. Each problem points at the value in
// the spec, or at the nearest value the user wrote when a tier default is
// to blame.

// scalingChecker checks one environment's scaling and collects problems.
type scalingChecker struct {
	spec *Spec
	svc  *Service
	env  *Environment
	sc   *Scaling
	errs Errors
}

// validateScaling runs every scaling check on one environment.
func validateScaling(spec *Spec, svc *Service, env *Environment) Errors {
	c := &scalingChecker{spec: spec, svc: svc, env: env, sc: &env.Scaling}
	for _, mp := range c.sc.StepScaling.byMetric() {
		for _, x := range mp.policy.directions() {
			c.checkStepDirection(mp.metric, x.dir, x.d)
		}
	}
	if c.sc.SimpleScaling.Enabled {
		sp := c.sc.SimpleScaling
		c.checkAlarmWindow(sp.PeriodSeconds, sp.EvaluationPeriods, "simpleScaling")
	}
	for _, m := range scalingMetrics {
		c.checkThresholds(m)
	}
	c.checkScaleInOwner()
	for _, name := range sortedKeys(c.sc.Schedule) {
		c.checkSchedule(name, c.sc.Schedule[name])
	}
	c.checkMixedInstances()
	return c.errs
}

// errorAt records a problem at the value at path (below the environment's
// scaling). Path elements are field names, or list indices as ints.
func (c *scalingChecker) errorAt(path []any, hint, format string, args ...any) {
	sels := []cue.Selector{
		cue.Str("services"), cue.Str(c.svc.Name),
		cue.Str("environments"), cue.Str(c.env.Name), cue.Str("scaling"),
	}
	for _, p := range path {
		switch x := p.(type) {
		case string:
			sels = append(sels, cue.Str(x))
		case int:
			sels = append(sels, cue.Index(x))
		default:
			panic(fmt.Sprintf("compiler: path element %v", p))
		}
	}
	c.errs = append(c.errs, c.spec.selectorError(sels, hint, fmt.Sprintf(format, args...)))
}

// selectorError builds a positioned Error for the value at sels. Unlike
// errorAt it handles list indices, and it prints the path the way CUE's
// own errors do ("steps.1.lower").
func (s *Spec) selectorError(sels []cue.Selector, hint, msg string) *Error {
	names := make([]string, len(sels))
	for i, sel := range sels {
		names[i] = sel.String()
	}
	e := &Error{Path: strings.Join(names, "."), Msg: msg, Hint: hint}
	for n := len(sels); n > 0; n-- {
		v := s.data.LookupPath(cue.MakePath(sels[:n]...))
		if pos := v.Pos(); v.Exists() && pos.IsValid() {
			e.Pos = pos
			break
		}
	}
	return e
}

// stepPath is the spec path of one step policy's field.
func stepPath(m scalingMetric, dir scaleDirection, rest ...any) []any {
	return append([]any{"stepScaling", m.key, dir.key}, rest...)
}

// checkStepDirection checks one enabled step policy: its alarm window, its
// adjustment type, the signs of its adjustments and how its steps tile the
// side of the threshold on which its alarm fires.
func (c *scalingChecker) checkStepDirection(m scalingMetric, dir scaleDirection, d *StepDirection) {
	c.checkAlarmWindow(d.PeriodSeconds, d.EvaluationPeriods, stepPath(m, dir)...)
	if d.MinAdjustmentMagnitude != nil && d.AdjustmentType != "PercentChangeInCapacity" {
		c.errorAt(stepPath(m, dir, "minAdjustmentMagnitude"),
			`remove minAdjustmentMagnitude, or set adjustmentType: "PercentChangeInCapacity"`,
			"minAdjustmentMagnitude only applies to PercentChangeInCapacity adjustments, not %s", d.AdjustmentType)
	}
	if len(d.Steps) == 0 {
		c.errorAt(stepPath(m, dir, "steps"), "add at least one step, e.g. {lower: 0, adjustment: 1}",
			"a step policy needs at least one step")
		return
	}
	signOK := true
	for i, s := range d.Steps {
		if !c.checkStepSign(m, dir, d, i, s) {
			signOK = false
		}
	}
	if signOK {
		c.checkStepTiling(m, dir, d)
	}
}

// checkStepSign requires scale-out steps to add and scale-in steps to
// remove capacity, and no step to remove more than the whole group.
func (c *scalingChecker) checkStepSign(m scalingMetric, dir scaleDirection, d *StepDirection, i int, s Step) bool {
	path := stepPath(m, dir, "steps", i, "adjustment")
	switch {
	case dir == scaleOut && s.Adjustment <= 0:
		c.errorAt(path, "scale-out steps add capacity: make the adjustment positive, or move the step to the in policy",
			"scale-out step %d has adjustment %d; a scale-out adjustment must be positive", i, s.Adjustment)
		return false
	case dir == scaleIn && s.Adjustment >= 0:
		c.errorAt(path, "scale-in steps remove capacity: make the adjustment negative, or move the step to the out policy",
			"scale-in step %d has adjustment %d; a scale-in adjustment must be negative", i, s.Adjustment)
		return false
	case dir == scaleIn && d.AdjustmentType == "PercentChangeInCapacity" && s.Adjustment < -100:
		c.errorAt(path, "a percent adjustment removes at most the whole group: -100",
			"scale-in step %d removes %d%% of the group", i, -s.Adjustment)
		return false
	}
	return true
}

// checkStepTiling requires the steps to cover their side of the threshold
// exactly once: an alarm that fires at a value no step covers makes the
// policy fail, and overlapping steps are rejected by Auto Scaling. Bounds
// are relative to the threshold. Scale-out steps cover [0, +inf): every
// step has a lower bound of 0 or more, exactly one has no upper bound, and
// each starts where the one before ends. Scale-in steps mirror that on
// (-inf, 0].
func (c *scalingChecker) checkStepTiling(m scalingMetric, dir scaleDirection, d *StepDirection) {
	const hint = "bounds are relative to the threshold: each step starts where the previous one ends, and exactly one step is open-ended"
	// near is the bound on the threshold's side, far the other one; for
	// scale-in the axis is mirrored so that one walk serves both.
	type interval struct {
		i         int
		near, far *float64
	}
	nearName, farName := "lower", "upper"
	if dir == scaleIn {
		nearName, farName = "upper", "lower"
	}
	var ivs []interval
	var open []int
	for i, s := range d.Steps {
		near, far := s.Lower, s.Upper
		if dir == scaleIn {
			near, far = neg(s.Upper), neg(s.Lower)
		}
		switch {
		case near == nil:
			c.errorAt(stepPath(m, dir, "steps", i), hint,
				"%s step %d has no %s bound; %s steps are open-ended only %s, away from the threshold",
				dir.what, i, nearName, dir.what, awayWord(dir))
			return
		case *near < 0:
			c.errorAt(stepPath(m, dir, "steps", i, nearName), hint,
				"%s step %d has %s bound %s, on the wrong side of the threshold; %s bounds are %s",
				dir.what, i, nearName, formatNumber(boundValue(dir, *near)), dir.what, sideWord(dir))
			return
		case far != nil && *far <= *near:
			c.errorAt(stepPath(m, dir, "steps", i, farName), hint,
				"%s step %d is empty: its bounds run from %s to %s",
				dir.what, i, formatNumber(boundValue(dir, *near)), formatNumber(boundValue(dir, *far)))
			return
		}
		if far == nil {
			open = append(open, i)
		}
		ivs = append(ivs, interval{i, near, far})
	}
	if len(open) > 1 {
		c.errorAt(stepPath(m, dir, "steps", open[1]), hint,
			"%s steps %d and %d both have no %s bound; exactly one %s step is open-ended",
			dir.what, open[0], open[1], farName, dir.what)
		return
	}
	sort.SliceStable(ivs, func(a, b int) bool { return *ivs[a].near < *ivs[b].near })
	if first := ivs[0]; *first.near != 0 {
		c.errorAt(stepPath(m, dir, "steps", first.i, nearName), hint,
			"gap between the threshold and %s step %d: no step covers %s",
			dir.what, first.i, gapText(m, dir, d.Threshold, 0, *first.near))
		return
	}
	for k := 1; k < len(ivs); k++ {
		prev, cur := ivs[k-1], ivs[k]
		if prev.far == nil {
			c.errorAt(stepPath(m, dir, "steps", cur.i, nearName), hint,
				"%s steps %d and %d overlap: step %d is open-ended and already covers %s",
				dir.what, prev.i, cur.i, prev.i, m.value(d.Threshold+boundValue(dir, *cur.near)))
			return
		}
		switch {
		case *cur.near < *prev.far:
			c.errorAt(stepPath(m, dir, "steps", cur.i, nearName), hint,
				"%s steps %d and %d overlap: step %d reaches %s but step %d starts at %s",
				dir.what, prev.i, cur.i, prev.i, formatNumber(boundValue(dir, *prev.far)), cur.i, formatNumber(boundValue(dir, *cur.near)))
			return
		case *cur.near > *prev.far:
			c.errorAt(stepPath(m, dir, "steps", cur.i, nearName), hint,
				"gap between %s steps %d and %d: no step covers %s",
				dir.what, prev.i, cur.i, gapText(m, dir, d.Threshold, *prev.far, *cur.near))
			return
		}
	}
	if len(open) == 0 {
		last := ivs[len(ivs)-1]
		c.errorAt(stepPath(m, dir, "steps", last.i, farName), hint,
			"no %s step is open-ended: values %s %s match no step",
			dir.what, beyondWord(dir), m.value(d.Threshold+boundValue(dir, *last.far)))
	}
}

// neg mirrors a bound for scale-in steps; nil stays open.
func neg(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := -*p
	return &v
}

// boundValue turns a mirrored bound back into the spec's value.
func boundValue(dir scaleDirection, v float64) float64 {
	if dir == scaleIn {
		return -v
	}
	return v
}

// gapText names the uncovered metric values between two mirrored bounds.
func gapText(m scalingMetric, dir scaleDirection, threshold, from, to float64) string {
	a, b := threshold+boundValue(dir, from), threshold+boundValue(dir, to)
	if b < a {
		a, b = b, a
	}
	return m.value(a) + " to " + m.value(b)
}

func awayWord(dir scaleDirection) string {
	if dir == scaleOut {
		return "upwards"
	}
	return "downwards"
}

func sideWord(dir scaleDirection) string {
	if dir == scaleOut {
		return "0 or more"
	}
	return "0 or less"
}

func beyondWord(dir scaleDirection) string {
	if dir == scaleOut {
		return "above"
	}
	return "below"
}

// checkAlarmWindow checks an alarm's period and window against what
// CloudWatch accepts: periods of a minute or more in whole minutes, and an
// evaluation window of at most a day.
func (c *scalingChecker) checkAlarmWindow(period, evaluations int, at ...any) {
	if period%60 != 0 {
		c.errorAt(append(at, "periodSeconds"), "use 60, 120, 300 and so on",
			"periodSeconds %d is not a whole number of minutes, as CloudWatch alarm periods of a minute or more must be", period)
		return
	}
	if period*evaluations > 86400 {
		c.errorAt(append(at, "evaluationPeriods"), "shorten periodSeconds or evaluationPeriods",
			"periodSeconds × evaluationPeriods is %d seconds; CloudWatch evaluates at most one day (86400 seconds)", period*evaluations)
	}
}

// threshold is one alarm threshold on a metric, with where it was set.
type threshold struct {
	value float64
	path  []any
	// owner names the policy in messages.
	owner string
}

// checkThresholds keeps the policies on one metric from working against
// each other or against target tracking. Every scale-in threshold must lie
// below every scale-out threshold, or the group flaps: scaling in raises
// the metric past the scale-out threshold, scaling out lowers it past the
// scale-in one. Scale-out thresholds must lie above the target and
// scale-in thresholds below it, or the policy and target tracking fight:
// one adds the capacity the other removes. A threshold that flaps is
// reported once, as flapping.
func (c *scalingChecker) checkThresholds(m scalingMetric) {
	var outs, ins []threshold
	for _, mp := range c.sc.StepScaling.byMetric() {
		if mp.metric.key != m.key {
			continue
		}
		for _, x := range mp.policy.directions() {
			t := threshold{x.d.Threshold, stepPath(m, x.dir, "threshold"), "the " + x.dir.what + " step policy"}
			if x.dir == scaleOut {
				outs = append(outs, t)
			} else {
				ins = append(ins, t)
			}
		}
	}
	if sp := c.sc.SimpleScaling; sp.Enabled && sp.Metric == m.key {
		outs = append(outs, threshold{sp.Threshold, []any{"simpleScaling", "threshold"}, "the simple scaling policy"})
	}
	target := c.sc.target(m)
	targetField := map[string]string{"cpu": "cpuTarget", "memory": "memoryTarget", "requests": "requestsPerTarget"}[m.key]

	for _, in := range ins {
		flaps := false
		for _, out := range outs {
			if in.value >= out.value {
				c.errorAt(in.path,
					"keep every scale-in threshold below every scale-out threshold on the same metric, with room for the load of one instance in between",
					"scale-in threshold %s on %s is not below the scale-out threshold %s of %s: the group would flap, scaling in and out in turn",
					m.value(in.value), m.label, m.value(out.value), out.owner)
				flaps = true
				break
			}
		}
		if !flaps && in.value >= target {
			c.errorAt(in.path,
				fmt.Sprintf("set the scale-in threshold below %s, e.g. %s - 20", targetField, targetField),
				"scale-in threshold %s on %s is not below the target %s: %s would remove capacity that target tracking adds back",
				m.value(in.value), m.label, m.value(target), in.owner)
		}
	}
	for _, out := range outs {
		if out.value <= target {
			c.errorAt(out.path,
				fmt.Sprintf("set the threshold above %s: %s reacts to what target tracking cannot absorb", targetField, out.owner),
				"scale-out threshold %s on %s is not above the target %s: %s would add capacity that target tracking removes again",
				m.value(out.value), m.label, m.value(target), out.owner)
		}
	}
}

// checkScaleInOwner gives scale-in one owner. When a step policy scales
// in, every target-tracking policy must leave scale-in to it: target
// tracking would otherwise remove capacity as soon as its own metric dips,
// and the step policy's conservative window would govern nothing.
func (c *scalingChecker) checkScaleInOwner() {
	var stepIn *metricStepPolicy
	for _, mp := range c.sc.StepScaling.byMetric() {
		if mp.policy.In != nil && mp.policy.In.Enabled {
			stepIn = &mp
			break
		}
	}
	if stepIn == nil {
		return
	}
	for _, m := range scalingMetrics {
		if c.sc.tracking(m).DisableScaleIn {
			continue
		}
		c.errorAt([]any{"targetTracking", m.key, "disableScaleIn"},
			fmt.Sprintf("set targetTracking.%s.disableScaleIn: true (the default while a step policy scales in), or stepScaling.%s.in.enabled: false", m.key, stepIn.metric.key),
			"target tracking on %s would scale in while the %s step policy also scales in: the two would fight over scale-in",
			m.label, stepIn.metric.label)
	}
}

// checkSchedule keeps a scheduled action within the group's range and
// consistent in itself: sizes at most the group's maxSize, minSize not
// above maxSize, and desiredCapacity within the minimum and maximum in
// effect once it ran (its own where set, the group's otherwise).
func (c *scalingChecker) checkSchedule(name string, a *ScheduledAction) {
	at := func(rest ...any) []any { return append([]any{"schedule", name}, rest...) }
	if msg := checkCron(a.Recurrence); msg != "" {
		c.errorAt(at("recurrence"), `five fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7), e.g. "0 20 * * 1-5"`,
			"recurrence %q %s", a.Recurrence, msg)
	}
	if a.MinSize == nil && a.MaxSize == nil && a.DesiredCapacity == nil {
		c.errorAt(at(), "set minSize, maxSize or desiredCapacity",
			"scheduled action %s sets no size", name)
		return
	}
	groupMax := c.sc.MaxSize
	bad := false
	for _, f := range []struct {
		field string
		v     *int
	}{{"minSize", a.MinSize}, {"maxSize", a.MaxSize}, {"desiredCapacity", a.DesiredCapacity}} {
		if f.v != nil && *f.v > groupMax {
			c.errorAt(at(f.field), "raise scaling.maxSize, or lower the scheduled size",
				"scheduled %s %d is outside the group's range 0..%d (maxSize)", f.field, *f.v, groupMax)
			bad = true
		}
	}
	if bad {
		return
	}
	lo, loFrom := c.sc.MinSize, "the group's minSize"
	if a.MinSize != nil {
		lo, loFrom = *a.MinSize, "its minSize"
	}
	hi, hiFrom := groupMax, "the group's maxSize"
	if a.MaxSize != nil {
		hi, hiFrom = *a.MaxSize, "its maxSize"
	}
	if lo > hi {
		field := "maxSize"
		if a.MaxSize == nil {
			field = "minSize"
		}
		c.errorAt(at(field), "keep minSize at or below maxSize once the action has run",
			"scheduled action %s would leave minSize %d (%s) above maxSize %d (%s)", name, lo, loFrom, hi, hiFrom)
		return
	}
	if d := a.DesiredCapacity; d != nil && (*d < lo || *d > hi) {
		hint := "set desiredCapacity within the range, or change minSize or maxSize in the same action"
		if *d < lo && a.MinSize == nil {
			hint = fmt.Sprintf("also set minSize: %d in this action, so that the group may shrink that far", *d)
		}
		c.errorAt(at("desiredCapacity"), hint,
			"scheduled desiredCapacity %d is outside %d..%d, the range in effect (%s, %s)", *d, lo, hi, loFrom, hiFrom)
	}
}

// checkMixedInstances keeps Spot out of production, keeps the
// environment's own instance type in the list, and requires every type to
// share its architecture: the launch template boots one image.
func (c *scalingChecker) checkMixedInstances() {
	mi := c.sc.MixedInstances
	if mi == nil {
		return
	}
	if c.env.Tier == "production" && mi.SpotPercentage > 0 {
		c.errorAt([]any{"mixedInstances", "spotPercentage"}, "set spotPercentage: 0 in production; use Spot in staging and dev",
			"production runs On-Demand only, but spotPercentage is %d: Spot capacity can be reclaimed at two minutes' notice", mi.SpotPercentage)
	}
	found := false
	for _, t := range mi.InstanceTypes {
		if t == c.env.InstanceType {
			found = true
		}
	}
	if !found {
		c.errorAt([]any{"mixedInstances", "instanceTypes"}, "add the environment's instanceType to the list, or change instanceType",
			"instanceTypes does not include the environment's instanceType %s", c.env.InstanceType)
	}
	arm := isGraviton(c.env.InstanceType)
	for i, t := range mi.InstanceTypes {
		if isGraviton(t) != arm {
			c.errorAt([]any{"mixedInstances", "instanceTypes", i}, "list instance types of one architecture: Graviton (arm64) or x86_64, not both",
				"instance type %s is %s but the environment's instanceType %s is %s: one image cannot boot both",
				t, archName(isGraviton(t)), c.env.InstanceType, archName(arm))
		}
	}
}

func archName(arm bool) string {
	if arm {
		return "arm64"
	}
	return "x86_64"
}

// scalingHint suggests a fix for the schema's errors on the fields of
// environments' scaling: values out of bounds, values the schema pins
// (requests are counted per minute), and thresholds whose tier default no
// longer fits. It leaves every other error, conflicts between two files
// and wrong types among them, to the general hints by returning "".
func scalingHint(e *Error, last string) string {
	path, msg := e.Path, e.Msg
	if !strings.Contains(path, ".scaling.") {
		return ""
	}
	switch {
	case strings.HasPrefix(msg, "invalid value"), strings.Contains(msg, "does not satisfy"):
	case strings.HasPrefix(msg, "conflicting values") && len(e.Also) == 0 && !strings.Contains(msg, "mismatched types"):
	case strings.HasPrefix(msg, "missing value") && last == "threshold":
	default:
		return ""
	}
	switch {
	case strings.Contains(path, ".schedule.") && last == "timeZone":
		return `a time zone is an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"`
	case strings.Contains(path, ".schedule.") && last == "recurrence":
		return `a recurrence is a cron expression of five fields: minute hour day-of-month month day-of-week, e.g. "0 20 * * 1-5"`
	case strings.Contains(path, ".schedule."):
		return "scheduled sizes are from 0 to the group's maxSize"
	case last == "desiredCapacity":
		return "desiredCapacity lies within minSize..maxSize; leave it out to start at minSize"
	case last == "instanceWarmup":
		return "instance warm-ups are 0-3600 seconds, the range of the group's DefaultInstanceWarmup"
	case last == "defaultCooldown" || last == "cooldown":
		return "cooldowns are 0-86400 seconds: Auto Scaling rejects negative ones, and phasec caps them at a day to catch milliseconds"
	case last == "threshold" && strings.Contains(path, ".stepScaling.cpu."):
		return "CPU thresholds are percentages between 0 and 100; they default to cpuTarget + 10 (out) and cpuTarget - 20 (in): set them, or set enabled: false"
	case last == "threshold":
		return "thresholds are positive, and percentages (CPU, memory) stay below 100"
	case last == "periodSeconds":
		return "alarm periods are whole minutes from 60 seconds to a day; requests per target are counted per minute (60)"
	case last == "evaluationPeriods":
		return "evaluationPeriods is 1-1440, and periodSeconds × evaluationPeriods at most a day"
	case last == "adjustment" && strings.Contains(path, ".simpleScaling."):
		return "simple scaling only adds capacity: adjustment is a positive number of instances"
	case last == "adjustmentType":
		return `adjustmentType is "ChangeInCapacity" (instances) or "PercentChangeInCapacity" (percent of the group)`
	case last == "minAdjustmentMagnitude":
		return "minAdjustmentMagnitude is a number of instances, at least 1"
	case last == "spotPercentage":
		return "spotPercentage is the share of capacity above the On-Demand base that runs on Spot, 0-100"
	case last == "onDemandBaseCapacity":
		return "onDemandBaseCapacity is at most maxSize; it defaults to minSize"
	case last == "instanceTypes" || strings.Contains(path, ".instanceTypes."):
		return `list at least two distinct instance types, the environment's instanceType among them, e.g. ["t3.small", "t3a.small"]`
	}
	return ""
}
