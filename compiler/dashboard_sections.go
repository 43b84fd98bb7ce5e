package compiler

import (
	"fmt"
	"strings"

	"github.com/phasec/phasec/appmetrics"
)

// loadBalancerWidgets graph what users see: requests, latency percentiles,
// errors, target health and connections.
func loadBalancerWidgets(b *stackBuilder, l *dashboardLayout) {
	requests := graph{title: "Requests", stat: "Sum", period: 300, unit: "requests / 5 min",
		metrics: [][]any{metricRow(nsELB, "RequestCount", lbDims(), map[string]any{"id": "requests", "label": "requests"})}}
	if band := b.env.Monitoring.Alarms["requestsAnomaly"]; band.Info != nil || band.Warning != nil || band.Critical != nil {
		width := band.Info
		if width == nil {
			width = band.Warning
		}
		if width == nil {
			width = band.Critical
		}
		requests.metrics = append(requests.metrics,
			expressionRow("band", fmt.Sprintf("ANOMALY_DETECTION_BAND(requests, %s)", num(*width)), "expected"))
	}
	l.place(requests.widget())

	latency := graph{title: "Target response time", stat: "p99", period: 60, unit: "seconds"}
	for _, p := range []string{"p50", "p95", "p99"} {
		latency.metrics = append(latency.metrics, metricRow(nsELB, "TargetResponseTime", lbDims(), map[string]any{"stat": p, "label": p}))
	}
	latency.annotations = append(alarmLines(b, "latencyP95", 0.001), alarmLines(b, "latencyP99", 0.001)...)
	l.place(latency.widget())

	l.place(graph{title: "5xx responses (% of requests)", stat: "Sum", period: 60, unit: "%",
		metrics: [][]any{
			metricRow(nsELB, "HTTPCode_Target_5XX_Count", lbDims(), map[string]any{"id": "target", "visible": false}),
			metricRow(nsELB, "HTTPCode_ELB_5XX_Count", lbDims(), map[string]any{"id": "elb", "visible": false}),
			metricRow(nsELB, "RequestCount", lbDims(), map[string]any{"id": "requests", "visible": false}),
			expressionRow("rate", "IF(FILL(requests, 0) + FILL(elb, 0) > 0, 100 * (FILL(target, 0) + FILL(elb, 0)) / (FILL(requests, 0) + FILL(elb, 0)), 0)", "5xx rate"),
		},
		annotations: alarmLines(b, "http5xxRate", 1),
	}.widget())

	l.place(graph{title: "Responses by class", stat: "Sum", period: 60, unit: "responses / min",
		metrics: [][]any{
			metricRow(nsELB, "HTTPCode_Target_4XX_Count", lbDims(), map[string]any{"label": "4xx from instances"}),
			metricRow(nsELB, "HTTPCode_Target_5XX_Count", lbDims(), map[string]any{"label": "5xx from instances"}),
			metricRow(nsELB, "HTTPCode_ELB_4XX_Count", lbDims(), map[string]any{"label": "4xx from the load balancer"}),
			metricRow(nsELB, "HTTPCode_ELB_5XX_Count", lbDims(), map[string]any{"label": "5xx from the load balancer"}),
		},
	}.widget())

	targets := graph{title: "Targets", stat: "Minimum", period: 60, unit: "instances",
		annotations: append(alarmLines(b, "healthCheck", 1), alarmLines(b, "unhealthyTargets", 1)...)}
	for _, f := range b.fleets() {
		targets.metrics = append(targets.metrics,
			metricRow(nsELB, "HealthyHostCount", tgDims(f), map[string]any{"label": fleetLabel(f, "healthy"), "stat": "Minimum"}),
			metricRow(nsELB, "UnHealthyHostCount", tgDims(f), map[string]any{"label": fleetLabel(f, "unhealthy"), "stat": "Maximum"}))
	}
	l.place(targets.widget())

	l.place(graph{title: "Connections", stat: "Sum", period: 300, unit: "connections / 5 min",
		metrics: [][]any{
			metricRow(nsELB, "RejectedConnectionCount", lbDims(), map[string]any{"label": "rejected (connection limit)"}),
			metricRow(nsELB, "TargetConnectionErrorCount", lbDims(), map[string]any{"label": "failed to instances"}),
		},
	}.widget())
}

// autoScalingWidgets graph each group's size through its group metrics
// and show the alarms that drive the scaling policies.
func autoScalingWidgets(b *stackBuilder, l *dashboardLayout) {
	deficit := graph{title: "In service below minimum", stat: "Minimum", period: 60, unit: "instances",
		annotations: alarmLines(b, "inServiceBelowMin", 1)}
	for _, f := range b.fleets() {
		size := graph{title: capital(fleetLabel(f, "group size")), stat: "Average", period: 60, unit: "instances"}
		for _, m := range []struct{ metric, label string }{
			{"GroupDesiredCapacity", "desired"},
			{"GroupInServiceInstances", "in service"},
			{"GroupPendingInstances", "pending"},
			{"GroupTerminatingInstances", "terminating"},
			{"GroupMinSize", "min"},
			{"GroupMaxSize", "max"},
		} {
			size.metrics = append(size.metrics, metricRow(nsAutoScaling, m.metric, asgDims(f), map[string]any{"label": m.label}))
		}
		l.place(size.widget())
		deficit.metrics = append(deficit.metrics,
			metricRow(nsAutoScaling, "GroupMinSize", asgDims(f), map[string]any{"id": "minsize" + f.colour, "stat": "Maximum", "visible": false}),
			metricRow(nsAutoScaling, "GroupInServiceInstances", asgDims(f), map[string]any{"id": "inservice" + f.colour, "visible": false}),
			expressionRow("deficit"+f.colour, "minsize"+f.colour+" - inservice"+f.colour, fleetLabel(f, "instances missing")))
	}
	l.place(deficit.widget())

	if ids := scalingAlarmIDs(b); len(ids) > 0 {
		l.place(alarmWidget(fmt.Sprintf("Scaling policy alarms (%d)", len(ids)), ids, graphWidth, graphHeight))
	}
	l.place(textWidget("Target-tracking policies create their own alarms (TargetTracking-<group>-AlarmHigh and -AlarmLow), "+
		"which Auto Scaling manages outside this stack: find them in the CloudWatch console.", graphWidth, 2))
}

// ec2Widgets graph the instances' saturation, each group on its own
// lines: CPU, memory, disk, network and status checks.
func ec2Widgets(b *stackBuilder, l *dashboardLayout) {
	period := 300
	if detailedMonitoring(b.env) {
		period = 60
	}
	cpu := graph{title: "CPU", stat: "Average", period: period, unit: "%", annotations: alarmLines(b, "cpu", 1)}
	memory := graph{title: "Memory used", stat: "Maximum", period: 60, unit: "%", annotations: alarmLines(b, "memory", 1)}
	disk := graph{title: "Root volume used", stat: "Maximum", period: 300, unit: "%", annotations: alarmLines(b, "disk", 1)}
	network := graph{title: "Network per instance", stat: "Sum", period: 300, unit: "Mbit/s",
		annotations: append(alarmLines(b, "networkIn", 1), alarmLines(b, "networkOut", 1)...)}
	status := graph{title: "Failed status checks", stat: "Sum", period: 60, unit: "instances", annotations: alarmLines(b, "statusCheck", 1)}
	for _, f := range b.fleets() {
		cpu.metrics = append(cpu.metrics,
			metricRow(nsEC2, "CPUUtilization", asgDims(f), map[string]any{"label": fleetLabel(f, "average")}),
			metricRow(nsEC2, "CPUUtilization", asgDims(f), map[string]any{"label": fleetLabel(f, "busiest instance"), "stat": "Maximum"}))
		memory.metrics = append(memory.metrics,
			metricRow(agentNamespace, "mem_used_percent", asgDims(f), map[string]any{"label": fleetLabel(f, "fullest instance")}),
			metricRow(agentNamespace, "mem_used_percent", asgDims(f), map[string]any{"label": fleetLabel(f, "average"), "stat": "Average"}))
		disk.metrics = append(disk.metrics,
			metricRow(agentNamespace, "disk_used_percent", asgDims(f), map[string]any{"label": fleetLabel(f, "fullest instance")}))
		instances := "instances" + f.colour
		network.metrics = append(network.metrics,
			metricRow(nsAutoScaling, "GroupInServiceInstances", asgDims(f), map[string]any{"id": instances, "stat": "Average", "visible": false}))
		for _, m := range []struct{ id, metric, label string }{{"in", "NetworkIn", "received"}, {"out", "NetworkOut", "sent"}} {
			id := m.id + f.colour
			network.metrics = append(network.metrics,
				metricRow(nsEC2, m.metric, asgDims(f), map[string]any{"id": id, "visible": false}),
				expressionRow(id+"mbits", fmt.Sprintf("IF(%s > 0, 8 * %s / (1000000 * 300 * %s), 0)", instances, id, instances), fleetLabel(f, m.label)))
		}
		status.metrics = append(status.metrics,
			metricRow(nsEC2, "StatusCheckFailed", asgDims(f), map[string]any{"label": fleetLabel(f, "failed")}))
	}
	for _, g := range []graph{cpu, memory, disk, network, status} {
		l.place(g.widget())
	}
}

// applicationWidgets graph what the appmetrics middleware records, overall
// and by route, and every metric the spec declares.
func applicationWidgets(b *stackBuilder, l *dashboardLayout) {
	dims := appDims(b)
	l.place(graph{title: "Application requests", stat: "Sum", period: 60, unit: "requests / min",
		metrics: [][]any{
			metricRow(appMetricsNamespace, appmetrics.MetricRequestCount, dims, map[string]any{"label": "requests"}),
			metricRow(appMetricsNamespace, appmetrics.MetricServerErrors, dims, map[string]any{"label": "server errors"}),
			metricRow(appMetricsNamespace, appmetrics.MetricClientErrors, dims, map[string]any{"label": "client errors"}),
		},
	}.widget())
	l.place(graph{title: "Application latency", stat: "p99", period: 60, unit: "ms",
		metrics: [][]any{
			metricRow(appMetricsNamespace, appmetrics.MetricLatency, dims, map[string]any{"stat": "p50", "label": "p50"}),
			metricRow(appMetricsNamespace, appmetrics.MetricLatency, dims, map[string]any{"stat": "p99", "label": "p99"}),
		},
		annotations: alarmLines(b, "appLatency", 1),
	}.widget())
	l.place(graph{title: "Application server errors (% of requests)", stat: "Average", period: 60, unit: "%",
		metrics: [][]any{
			metricRow(appMetricsNamespace, appmetrics.MetricServerErrors, dims, map[string]any{"id": "errors", "visible": false}),
			expressionRow("rate", "100 * errors", "server errors"),
		},
		annotations: alarmLines(b, "appErrorRate", 1),
	}.widget())

	// The routes are only known at run time; SEARCH finds each one's
	// metric of the [Service, Environment, Route] dimension set.
	search := func(metric, stat string) string {
		return fmt.Sprintf(`SEARCH('{%s,%s,%s,%s} MetricName="%s" %s="%s" %s="%s"', '%s', 60)`,
			appMetricsNamespace, appmetrics.DimService, appmetrics.DimEnvironment, appmetrics.DimRoute, metric,
			appmetrics.DimService, b.svc.Name, appmetrics.DimEnvironment, b.env.Name, stat)
	}
	l.place(graph{title: "Latency p99 by route", stat: "p99", period: 60, unit: "ms",
		metrics: [][]any{expressionRow("routes", search(appmetrics.MetricLatency, "p99"), "")},
	}.widget())
	l.place(graph{title: "Server errors by route", stat: "Sum", period: 60, unit: "errors / min",
		metrics: [][]any{expressionRow("routes", search(appmetrics.MetricServerErrors, "Sum"), "")},
	}.widget())

	metrics := b.env.Monitoring.Metrics
	for _, name := range sortedKeys(metrics) {
		l.place(customMetricGraph(b, name, metrics[name]).widget())
	}
}

// customMetricGraph graphs one declared metric, or its expression over its
// inputs, with its thresholds.
func customMetricGraph(b *stackBuilder, name string, m AppMetric) graph {
	g := graph{title: name, stat: m.Statistic, period: m.Period, unit: m.Unit, annotations: thresholdLines(m.AlarmSettings, 1)}
	if m.Expression == "" {
		g.metrics = [][]any{metricRow(appMetricsNamespace, customMetricName(name, m), appDims(b), map[string]any{"label": name})}
		return g
	}
	g.unit = ""
	for _, id := range sortedKeys(m.Inputs) {
		in := m.Inputs[id]
		g.metrics = append(g.metrics, metricRow(appMetricsNamespace, in.Metric, appDims(b), map[string]any{"id": id, "stat": in.Statistic, "visible": false}))
	}
	g.metrics = append(g.metrics, expressionRow(expressionID, m.Expression, name))
	return g
}

// databaseWidgets graph the watched RDS instance.
func databaseWidgets(b *stackBuilder, l *dashboardLayout) {
	db := b.env.Monitoring.Database
	dims := []string{"DBInstanceIdentifier", db.InstanceID}
	l.place(graph{title: "Database CPU", stat: "Average", period: 60, unit: "%",
		metrics:     [][]any{metricRow(nsRDS, "CPUUtilization", dims, map[string]any{"label": "CPU"})},
		annotations: alarmLines(b, "dbCpu", 1),
	}.widget())
	l.place(graph{title: "Database free storage", stat: "Minimum", period: 300, unit: "GiB",
		metrics: [][]any{
			metricRow(nsRDS, "FreeStorageSpace", dims, map[string]any{"id": "bytes", "visible": false}),
			expressionRow("gib", fmt.Sprintf("bytes / %d", gib), "free"),
		},
		annotations: alarmLines(b, "dbFreeStorage", 1),
	}.widget())
	l.place(graph{title: fmt.Sprintf("Database connections (of %d)", db.MaxConnections), stat: "Maximum", period: 60, unit: "connections",
		metrics:     [][]any{metricRow(nsRDS, "DatabaseConnections", dims, map[string]any{"label": "connections"})},
		annotations: alarmLines(b, "dbConnections", float64(db.MaxConnections)/100),
	}.widget())
	l.place(graph{title: "Database I/O latency", stat: "Average", period: 60, unit: "ms",
		metrics: [][]any{
			metricRow(nsRDS, "ReadLatency", dims, map[string]any{"id": "read", "visible": false}),
			metricRow(nsRDS, "WriteLatency", dims, map[string]any{"id": "write", "visible": false}),
			expressionRow("readms", "1000 * read", "read"),
			expressionRow("writems", "1000 * write", "write"),
		},
		annotations: append(alarmLines(b, "dbReadLatency", 1), alarmLines(b, "dbWriteLatency", 1)...),
	}.widget())
}

// costWidgets graph the usage the bill follows and state the budget.
func costWidgets(b *stackBuilder, l *dashboardLayout) {
	const day = 86400
	hours := graph{title: "Instance hours per day", stat: "Average", period: day, unit: "instance-hours"}
	transfer := graph{title: "Data transfer per day", stat: "Sum", period: day, unit: "GB",
		annotations: alarmLines(b, "dataTransfer", float64(day)/float64(b.env.Monitoring.Alarms["dataTransfer"].Period))}
	var inService, sent []string
	for _, f := range b.fleets() {
		hours.metrics = append(hours.metrics,
			metricRow(nsAutoScaling, "GroupInServiceInstances", asgDims(f), map[string]any{"id": "inservice" + f.colour, "visible": false}))
		transfer.metrics = append(transfer.metrics,
			metricRow(nsEC2, "NetworkOut", asgDims(f), map[string]any{"id": "out" + f.colour, "visible": false}))
		inService = append(inService, "FILL(inservice"+f.colour+", 0)")
		sent = append(sent, "FILL(out"+f.colour+", 0)")
	}
	hours.metrics = append(hours.metrics,
		expressionRow("hours", "24 * ("+strings.Join(inService, " + ")+")", "instance-hours (last ${LAST})"))
	transfer.metrics = append(transfer.metrics,
		metricRow(nsELB, "ProcessedBytes", lbDims(), map[string]any{"id": "lb", "visible": false}),
		expressionRow("instancesgb", "("+strings.Join(sent, " + ")+") / 1000000000", "sent by instances (last ${LAST})"),
		expressionRow("lbgb", "lb / 1000000000", "through the load balancer (last ${LAST})"))
	l.place(hours.widget())
	l.place(transfer.widget())
	bg := b.env.Monitoring.Budget
	l.place(textWidget(fmt.Sprintf("### Monthly budget: %s USD\nAWS Budgets tells the **warning** topic at %s%% of actual spend "+
		"and when the month's forecast passes %s%%, and the **critical** topic at %s%% of actual spend. "+
		"It counts the costs tagged `%s` = `%s`, once that cost allocation tag is activated in the Billing console.",
		num(bg.MonthlyUSD), num(bg.WarningAtPercent), num(bg.ForecastWarningAtPercent), num(bg.CriticalAtPercent),
		stackNameTag, b.env.Stack), graphWidth, graphHeight))
}
