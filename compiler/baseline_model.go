package compiler

// Baseline is an account's security stack, declared once per account and
// region: audit trail, CIS alarms, GuardDuty and AWS Config, each routed to
// the baseline's own alert tiers.
type Baseline struct {
	Name       string             `json:"name"`
	Stack      string             `json:"stack"`
	AccountID  string             `json:"accountId"`
	Region     string             `json:"region"`
	Alerts     Alerts             `json:"alerts"`
	CloudTrail BaselineCloudTrail `json:"cloudTrail"`
	GuardDuty  BaselineGuardDuty  `json:"guardDuty"`
	Config     BaselineConfig     `json:"config"`
	Security   ServiceSecurity    `json:"security"`
}

// BaselineCloudTrail sets how long the audit trail is kept.
type BaselineCloudTrail struct {
	RetentionDays         int `json:"retentionDays"`
	LogGroupRetentionDays int `json:"logGroupRetentionDays"`
}

// BaselineGuardDuty says whether the stack owns the region's detector.
type BaselineGuardDuty struct {
	CreateDetector             bool   `json:"createDetector"`
	FindingPublishingFrequency string `json:"findingPublishingFrequency"`
}

// BaselineConfig says which parts of AWS Config the stack owns.
type BaselineConfig struct {
	CreateRecorder          bool     `json:"createRecorder"`
	CreateServiceLinkedRole bool     `json:"createServiceLinkedRole"`
	IncludeGlobalResources  bool     `json:"includeGlobalResources"`
	RequiredTags            []string `json:"requiredTags"`
}
