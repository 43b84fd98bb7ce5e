package compiler

import "strings"

// monitoringHint suggests a fix for schema violations in the monitoring
// and alerting fields; last is the final element of the error's path.
func monitoringHint(e *Error, last string) string {
	level := last == "info" || last == "warning" || last == "critical"
	switch {
	case strings.Contains(e.Path, ".sms."):
		return `an SMS number is in E.164 form: "+", the country code and the number, e.g. "+12025550123"`
	case strings.Contains(e.Path, ".monitoring.alarms.") && level && strings.Contains(e.Msg, "mismatched types float and int"):
		return "this alarm counts whole things: use a whole number, or null to switch the level off"
	case strings.Contains(e.Path, ".monitoring.alarms.") && level && strings.Contains(e.Msg, "out of bound"):
		return "thresholds are positive, and percentages at most 100; null switches a level off"
	case strings.Contains(e.Path, ".monitoring.budget.") && strings.Contains(e.Msg, "out of bound"):
		return "monthlyUsd is a positive amount in US dollars, the notification shares are percentages of it from 0 to 1000"
	case last == "instanceId" && strings.Contains(e.Path, ".database."):
		return `a DB instance identifier has lowercase letters, digits and single hyphens and starts with a letter, e.g. "ledger-production"`
	case strings.Contains(e.Path, "metrics.") && last == "statistic":
		return "a statistic is Average, Sum, Minimum, Maximum, SampleCount or a percentile such as p99"
	case strings.Contains(e.Path, "metrics.") && last == "unit":
		return `a unit is one of CloudWatch's, e.g. "Count", "Milliseconds", "Percent", "Bytes"`
	}
	return ""
}
