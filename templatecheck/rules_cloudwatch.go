package templatecheck

import "strings"

// Cross-field rules for CloudWatch alarms and dashboards.

// anomalyOperators are only valid with an anomaly detection band (ThresholdMetricId).
var anomalyOperators = []string{"GreaterThanUpperThreshold", "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold"}

// alarmFields checks the fields that depend on each other: metric alarm versus metric math alarm,
// Statistic versus ExtendedStatistic, Threshold, DatapointsToAlarm and ReturnData.
func alarmFields(x *ruleContext) {
	p := x.props
	if dp, ok := x.num(p, "DatapointsToAlarm"); ok {
		if ep, ok := x.num(p, "EvaluationPeriods"); ok && dp > ep {
			x.emit("DatapointsToAlarm", "DatapointsToAlarm %s is greater than EvaluationPeriods %s", formatNum(dp), formatNum(ep))
		}
	}
	_, hasThresholdMetric := p["ThresholdMetricId"]
	if _, ok := p["Threshold"]; !ok && !hasThresholdMetric {
		x.emit("", "a static-threshold alarm needs Threshold (goformation drops a zero Threshold unless it is set explicitly)")
	}
	if op, ok := p["ComparisonOperator"].(string); ok && contains(anomalyOperators, op) && !hasThresholdMetric {
		x.emit("ComparisonOperator", "%s is only valid for anomaly detection alarms (with ThresholdMetricId)", op)
	}
	_, hasStat := p["Statistic"]
	_, hasExt := p["ExtendedStatistic"]
	metrics, hasMetrics := p["Metrics"]
	if hasMetrics {
		for _, k := range []string{"Dimensions", "ExtendedStatistic", "MetricName", "Namespace", "Period", "Statistic", "Unit"} {
			if _, ok := p[k]; ok {
				x.emit(k, "%s cannot be combined with Metrics (a metric math alarm)", k)
			}
		}
		list, ok := metrics.([]any)
		if !ok {
			return
		}
		returning := 0
		for _, q := range list {
			m, ok := q.(map[string]any)
			if !ok {
				return
			}
			rd, ok := m["ReturnData"]
			if !ok {
				returning++ // ReturnData defaults to true
				continue
			}
			switch b := rd.(type) {
			case bool:
				if b {
					returning++
				}
			case string:
				if strings.EqualFold(b, "true") {
					returning++
				}
			default:
				return // computed
			}
		}
		// An anomaly-detection alarm returns the metric and its band and
		// compares them through ThresholdMetricId; any other alarm
		// returns exactly one series.
		want, what := 1, "exactly one entry"
		if hasThresholdMetric {
			want, what = 2, "exactly two entries (the metric and its anomaly band)"
		}
		if returning != want && len(list) > 0 {
			x.emit("Metrics", "%s must have ReturnData true (omitted counts as true); %d do", what, returning)
		}
		return
	}
	switch {
	case hasStat && hasExt:
		x.emit("", "give Statistic or ExtendedStatistic, not both")
	case !hasStat && !hasExt:
		x.emit("", "a metric alarm needs Statistic or ExtendedStatistic")
	}
	for _, k := range []string{"MetricName", "Namespace", "Period"} {
		if _, ok := p[k]; !ok {
			x.emit("", "a metric alarm needs %s (or Metrics for metric math)", k)
		}
	}
}

// dashboardSubBody checks an Fn::Sub dashboard body: with every variable replaced by 0 it must
// still be a JSON object. Variables inside JSON strings stay strings; numeric variables written
// bare become numbers.
func dashboardSubBody(x *ruleContext) {
	fn, arg, ok := intrinsic(x.props["DashboardBody"])
	if !ok || fn != "Fn::Sub" {
		return
	}
	tmpl, ok := arg.(string)
	if list, isList := arg.([]any); isList && len(list) == 2 {
		tmpl, ok = list[0].(string)
	}
	if !ok {
		return
	}
	if msg := jsonObjectProblem(substituteSub(tmpl, "0")); msg != "" {
		x.emit("DashboardBody", "%s", msg)
	}
}
