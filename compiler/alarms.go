package compiler

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
)

// CloudWatch namespaces the alarms and the dashboard read.
const (
	nsEC2         = "AWS/EC2"
	nsAutoScaling = "AWS/AutoScaling"
	nsELB         = "AWS/ApplicationELB"
	nsRDS         = "AWS/RDS"
)

// Comparison operators, named by what breaches.
const (
	above        = "GreaterThanThreshold"
	atLeast      = "GreaterThanOrEqualToThreshold"
	below        = "LessThanThreshold"
	outsideBand  = "LessThanLowerOrGreaterThanUpperThreshold"
	missing      = "missing"
	notBreaching = "notBreaching"
	breaching    = "breaching"
)

// alarm describes one CloudWatch alarm before it becomes a resource: what
// it watches, when it fires and whom it tells.
type alarm struct {
	// id is the logical ID; what is the alarm name's suffix after the
	// stack name.
	id, what string
	severity Severity
	// description says what fired and what to check first.
	description string

	// A single metric: namespace, metric, stat ("Average", "Sum", "p99"...)
	// and its dimensions.
	namespace, metric, stat string
	dims                    []cloudwatch.Alarm_Dimension
	// unit, when set, keeps only datapoints published with that unit.
	unit string
	// queries replaces the single metric with metric math.
	queries []cloudwatch.Alarm_MetricDataQuery
	// thresholdMetricID names the query whose band is the threshold (an
	// anomaly-detection alarm); threshold is then unused.
	thresholdMetricID string

	period, evaluationPeriods, datapointsToAlarm int
	comparison                                   string
	threshold                                    float64
	// treatMissing says what no data means: "notBreaching" for error
	// counts that vanish when all is well, "breaching" for heartbeats.
	treatMissing string
	// lowSampleCount is EvaluateLowSampleCountPercentile: "ignore" keeps a
	// percentile alarm's state when too few requests make the percentile
	// meaningless.
	lowSampleCount string
	// extraActions are alarm actions besides the severity topic, such as
	// the step-scaling policy an alarm drives.
	extraActions []string
}

// addAlarm turns a into a CloudWatch alarm named <stack>-<what> whose alarm
// and OK actions both go to the topic of its severity, and records critical
// alarms as rollback-trigger candidates.
func (b *stackBuilder) addAlarm(a alarm) {
	topic := alarmTopicFor(a.severity)
	r := &cloudwatch.Alarm{
		AlarmName:          ptr(b.name(a.what)),
		AlarmDescription:   ptr("[" + strings.ToUpper(string(a.severity)) + "] " + a.description),
		ActionsEnabled:     ptr(true),
		AlarmActions:       append([]string{topic}, a.extraActions...),
		OKActions:          []string{topic},
		ComparisonOperator: a.comparison,
		EvaluationPeriods:  a.evaluationPeriods,
		DatapointsToAlarm:  ptr(a.datapointsToAlarm),
		TreatMissingData:   ptr(a.treatMissing),
		Tags:               b.tags(),
	}
	if a.thresholdMetricID != "" {
		r.ThresholdMetricId = ptr(a.thresholdMetricID)
	} else {
		r.Threshold = ptr(a.threshold)
	}
	if a.lowSampleCount != "" {
		r.EvaluateLowSampleCountPercentile = ptr(a.lowSampleCount)
	}
	if len(a.queries) > 0 {
		r.Metrics = a.queries
	} else {
		r.Namespace = ptr(a.namespace)
		r.MetricName = ptr(a.metric)
		r.Dimensions = a.dims
		r.Period = ptr(a.period)
		if a.unit != "" {
			r.Unit = ptr(a.unit)
		}
		if strings.HasPrefix(a.stat, "p") {
			r.ExtendedStatistic = ptr(a.stat)
		} else {
			r.Statistic = ptr(a.stat)
		}
	}
	b.add(a.id, r)
	if a.severity == Critical {
		b.stack.CriticalAlarms = append(b.stack.CriticalAlarms, b.name(a.what))
	}
}

// Dimensions shared by the alarms. Those of a group or a target group take
// the fleet (see fleet.go): a blue-green stack watches each colour.
func loadBalancerDimension() cloudwatch.Alarm_Dimension {
	return cloudwatch.Alarm_Dimension{Name: "LoadBalancer", Value: cloudformation.GetAtt(idLoadBalancer, "LoadBalancerFullName")}
}

// targetGroupDimensions select a fleet's target group behind the load
// balancer, as AWS/ApplicationELB publishes target health.
func targetGroupDimensions(f fleet) []cloudwatch.Alarm_Dimension {
	return []cloudwatch.Alarm_Dimension{
		{Name: "TargetGroup", Value: cloudformation.GetAtt(f.targetGroupID, "TargetGroupFullName")},
		loadBalancerDimension(),
	}
}

// metricQuery is one metric of a metric-math alarm.
func metricQuery(id, namespace, metric, stat string, period int, dims []cloudwatch.Alarm_Dimension) cloudwatch.Alarm_MetricDataQuery {
	return cloudwatch.Alarm_MetricDataQuery{
		Id:         id,
		ReturnData: ptr(false),
		MetricStat: &cloudwatch.Alarm_MetricStat{
			Metric: &cloudwatch.Alarm_Metric{
				Namespace:  ptr(namespace),
				MetricName: ptr(metric),
				Dimensions: dims,
			},
			Period: period,
			Stat:   stat,
		},
	}
}

// expressionQuery is the metric-math expression whose value the alarm
// compares with its threshold.
func expressionQuery(id, expression, label string) cloudwatch.Alarm_MetricDataQuery {
	return cloudwatch.Alarm_MetricDataQuery{
		Id:         id,
		Expression: ptr(expression),
		Label:      ptr(label),
		ReturnData: ptr(true),
	}
}

// alarmKind is one entry of the alarm catalogue (Monitoring and alerting in README.md): a
// condition worth telling someone about, whose thresholds per severity and
// timing come from the spec's monitoring.alarms.<key>.
type alarmKind struct {
	// key is the field under monitoring.alarms; id and what are the
	// logical-ID and alarm-name stems, completed with the severity
	// (CpuCriticalAlarm, <stack>-cpu-critical).
	key, id, what string
	// section groups the kind in the documentation and the dashboard.
	section string
	// measures says what the threshold counts, with its unit.
	measures string
	// lowerIsWorse marks kinds that fire below their threshold, whose
	// levels must therefore descend from info to critical.
	lowerIsWorse bool
	// ec2 marks metrics that EC2 publishes every five minutes unless the
	// instances have detailed monitoring.
	ec2 bool
	// perFleet kinds watch one group or target group: a blue-green stack
	// gets one alarm per colour and level.
	perFleet bool
	// when limits the kind to the stacks it applies to; nil means all.
	when func(b *stackBuilder) bool
	// build makes the alarm for one threshold, on fleet f for perFleet
	// kinds. compileAlarms fills in its identity, severity and timing.
	build func(b *stackBuilder, f fleet, threshold float64, s AlarmSettings) alarm
}

// Catalogue sections, in the order the documentation lists them.
const (
	sectionLoadBalancer = "Load balancer"
	sectionApplication  = "Application"
	sectionEC2          = "EC2 instances and Auto Scaling group"
	sectionDatabase     = "Database (when monitoring.database is set)"
	sectionCost         = "Cost"
)

// alarmCatalogue lists every kind. The order is the order of the alarms in
// the template and of Stack.CriticalAlarms, whose first entries become the
// change set's rollback triggers, so the signals of a bad release (error
// rate, latency, failing health checks) come first.
func alarmCatalogue() []alarmKind {
	var all []alarmKind
	for _, part := range [][]alarmKind{loadBalancerAlarms(), applicationAlarms(), ec2Alarms(), databaseAlarms(), costAlarms()} {
		all = append(all, part...)
	}
	return all
}

// compileAlarms adds one alarm per severity level that the environment
// sets for each catalogue kind (per fleet where the kind watches a group),
// then the alarms of the declared application metrics. A fleet's colour
// ends the names, as it does for every resource made per fleet:
// CpuCriticalAlarmBlue, <stack>-cpu-critical-blue.
func compileAlarms(b *stackBuilder) {
	for _, k := range alarmCatalogue() {
		if k.when != nil && !k.when(b) {
			continue
		}
		fleets := []fleet{{}}
		if k.perFleet {
			fleets = b.fleets()
		}
		s := b.env.Monitoring.Alarms[k.key]
		for _, f := range fleets {
			for _, sev := range severities {
				th := s.level(sev)
				if th == nil {
					continue
				}
				a := k.build(b, f, *th, s)
				a.id = k.id + severityTitle(sev) + "Alarm" + f.idSuffix()
				a.what = k.what + "-" + string(sev) + f.nameSuffix()
				a.severity = sev
				a.period, a.evaluationPeriods, a.datapointsToAlarm = s.Period, s.EvaluationPeriods, s.DatapointsToAlarm
				b.addAlarm(a)
			}
		}
	}
	compileCustomMetricAlarms(b)
}

// severityTitle is a severity as it appears in logical IDs: Critical.
func severityTitle(s Severity) string {
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// num prints a threshold without trailing zeros: 0.5, 80, 1500.
func num(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// window says in words how long a breach must last: "in 3 of the last 5
// minutes", "for 2 consecutive periods of 5 minutes", "over 1 hour".
func window(s AlarmSettings) string {
	if s.EvaluationPeriods == 1 {
		return "over " + duration(s.Period)
	}
	if s.Period == 60 {
		if s.DatapointsToAlarm == s.EvaluationPeriods {
			return fmt.Sprintf("for %d consecutive minutes", s.EvaluationPeriods)
		}
		return fmt.Sprintf("in %d of the last %d minutes", s.DatapointsToAlarm, s.EvaluationPeriods)
	}
	if s.DatapointsToAlarm == s.EvaluationPeriods {
		return fmt.Sprintf("for %d consecutive periods of %s", s.EvaluationPeriods, duration(s.Period))
	}
	return fmt.Sprintf("in %d of the last %d periods of %s", s.DatapointsToAlarm, s.EvaluationPeriods, duration(s.Period))
}

// duration names a period in the largest whole unit: "30 seconds",
// "5 minutes", "1 hour".
func duration(seconds int) string {
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case seconds%3600 == 0:
		return plural(seconds/3600, "hour")
	case seconds%60 == 0:
		return plural(seconds/60, "minute")
	default:
		return plural(seconds, "second")
	}
}
