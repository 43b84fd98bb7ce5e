package rules

import (
	"strings"
)

// cisMonitor is one "log metric filter and alarm" recommendation of the CIS
// AWS Foundations Benchmark v1.4.0, section 4, recognised by event names
// that its filter pattern must contain.
type cisMonitor struct {
	id, what  string
	signature []string
}

var cisMonitors = []cisMonitor{
	{"4.1", "unauthorized API calls", []string{"UnauthorizedOperation", "AccessDenied"}},
	{"4.2", "console sign-in without MFA", []string{"ConsoleLogin", "MFAUsed"}},
	{"4.3", "root user usage", []string{"userIdentity.type", "Root"}},
	{"4.4", "IAM policy changes", []string{"PutRolePolicy", "AttachRolePolicy", "CreatePolicyVersion"}},
	{"4.5", "CloudTrail configuration changes", []string{"StopLogging", "DeleteTrail", "UpdateTrail"}},
	{"4.6", "console authentication failures", []string{"ConsoleLogin", "Failed authentication"}},
	{"4.7", "disabling or scheduled deletion of KMS keys", []string{"DisableKey", "ScheduleKeyDeletion"}},
	{"4.8", "S3 bucket policy changes", []string{"PutBucketPolicy", "DeleteBucketPolicy"}},
	{"4.9", "AWS Config configuration changes", []string{"StopConfigurationRecorder", "DeleteDeliveryChannel"}},
	{"4.10", "security group changes", []string{"AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress"}},
	{"4.11", "network ACL changes", []string{"CreateNetworkAclEntry", "ReplaceNetworkAclAssociation"}},
	{"4.12", "network gateway changes", []string{"AttachInternetGateway", "CreateCustomerGateway"}},
	{"4.13", "route table changes", []string{"ReplaceRouteTableAssociation", "DisassociateRouteTable"}},
	{"4.14", "VPC changes", []string{"ModifyVpcAttribute", "DeleteVpc"}},
}

var cisRules = []*Rule{
	{
		ID: "PHS-CIS-001", Severity: Warning,
		Title:     "A trail's log group has the CIS metric filters, each with an alarm that notifies",
		Rationale: "These filters turn root use, policy changes and tampering with the audit trail into alerts within minutes.",
		Controls:  []string{"CIS 1.4 4.1-4.14"},
		Types:     []string{typeTrail, typeMetricFilter, typeAlarm},
		check: func(t *Template) []violation {
			var out []violation
			for _, trail := range t.ofType(typeTrail) {
				lg, ok := t.refTo(trail.Props["CloudWatchLogsLogGroupArn"])
				if !ok || lg.Type != typeLogGroup {
					continue // delivered elsewhere, or not at all (PHS-TRAIL-004)
				}
				for _, m := range cisMonitors {
					if !hasMonitor(t, lg, m) {
						out = append(out, violation{
							resource: trail, detail: "CIS " + m.id,
							message: "log group " + lg.ID + " has no metric filter with a notifying alarm for " + m.what + " (CIS 4." + strings.TrimPrefix(m.id, "4.") + ")",
						})
					}
				}
			}
			return out
		},
	},
}

// hasMonitor reports whether log group lg has a metric filter matching m
// whose metric an alarm with actions watches.
func hasMonitor(t *Template, lg *Resource, m cisMonitor) bool {
	for _, f := range t.ofType(typeMetricFilter) {
		if !filterOn(t, f, lg) {
			continue
		}
		pattern, _ := t.str(f.Props["FilterPattern"])
		pattern = strings.Join(strings.Fields(pattern), " ")
		matches := true
		for _, s := range m.signature {
			if !strings.Contains(pattern, s) {
				matches = false
			}
		}
		if !matches {
			continue
		}
		for _, mt := range t.list(f.Props["MetricTransformations"]) {
			ns, _ := t.str(get(mt, "MetricNamespace"))
			name, _ := t.str(get(mt, "MetricName"))
			for _, a := range t.ofType(typeAlarm) {
				an, _ := t.str(a.Props["MetricName"])
				ans, _ := t.str(a.Props["Namespace"])
				if an == name && ans == ns && len(t.list(a.Props["AlarmActions"])) > 0 && !t.isFalse(a.Props["ActionsEnabled"]) {
					return true
				}
			}
		}
	}
	return false
}

// filterOn reports whether metric filter f reads log group lg.
func filterOn(t *Template, f, lg *Resource) bool {
	if ref, ok := t.refTo(f.Props["LogGroupName"]); ok {
		return ref.ID == lg.ID
	}
	name, ok := t.str(f.Props["LogGroupName"])
	own, hasName := t.str(lg.Props["LogGroupName"])
	return ok && hasName && name == own
}
