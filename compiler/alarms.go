package compiler

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
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
	// queries replaces the single metric with metric math.
	queries []cloudwatch.Alarm_MetricDataQuery

	period, evaluationPeriods, datapointsToAlarm int
	comparison                                   string
	threshold                                    float64
	// treatMissing says what no data means: "notBreaching" for error
	// counts that vanish when all is well, "breaching" for heartbeats.
	treatMissing string
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
		Threshold:          ptr(a.threshold),
		TreatMissingData:   ptr(a.treatMissing),
		Tags:               b.tags(),
	}
	if len(a.queries) > 0 {
		r.Metrics = a.queries
	} else {
		r.Namespace = ptr(a.namespace)
		r.MetricName = ptr(a.metric)
		r.Dimensions = a.dims
		r.Period = ptr(a.period)
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

// compileAlarms adds the first line of defence: the alarms that mean users
// are being hurt now.
func compileAlarms(b *stackBuilder) {
	for _, f := range b.fleets() {
		b.addAlarm(alarm{
			id: "CpuCriticalAlarm" + f.idSuffix(), what: "cpu-critical" + f.nameSuffix(), severity: Critical,
			description: "Average CPU of " + f.label() + " stayed above 90% for 5 minutes although target tracking should add capacity. " +
				"Check the group's scaling activity (max size reached? launches failing?) and the application's hot paths.",
			namespace: "AWS/EC2", metric: "CPUUtilization", stat: "Average", dims: fleetAsgDimension(f),
			period: 60, evaluationPeriods: 5, datapointsToAlarm: 5,
			comparison: "GreaterThanThreshold", threshold: 90, treatMissing: "missing",
		})
		b.addAlarm(alarm{
			id: "UnhealthyTargetsAlarm" + f.idSuffix(), what: "unhealthy-targets" + f.nameSuffix(), severity: Critical,
			description: "At least one instance of " + f.label() + " failed the load balancer's health check for 3 minutes. " +
				"Check the target group's health reasons and the instance's application log.",
			namespace: "AWS/ApplicationELB", metric: "UnHealthyHostCount", stat: "Maximum", dims: targetGroupDimensions(f),
			period: 60, evaluationPeriods: 3, datapointsToAlarm: 3,
			comparison: "GreaterThanOrEqualToThreshold", threshold: 1, treatMissing: "notBreaching",
		})
	}
	lb := []cloudwatch.Alarm_Dimension{loadBalancerDimension()}
	b.addAlarm(alarm{
		id: "Target5xxRateAlarm", what: "target-5xx-rate", severity: Critical,
		description: "More than 5% of requests answered 5xx by the instances for 3 of 5 minutes. " +
			"Check the application logs and the latest release first.",
		queries: []cloudwatch.Alarm_MetricDataQuery{
			metricQuery("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", 60, lb),
			metricQuery("requests", "AWS/ApplicationELB", "RequestCount", "Sum", 60, lb),
			expressionQuery("rate", "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", "5xx responses (%)"),
		},
		evaluationPeriods: 5, datapointsToAlarm: 3,
		comparison: "GreaterThanThreshold", threshold: 5, treatMissing: "notBreaching",
	})
}
