package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/kms"
)

const (
	idLogsKey = "LogsKey"
	// serverAccessLogsPrefix is where the access-log bucket's own S3 access
	// logs land in the server access log bucket.
	serverAccessLogsPrefix = "access-logs-bucket/"
)

// compileSecurity adds what hardens the stack as a whole: the key that
// encrypts its log groups, and the bucket that records every request to
// its other buckets (S3 server access logs).
func compileSecurity(b *stackBuilder) {
	compileLogsKey(b)
	addServerAccessLogsBucket(b, accessLogRetentionDays[b.env.Tier], b.env.Tier == "production", b.tags(), idAccessLogsBucket)
}

// compileLogsKey adds the customer-managed key of the stack's log groups.
// CloudWatch Logs may use it only for the stack's own log groups (its
// /phasec/<stack>/ groups and its WAF log group), by encryption context.
func compileLogsKey(b *stackBuilder) {
	logGroups := []any{
		cloudformation.Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/phasec/" + b.env.Stack + "/*"),
		cloudformation.Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:" + wafLogGroupName(b)),
	}
	key := &kms.Key{
		Description:         ptr("Encrypts the log groups of " + b.env.Stack),
		EnableKeyRotation:   ptr(true),
		PendingWindowInDays: ptr(30),
		KeyPolicy:           logsKeyPolicy(logGroups),
		Tags:                b.tags(),
	}
	key.AWSCloudFormationDeletionPolicy, key.AWSCloudFormationUpdateReplacePolicy = dataPolicies(retainsData(b.env.Tier))
	b.add(idLogsKey, key)
}

// logsKeyPolicy lets the account administer the key and CloudWatch Logs in
// this region use it for the given log groups only.
func logsKeyPolicy(logGroupArns []any) map[string]any {
	return policyDocument(
		map[string]any{
			"Sid":       "AccountAdministers",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
			"Action":    "kms:*",
			"Resource":  "*",
		},
		map[string]any{
			"Sid":       "CloudWatchLogsEncrypts",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": cloudformation.Sub("logs.${AWS::Region}.amazonaws.com")},
			"Action":    []any{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			"Resource":  "*",
			"Condition": map[string]any{"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": logGroupArns}},
		},
		denyGrantsExceptForAWSServices(),
	)
}
