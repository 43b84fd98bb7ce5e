package compiler

import (
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
)

// capital starts a sentence with s.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// detailedMonitoring reports whether the environment's instances publish
// EC2 metrics every minute rather than every five; only production pays
// for it.
func detailedMonitoring(env *Environment) bool {
	return env.Tier == "production"
}

// ec2Alarms watch the instances and the Auto Scaling group: saturation
// (CPU, memory, disk, network), broken instances, and a group that cannot
// keep its minimum.
func ec2Alarms() []alarmKind {
	return []alarmKind{
		{
			key: "inServiceBelowMin", perFleet: true, id: "InServiceBelowMin", what: "in-service-below-min", section: sectionEC2,
			measures: "instances missing below the group's minimum size",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				// The group's own minimum, not the spec's, is the floor:
				// releases and operators may change it.
				return alarm{
					description: fmt.Sprintf("%s has had at least %s instance(s) fewer in service than its minimum size %s. "+
						"Check the group's activity history for failed launches (capacity, quotas, the launch template, the image).", capital(f.label()), num(th), window(s)),
					queries: []cloudwatch.Alarm_MetricDataQuery{
						metricQuery("minsize", nsAutoScaling, "GroupMinSize", "Maximum", s.Period, fleetAsgDimension(f)),
						metricQuery("inservice", nsAutoScaling, "GroupInServiceInstances", "Minimum", s.Period, fleetAsgDimension(f)),
						expressionQuery("deficit", "minsize - inservice", "instances missing below the minimum"),
					},
					comparison: atLeast, threshold: th, treatMissing: missing,
				}
			},
		},
		{
			key: "cpu", perFleet: true, id: "Cpu", what: "cpu", section: sectionEC2, ec2: true,
			measures: "average CPU of the group, %",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("Average CPU of %s above %s%% %s although target tracking should add capacity. "+
						"Check the group's scaling activity (max size reached? launches failing?) and the application's hot paths.", f.label(), num(th), window(s)),
					namespace: nsEC2, metric: "CPUUtilization", stat: "Average", dims: fleetAsgDimension(f),
					comparison: above, threshold: th, treatMissing: missing,
				}
			},
		},
		{
			key: "memory", perFleet: true, id: "Memory", what: "memory", section: sectionEC2,
			measures: "memory used on the fullest instance, %",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("Memory use of the fullest instance of %s above %s%% %s. "+
						"Check the application's memory growth (a leak survives scaling out) and the instance type.", f.label(), num(th), window(s)),
					namespace: agentNamespace, metric: "mem_used_percent", stat: "Maximum", dims: fleetAsgDimension(f),
					comparison: above, threshold: th, treatMissing: missing,
				}
			},
		},
		{
			key: "disk", perFleet: true, id: "Disk", what: "disk", section: sectionEC2,
			measures: "root volume used on the fullest instance, %",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("The fullest root volume of %s is above %s%% used %s. "+
						"Check /var/log and temporary files; logs should go to CloudWatch, not pile up locally.", f.label(), num(th), window(s)),
					namespace: agentNamespace, metric: "disk_used_percent", stat: "Maximum", dims: fleetAsgDimension(f),
					comparison: above, threshold: th, treatMissing: missing,
				}
			},
		},
		{
			key: "statusCheck", perFleet: true, id: "StatusCheck", what: "status-check", section: sectionEC2,
			measures: "failed EC2 status checks per period (instances, at 1-minute periods)",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				// Status checks are published every minute even without
				// detailed monitoring, one datapoint per instance.
				return alarm{
					description: fmt.Sprintf("At least %s EC2 status check(s) of %s failed %s. "+
						"The group replaces impaired instances; if it keeps happening, check the instance type's health events and the image.", num(th), f.label(), window(s)),
					namespace: nsEC2, metric: "StatusCheckFailed", stat: "Sum", dims: fleetAsgDimension(f),
					comparison: atLeast, threshold: th, treatMissing: notBreaching,
				}
			},
		},
		{
			key: "networkIn", perFleet: true, id: "NetworkIn", what: "network-in", section: sectionEC2, ec2: true,
			measures: "Mbit/s received per in-service instance",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return networkAlarm(f, "NetworkIn", "received", th, s)
			},
		},
		{
			key: "networkOut", perFleet: true, id: "NetworkOut", what: "network-out", section: sectionEC2, ec2: true,
			measures: "Mbit/s sent per in-service instance",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return networkAlarm(f, "NetworkOut", "sent", th, s)
			},
		},
	}
}

// networkAlarm fires on the average throughput of one instance, in Mbit/s:
// the group's bytes in a period divided by the period and the instances in
// service, which is what an instance type's bandwidth is quoted in.
func networkAlarm(f fleet, metric, verb string, th float64, s AlarmSettings) alarm {
	expr := fmt.Sprintf("IF(instances > 0, 8 * bytes / (1000000 * %d * instances), 0)", s.Period)
	return alarm{
		description: fmt.Sprintf("Each instance of %s %s more than %s Mbit/s on average %s. "+
			"Check for a traffic surge, large responses or downloads, and the instance type's baseline bandwidth.", f.label(), verb, num(th), window(s)),
		queries: []cloudwatch.Alarm_MetricDataQuery{
			metricQuery("bytes", nsEC2, metric, "Sum", s.Period, fleetAsgDimension(f)),
			metricQuery("instances", nsAutoScaling, "GroupInServiceInstances", "Average", s.Period, fleetAsgDimension(f)),
			expressionQuery("mbits", expr, "Mbit/s "+verb+" per instance"),
		},
		comparison: above, threshold: th, treatMissing: missing,
	}
}
