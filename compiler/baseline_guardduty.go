package compiler

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/events"
	"github.com/awslabs/goformation/v7/cloudformation/guardduty"
)

const idGuardDutyDetector = "GuardDutyDetector"

// findingRoute sends GuardDuty findings of one severity band to one tier.
// GuardDuty scores findings from 1 to 10: high (7 and above, which includes
// critical) pages the on-call, medium (4 to 6.9) is reviewed, low (below
// 4) is recorded.
type findingRoute struct {
	id       string
	band     string
	severity Severity
	numeric  []any
}

var findingRoutes = []findingRoute{
	{id: "GuardDutyHighFindingsRule", band: "high", severity: Critical, numeric: []any{">=", 7}},
	{id: "GuardDutyMediumFindingsRule", band: "medium", severity: Warning, numeric: []any{">=", 4, "<", 7}},
	{id: "GuardDutyLowFindingsRule", band: "low", severity: Info, numeric: []any{"<", 4}},
}

// compileGuardDuty enables GuardDuty with S3 protection and malware scans of
// the EBS volumes of instances it flags, and routes its findings by
// severity through EventBridge, each rewritten into a sentence an on-call
// engineer can act on. The rules match findings whether this stack or
// another owns the region's detector.
func compileGuardDuty(b *baselineBuilder) {
	if b.bl.GuardDuty.CreateDetector {
		var tagItems []guardduty.Detector_TagItem
		for _, t := range b.tags() {
			tagItems = append(tagItems, guardduty.Detector_TagItem{Key: t.Key, Value: t.Value})
		}
		b.add(idGuardDutyDetector, &guardduty.Detector{
			Enable:                     true,
			FindingPublishingFrequency: ptr(b.bl.GuardDuty.FindingPublishingFrequency),
			DataSources: &guardduty.Detector_CFNDataSourceConfigurations{
				S3Logs: &guardduty.Detector_CFNS3LogsConfiguration{Enable: true},
				MalwareProtection: &guardduty.Detector_CFNMalwareProtectionConfiguration{
					ScanEc2InstanceWithFindings: &guardduty.Detector_CFNScanEc2InstanceWithFindingsConfiguration{EbsVolumes: ptr(true)},
				},
			},
			Tags: tagItems,
		})
	}
	for _, r := range findingRoutes {
		b.add(r.id, &events.Rule{
			Name:        ptr(b.name("guardduty-" + r.band)),
			Description: ptr("GuardDuty findings of " + r.band + " severity to the " + string(r.severity) + " topic"),
			State:       ptr("ENABLED"),
			EventPattern: map[string]any{
				"source":      []any{"aws.guardduty"},
				"detail-type": []any{"GuardDuty Finding"},
				"detail":      map[string]any{"severity": []any{map[string]any{"numeric": r.numeric}}},
			},
			Targets: []events.Rule_Target{{
				Id:  "AlertTopic",
				Arn: alarmTopicFor(r.severity),
				InputTransformer: &events.Rule_InputTransformer{
					InputPathsMap: map[string]string{
						"account":  "$.detail.accountId",
						"id":       "$.detail.id",
						"region":   "$.detail.region",
						"resource": "$.detail.resource.resourceType",
						"severity": "$.detail.severity",
						"title":    "$.detail.title",
						"type":     "$.detail.type",
					},
					InputTemplate: `"[` + strings.ToUpper(string(r.severity)) + `] GuardDuty ` + r.band +
						` severity finding (<severity>) in account <account>, <region>: <title> Type: <type>. Resource: <resource>. ` +
						`Finding: https://<region>.console.aws.amazon.com/guardduty/home?region=<region>#/findings?search=id%3D<id>"`,
				},
			}},
		})
	}
}
