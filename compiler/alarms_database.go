package compiler

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
)

const gib = 1 << 30

// databaseAlarms watch the existing RDS instance a spec names under
// monitoring.database; without one they are not compiled.
func databaseAlarms() []alarmKind {
	hasDB := func(b *stackBuilder) bool { return b.env.Monitoring.Database != nil }
	return []alarmKind{
		{
			key: "dbFreeStorage", id: "DbFreeStorage", what: "db-free-storage", section: sectionDatabase, when: hasDB,
			measures: "free storage, GiB; fires below", lowerIsWorse: true,
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("Database %s has less than %s GiB of free storage %s. "+
						"A full volume stops writes: enable storage autoscaling or grow the volume, and check for runaway tables or logs.", b.env.Monitoring.Database.InstanceID, num(th), window(s)),
					namespace: nsRDS, metric: "FreeStorageSpace", stat: "Minimum", dims: dbDimensions(b),
					comparison: below, threshold: th * gib, treatMissing: missing,
				}
			},
		},
		{
			key: "dbConnections", id: "DbConnections", what: "db-connections", section: sectionDatabase, when: hasDB,
			measures: "connections, % of database.maxConnections",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				db := b.env.Monitoring.Database
				return alarm{
					description: fmt.Sprintf("Database %s has more than %s%% of its %d connections in use %s. "+
						"Check the application's connection pool size times the instances in service, and for leaked connections.", db.InstanceID, num(th), db.MaxConnections, window(s)),
					namespace: nsRDS, metric: "DatabaseConnections", stat: "Maximum", dims: dbDimensions(b),
					comparison: above, threshold: th / 100 * float64(db.MaxConnections), treatMissing: missing,
				}
			},
		},
		{
			key: "dbCpu", id: "DbCpu", what: "db-cpu", section: sectionDatabase, when: hasDB,
			measures: "database CPU, %",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return alarm{
					description: fmt.Sprintf("Database %s CPU above %s%% %s. "+
						"Check the top SQL in Performance Insights and missing indexes before resizing.", b.env.Monitoring.Database.InstanceID, num(th), window(s)),
					namespace: nsRDS, metric: "CPUUtilization", stat: "Average", dims: dbDimensions(b),
					comparison: above, threshold: th, treatMissing: missing,
				}
			},
		},
		{
			key: "dbReadLatency", id: "DbReadLatency", what: "db-read-latency", section: sectionDatabase, when: hasDB,
			measures: "average read latency, ms",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return dbLatencyAlarm(b, "ReadLatency", "read", th, s)
			},
		},
		{
			key: "dbWriteLatency", id: "DbWriteLatency", what: "db-write-latency", section: sectionDatabase, when: hasDB,
			measures: "average write latency, ms",
			build: func(b *stackBuilder, f fleet, th float64, s AlarmSettings) alarm {
				return dbLatencyAlarm(b, "WriteLatency", "write", th, s)
			},
		},
	}
}

// dbDimensions select the metrics of the spec's DB instance.
func dbDimensions(b *stackBuilder) []cloudwatch.Alarm_Dimension {
	return []cloudwatch.Alarm_Dimension{{Name: "DBInstanceIdentifier", Value: b.env.Monitoring.Database.InstanceID}}
}

// dbLatencyAlarm fires when the average disk I/O latency, which RDS
// reports in seconds, exceeds th milliseconds.
func dbLatencyAlarm(b *stackBuilder, metric, verb string, th float64, s AlarmSettings) alarm {
	return alarm{
		description: fmt.Sprintf("Database %s %s latency above %s ms %s. "+
			"Check the volume's IOPS and throughput limits (burst balance) and the queries behind the I/O.", b.env.Monitoring.Database.InstanceID, verb, num(th), window(s)),
		namespace: nsRDS, metric: metric, stat: "Average", dims: dbDimensions(b),
		comparison: above, threshold: th / 1000, treatMissing: missing,
	}
}
