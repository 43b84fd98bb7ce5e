package compiler

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"

	"github.com/phasec/phasec/appmetrics"
)

// appDimensions select the application's metrics of this environment: the
// [Service, Environment] dimension set that every appmetrics record
// declares and that user data passes to the application.
func appDimensions(b *stackBuilder) []cloudwatch.Alarm_Dimension {
	return []cloudwatch.Alarm_Dimension{
		{Name: appmetrics.DimService, Value: b.svc.Name},
		{Name: appmetrics.DimEnvironment, Value: b.env.Name},
	}
}

// applicationAlarms watch the application itself: whether any instance
// passes its health check, and the latency and errors the appmetrics
// middleware records.
func applicationAlarms() []alarmKind {
	return []alarmKind{
		{
			key: "healthCheck", id: "HealthCheck", what: "health-check", section: sectionApplication,
			measures: "instances passing the health check; fires below", lowerIsWorse: true,
			build: func(b *stackBuilder, _ fleet, th float64, s AlarmSettings) alarm {
				// A target group without healthy targets still reports
				// HealthyHostCount 0; no data at all means the metric
				// pipeline broke, which is no reason for calm either.
				a := alarm{
					description: fmt.Sprintf("Fewer than %s instance(s) passed the health check (%s) %s: the service is down or nearly so. "+
						"Check the target group's health reasons, the latest release and the application log.", num(th), b.svc.App.HealthCheck.Path, window(s)),
					comparison: below, threshold: th, treatMissing: breaching,
				}
				fleets := b.fleets()
				if len(fleets) == 1 {
					a.namespace, a.metric, a.stat, a.dims = nsELB, "HealthyHostCount", "Minimum", targetGroupDimensions(fleets[0])
					return a
				}
				// Blue-green: the service is up while either colour
				// serves, and the idle colour has no targets at all.
				var sum []string
				for _, f := range fleets {
					id := "healthy" + f.colour
					a.queries = append(a.queries, metricQuery(id, nsELB, "HealthyHostCount", "Minimum", s.Period, targetGroupDimensions(f)))
					sum = append(sum, "FILL("+id+", 0)")
				}
				a.queries = append(a.queries, expressionQuery("healthy", strings.Join(sum, " + "), "healthy instances"))
				return a
			},
		},
		{
			key: "appErrorRate", id: "AppErrorRate", what: "app-error-rate", section: sectionApplication,
			measures: "requests that ended in a 5xx or a panic in the application, %",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				// ServerErrors is 0 or 1 per request, so its average is
				// the error rate.
				return alarm{
					description: fmt.Sprintf("More than %s%% of requests ended in a server error inside the application %s. "+
						"Check the server errors by route on the dashboard and the application log.", num(th), window(s)),
					queries: []cloudwatch.Alarm_MetricDataQuery{
						metricQuery("errors", appMetricsNamespace, appmetrics.MetricServerErrors, "Average", s.Period, appDimensions(b)),
						expressionQuery("rate", "100 * errors", "server errors (% of requests)"),
					},
					comparison: above, threshold: th, treatMissing: notBreaching,
				}
			},
		},
		{
			key: "appLatency", id: "AppLatency", what: "app-latency", section: sectionApplication,
			measures: "p99 of the application's own request latency, ms",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("p99 latency measured inside the application above %s ms %s. "+
						"Check the latency by route on the dashboard, the database and downstream calls.", num(th), window(s)),
					namespace: appMetricsNamespace, metric: appmetrics.MetricLatency, stat: "p99", dims: appDimensions(b),
					comparison: above, threshold: th, treatMissing: notBreaching, lowSampleCount: "ignore",
				}
			},
		},
	}
}

// expressionID is the id of a declared metric's expression among its
// inputs, which may therefore not use it.
const expressionID = "expression"

// compileCustomMetricAlarms adds the alarms of the application metrics the
// spec declares, in name order, one per severity level set.
func compileCustomMetricAlarms(b *stackBuilder) {
	metrics := b.env.Monitoring.Metrics
	for _, name := range sortedKeys(metrics) {
		m := metrics[name]
		for _, sev := range severities {
			th := m.level(sev)
			if th == nil {
				continue
			}
			a := customMetricAlarm(b, name, m, *th)
			a.id = "Custom" + name + severityTitle(sev) + "Alarm"
			a.what = "custom-" + kebab(name) + "-" + string(sev)
			a.severity = sev
			a.period, a.evaluationPeriods, a.datapointsToAlarm = m.Period, m.EvaluationPeriods, m.DatapointsToAlarm
			b.addAlarm(a)
		}
	}
}

// customMetricAlarm builds the alarm of one declared metric at one
// threshold: on the metric itself, or on its expression over the inputs.
func customMetricAlarm(b *stackBuilder, name string, m AppMetric, th float64) alarm {
	a := alarm{threshold: th, treatMissing: m.MissingData, comparison: above}
	word := "above"
	if m.AlarmWhen == "below" {
		a.comparison, word = below, "below"
	}
	what := customMetricName(name, m)
	if m.Expression != "" {
		what = m.Expression
		for _, id := range sortedKeys(m.Inputs) {
			in := m.Inputs[id]
			q := metricQuery(id, appMetricsNamespace, in.Metric, in.Statistic, m.Period, appDimensions(b))
			if in.Unit != "" {
				q.MetricStat.Unit = ptr(in.Unit)
			}
			a.queries = append(a.queries, q)
		}
		a.queries = append(a.queries, expressionQuery(expressionID, m.Expression, name))
	} else {
		what = m.Statistic + " of " + what
		a.namespace, a.metric, a.stat, a.dims, a.unit = appMetricsNamespace, customMetricName(name, m), m.Statistic, appDimensions(b), m.Unit
		if strings.HasPrefix(m.Statistic, "p") {
			a.lowSampleCount = "ignore"
		}
	}
	a.description = fmt.Sprintf("%s (%s) %s %s %s.", name, what, word, num(th), window(m.AlarmSettings))
	if m.Description != "" {
		a.description += " " + m.Description
	}
	return a
}

// customMetricName is the CloudWatch name of a declared metric: its metric
// field, or else its key.
func customMetricName(name string, m AppMetric) string {
	if m.Metric != "" {
		return m.Metric
	}
	return name
}

var kebabBoundary = regexp.MustCompile(`([a-z0-9])([A-Z])`)

// kebab turns a PascalCase key into the lowercase words of an alarm name:
// CheckoutLatency becomes checkout-latency.
func kebab(s string) string {
	return strings.ToLower(kebabBoundary.ReplaceAllString(s, "$1-$2"))
}
