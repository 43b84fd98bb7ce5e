package rules

import "slices"

const typeDetector = "AWS::GuardDuty::Detector"

var guarddutyRules = []*Rule{
	{
		ID: "PHS-GD-001", Severity: Warning,
		Title:     "GuardDuty detectors are enabled with S3 protection",
		Rationale: "S3 protection watches data-plane access to buckets, where exfiltration shows.",
		Controls:  []string{"CT.GUARDDUTY.PR.1"},
		Types:     []string{typeDetector},
		check: eachResource(typeDetector, func(t *Template, r *Resource) string {
			if !t.isTrue(r.Props["Enable"]) {
				return "Enable is not true"
			}
			if t.isTrue(get(r.Props, "DataSources", "S3Logs", "Enable")) {
				return ""
			}
			for _, f := range t.list(r.Props["Features"]) {
				name, _ := t.str(get(f, "Name"))
				status, _ := t.str(get(f, "Status"))
				if name == "S3_DATA_EVENTS" && status == "ENABLED" {
					return ""
				}
			}
			return "S3 protection (DataSources.S3Logs or the S3_DATA_EVENTS feature) is not enabled"
		}),
	},
	{
		ID: "PHS-GD-002", Severity: Warning,
		Title:     "GuardDuty findings are routed to someone",
		Rationale: "Findings nobody is told about wait in the console until the damage is done.",
		Types:     []string{typeDetector, typeEventRule},
		check: func(t *Template) []violation {
			detectors := t.ofType(typeDetector)
			if len(detectors) == 0 {
				return nil
			}
			for _, r := range t.ofType(typeEventRule) {
				if s, ok := t.str(r.Props["State"]); ok && s != "ENABLED" {
					continue
				}
				sources := t.strs(get(r.Props, "EventPattern", "source"))
				if slices.Contains(sources, "aws.guardduty") && len(t.list(r.Props["Targets"])) > 0 {
					return nil
				}
			}
			var out []violation
			for _, d := range detectors {
				out = append(out, violation{resource: d, message: "no enabled EventBridge rule with a target matches source aws.guardduty"})
			}
			return out
		},
	},
}
