package rules

import (
	"fmt"
	"strings"
)

const (
	typeLogGroup     = "AWS::Logs::LogGroup"
	typeAlarm        = "AWS::CloudWatch::Alarm"
	typeMetricFilter = "AWS::Logs::MetricFilter"
)

var logsRules = []*Rule{
	{
		ID: "PHS-LOGS-001", Severity: Warning,
		Title:     "Log groups keep their logs for at least a year",
		Rationale: "Investigations and audits look back months; a year is the usual minimum for evidence.",
		Controls:  []string{"CT.CLOUDWATCH.PR.2"},
		Types:     []string{typeLogGroup},
		check: eachResource(typeLogGroup, func(t *Template, r *Resource) string {
			v, ok := r.Props["RetentionInDays"]
			if !ok {
				return ""
			}
			if n, isNum := t.number(v); !isNum || n < 365 {
				return fmt.Sprintf("RetentionInDays is %s, below 365", flatten(v))
			}
			return ""
		}),
	},
	{
		ID: "PHS-LOGS-002", Severity: Error,
		Title:     "Log groups are encrypted with a KMS key",
		Rationale: "Logs carry request details and identifiers; a customer-managed key controls and records who reads them.",
		Controls:  []string{"CT.CLOUDWATCH.PR.3"},
		Types:     []string{typeLogGroup},
		check: eachResource(typeLogGroup, func(t *Template, r *Resource) string {
			k := r.Props["KmsKeyId"]
			if s, ok := t.str(k); ok && strings.TrimSpace(s) != "" || t.refersTo(k, typeKMSKey) {
				return ""
			}
			return "has no KmsKeyId"
		}),
	},
	{
		ID: "PHS-LOGS-003", Severity: Warning,
		Title:     "Log groups set a retention period",
		Rationale: "Without one, logs are kept, and billed, forever.",
		Types:     []string{typeLogGroup},
		check: eachResource(typeLogGroup, func(t *Template, r *Resource) string {
			if r.Props["RetentionInDays"] == nil {
				return "has no RetentionInDays"
			}
			return ""
		}),
	},
}

var cloudwatchRules = []*Rule{
	{
		ID: "PHS-CW-001", Severity: Warning,
		Title:     "Alarms have their actions enabled and notify someone",
		Rationale: "An alarm that tells no one is a graph, not an alarm.",
		Controls:  []string{"CT.CLOUDWATCH.PR.1", "CT.CLOUDWATCH.PR.4"},
		Types:     []string{typeAlarm},
		check: eachResource(typeAlarm, func(t *Template, r *Resource) string {
			if t.isFalse(r.Props["ActionsEnabled"]) {
				return "ActionsEnabled is false"
			}
			if len(t.list(r.Props["AlarmActions"])) == 0 {
				return "has no AlarmActions"
			}
			return ""
		}),
	},
}
