package compiler

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
)

// costAlarms watch what drives the bill between budget notifications,
// which only arrive a few times a day.
func costAlarms() []alarmKind {
	return []alarmKind{
		{
			key: "dataTransfer", id: "DataTransfer", what: "data-transfer", section: sectionCost,
			measures: "GB through the load balancer per period",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				// ProcessedBytes counts both directions and is what the
				// load balancer bills its capacity units on; responses
				// make up most of it for a web application.
				lb := []cloudwatch.Alarm_Dimension{loadBalancerDimension()}
				return alarm{
					description: fmt.Sprintf("More than %s GB went through the load balancer %s. "+
						"Check for large downloads, a scraper or a retry storm; data transfer and load balancer capacity units are billed by it.", num(th), window(s)),
					queries: []cloudwatch.Alarm_MetricDataQuery{
						metricQuery("bytes", nsELB, "ProcessedBytes", "Sum", s.Period, lb),
						expressionQuery("gb", "bytes / 1000000000", "GB processed"),
					},
					comparison: above, threshold: th, treatMissing: notBreaching,
				}
			},
		},
	}
}
