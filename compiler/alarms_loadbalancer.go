package compiler

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
)

// loadBalancerAlarms watch what users see at the load balancer: errors,
// latency, capacity and whether traffic arrives at all.
func loadBalancerAlarms() []alarmKind {
	lb := func() []cloudwatch.Alarm_Dimension { return []cloudwatch.Alarm_Dimension{loadBalancerDimension()} }
	return []alarmKind{
		{
			key: "http5xxRate", id: "Http5xxRate", what: "5xx-rate", section: sectionLoadBalancer,
			measures: "5xx responses (load balancer and instances), % of requests",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				// Requests the load balancer answers with 503 because no
				// target is healthy never reach RequestCount, so its own
				// 5xx count joins the denominator: an outage reads 100%,
				// not "no data".
				return alarm{
					description: fmt.Sprintf("More than %s%% of requests were answered with a 5xx %s. "+
						"Check the application logs and the latest release first; 502, 503 and 504 from the load balancer itself mean no healthy or reachable instance.", num(th), window(s)),
					queries: []cloudwatch.Alarm_MetricDataQuery{
						metricQuery("target", nsELB, "HTTPCode_Target_5XX_Count", "Sum", s.Period, lb()),
						metricQuery("elb", nsELB, "HTTPCode_ELB_5XX_Count", "Sum", s.Period, lb()),
						metricQuery("requests", nsELB, "RequestCount", "Sum", s.Period, lb()),
						expressionQuery("rate", "IF(FILL(requests, 0) + FILL(elb, 0) > 0, 100 * (FILL(target, 0) + FILL(elb, 0)) / (FILL(requests, 0) + FILL(elb, 0)), 0)", "5xx responses (% of requests)"),
					},
					comparison: above, threshold: th, treatMissing: notBreaching,
				}
			},
		},
		{
			key: "latencyP99", id: "LatencyP99", what: "latency-p99", section: sectionLoadBalancer,
			measures: "p99 target response time, ms",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return latencyAlarm("p99", th, s)
			},
		},
		{
			key: "latencyP95", id: "LatencyP95", what: "latency-p95", section: sectionLoadBalancer,
			measures: "p95 target response time, ms",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return latencyAlarm("p95", th, s)
			},
		},
		{
			key: "unhealthyTargets", perFleet: true, id: "UnhealthyTargets", what: "unhealthy-targets", section: sectionLoadBalancer,
			measures: "instances failing the health check",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("At least %s instance(s) of %s failed the load balancer's health check (%s) %s. "+
						"Check the target group's health reasons and the instances' application log; the group replaces instances that stay unhealthy.", num(th), f.label(), b.svc.App.HealthCheck.Path, window(s)),
					namespace: nsELB, metric: "UnHealthyHostCount", stat: "Maximum", dims: targetGroupDimensions(f),
					comparison: atLeast, threshold: th, treatMissing: notBreaching,
				}
			},
		},
		{
			key: "http4xxRate", id: "Http4xxRate", what: "4xx-rate", section: sectionLoadBalancer,
			measures: "4xx responses of the instances, % of requests",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("More than %s%% of requests were answered with a 4xx by the instances %s. "+
						"Check for a client or release that calls routes that no longer exist, expired credentials, or a scanner (the web ACL's sampled requests).", num(th), window(s)),
					queries: []cloudwatch.Alarm_MetricDataQuery{
						metricQuery("target", nsELB, "HTTPCode_Target_4XX_Count", "Sum", s.Period, lb()),
						metricQuery("requests", nsELB, "RequestCount", "Sum", s.Period, lb()),
						expressionQuery("rate", "IF(requests > 0, 100 * FILL(target, 0) / requests, 0)", "4xx responses (% of requests)"),
					},
					comparison: above, threshold: th, treatMissing: notBreaching,
				}
			},
		},
		{
			key: "rejectedConnections", id: "RejectedConnections", what: "rejected-connections", section: sectionLoadBalancer,
			measures: "connections rejected per period",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("The load balancer rejected at least %s connection(s) %s because it reached its connection limit. "+
						"Check for a traffic spike or slow responses holding connections open.", num(th), window(s)),
					namespace: nsELB, metric: "RejectedConnectionCount", stat: "Sum", dims: lb(),
					comparison: atLeast, threshold: th, treatMissing: notBreaching,
				}
			},
		},
		{
			key: "targetConnectionErrors", id: "TargetConnectionErrors", what: "target-connection-errors", section: sectionLoadBalancer,
			measures: "failed connections to instances per period",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("At least %s connection(s) from the load balancer to the instances failed %s. "+
						"Check that the application listens on port %d, the instance security group, and whether instances are crashing.", num(th), window(s), b.svc.App.Port),
					namespace: nsELB, metric: "TargetConnectionErrorCount", stat: "Sum", dims: lb(),
					comparison: atLeast, threshold: th, treatMissing: notBreaching,
				}
			},
		},
		{
			key: "requestsLow", id: "RequestsLow", what: "requests-low", section: sectionLoadBalancer,
			measures: "requests per period; fires below", lowerIsWorse: true,
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				// A load balancer without requests publishes no
				// RequestCount at all, so no data is the breach.
				return alarm{
					description: fmt.Sprintf("Fewer than %s request(s) per %s reached the service %s. "+
						"Traffic is not arriving: check DNS, the load balancer's listeners and the web ACL.", num(th), duration(s.Period), window(s)),
					namespace: nsELB, metric: "RequestCount", stat: "Sum", dims: lb(),
					comparison: below, threshold: th, treatMissing: breaching,
				}
			},
		},
		{
			key: "requestsAnomaly", id: "RequestsAnomaly", what: "requests-anomaly", section: sectionLoadBalancer,
			measures: "width of the expected band, in standard deviations",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				requests := metricQuery("requests", nsELB, "RequestCount", "Sum", s.Period, lb())
				requests.ReturnData = ptr(true)
				band := expressionQuery("band", fmt.Sprintf("ANOMALY_DETECTION_BAND(requests, %s)", num(th)), "expected requests")
				return alarm{
					description: fmt.Sprintf("Requests left the band of %s standard deviations that CloudWatch expects from their history %s. "+
						"A drop points at clients or DNS, a surge at a campaign, a retry storm or a scraper.", num(th), window(s)),
					queries:           []cloudwatch.Alarm_MetricDataQuery{requests, band},
					thresholdMetricID: "band",
					comparison:        outsideBand, treatMissing: missing,
				}
			},
		},
	}
}

// latencyAlarm fires when a percentile of the instances' response time, as
// the load balancer measures it in seconds, exceeds th milliseconds.
func latencyAlarm(percentile string, th float64, s AlarmSettings) alarm {
	return alarm{
		description: fmt.Sprintf("%s response time of the instances above %s ms %s. "+
			"Check the slowest routes on the dashboard (application latency by route), the database and downstream calls.", percentile, num(th), window(s)),
		namespace: nsELB, metric: "TargetResponseTime", stat: percentile, dims: []cloudwatch.Alarm_Dimension{loadBalancerDimension()},
		comparison: above, threshold: th / 1000, treatMissing: notBreaching, lowSampleCount: "ignore",
	}
}
