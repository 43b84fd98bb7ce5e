package rules

import "strings"

const typeTrail = "AWS::CloudTrail::Trail"

var trailRules = []*Rule{
	{
		ID: "PHS-TRAIL-001", Severity: Error,
		Title:     "Trails record every region and global services",
		Rationale: "An attacker works in the region nobody watches; a multi-region trail leaves none unwatched.",
		Controls:  []string{"CIS 1.4 3.1"},
		Types:     []string{typeTrail},
		check: eachResource(typeTrail, func(t *Template, r *Resource) string {
			if !t.isTrue(r.Props["IsMultiRegionTrail"]) {
				return "IsMultiRegionTrail is not true"
			}
			if t.isFalse(r.Props["IncludeGlobalServiceEvents"]) {
				return "IncludeGlobalServiceEvents is false"
			}
			return ""
		}),
	},
	{
		ID: "PHS-TRAIL-002", Severity: Error,
		Title:     "Trails validate their log files",
		Rationale: "Digest files prove that no log file was changed or deleted after CloudTrail delivered it.",
		Controls:  []string{"CT.CLOUDTRAIL.PR.2", "CIS 1.4 3.2"},
		Types:     []string{typeTrail},
		check: eachResource(typeTrail, func(t *Template, r *Resource) string {
			if !t.isTrue(r.Props["EnableLogFileValidation"]) {
				return "EnableLogFileValidation is not true"
			}
			return ""
		}),
	},
	{
		ID: "PHS-TRAIL-003", Severity: Error,
		Title:     "Trails encrypt their logs with a KMS key",
		Rationale: "A customer-managed key adds a second permission, and a record, to every read of the audit log.",
		Controls:  []string{"CT.CLOUDTRAIL.PR.1", "CIS 1.4 3.7"},
		Types:     []string{typeTrail},
		check: eachResource(typeTrail, func(t *Template, r *Resource) string {
			k := r.Props["KMSKeyId"]
			if s, ok := t.str(k); ok && strings.TrimSpace(s) != "" || t.refersTo(k, typeKMSKey) || t.refersTo(k, "AWS::KMS::Alias") {
				return ""
			}
			return "has no KMSKeyId"
		}),
	},
	{
		ID: "PHS-TRAIL-004", Severity: Error,
		Title:     "Trails deliver to CloudWatch Logs",
		Rationale: "Metric filters and alarms on the trail turn audit records into alerts within minutes.",
		Controls:  []string{"CT.CLOUDTRAIL.PR.3", "CIS 1.4 3.4"},
		Types:     []string{typeTrail},
		check: eachResource(typeTrail, func(t *Template, r *Resource) string {
			lg, role := r.Props["CloudWatchLogsLogGroupArn"], r.Props["CloudWatchLogsRoleArn"]
			if !nonEmptyOrRef(t, lg, typeLogGroup) {
				return "has no CloudWatchLogsLogGroupArn"
			}
			if !nonEmptyOrRef(t, role, typeRole) {
				return "has no CloudWatchLogsRoleArn"
			}
			return ""
		}),
	},
}

// nonEmptyOrRef reports whether v is a non-empty string, or refers to a
// resource of type typ in the template.
func nonEmptyOrRef(t *Template, v any, typ string) bool {
	if s, ok := t.str(v); ok {
		return strings.TrimSpace(s) != ""
	}
	return t.refersTo(v, typ)
}
