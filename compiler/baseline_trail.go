package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudtrail"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/kms"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
)

const (
	idAuditKey            = "AuditKey"
	idTrailBucket         = "TrailBucket"
	idTrailBucketPolicy   = "TrailBucketPolicy"
	idConfigBucket        = "ConfigBucket"
	idConfigBucketPolicy  = "ConfigBucketPolicy"
	idTrailLogGroup       = "TrailLogGroup"
	idTrailLogsRole       = "TrailLogsRole"
	idTrail               = "Trail"
	configDeliveryPrefix  = "config"
	trailAccessLogsPrefix = "trail-bucket/"
)

// trailName is the trail's name, which its ARN (and so the conditions that
// tie bucket and key to this trail alone) is built from.
func trailName(b *baselineBuilder) string { return b.name("trail") }

// trailArn is the trail's ARN, known before the trail exists.
func trailArn(b *baselineBuilder) string {
	return cloudformation.Sub("arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/" + trailName(b))
}

// trailLogGroupName is the log group the trail delivers to.
func trailLogGroupName(b *baselineBuilder) string { return "/phasec/" + b.bl.Stack + "/cloudtrail" }

// trailLogStreamsArn covers the log streams CloudTrail creates in its log
// group, one per region, named <account>_CloudTrail_<region>.
func trailLogStreamsArn(b *baselineBuilder) string {
	return "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:" + trailLogGroupName(b) +
		":log-stream:${AWS::AccountId}_CloudTrail_*"
}

// compileTrail adds the account's audit trail: every region, management
// events, validated log files encrypted with the audit key in a
// write-once bucket, and a copy in CloudWatch Logs for the CIS alarms. The
// audit key and the server-access-log bucket also serve AWS Config.
func compileTrail(b *baselineBuilder) {
	compileAuditKey(b)
	days := b.bl.CloudTrail.RetentionDays
	addServerAccessLogsBucket(b, days, true, b.tags(), idTrailBucket, idConfigBucket)

	trailBucket := auditBucket(b, days, trailAccessLogsPrefix)
	// Object Lock (governance mode) keeps every log file for the retention
	// period: not even an administrator can delete it without first
	// removing the lock, which CloudTrail records.
	trailBucket.ObjectLockEnabled = ptr(true)
	trailBucket.ObjectLockConfiguration = &s3.Bucket_ObjectLockConfiguration{
		ObjectLockEnabled: ptr("Enabled"),
		Rule: &s3.Bucket_ObjectLockRule{DefaultRetention: &s3.Bucket_DefaultRetention{
			Mode: ptr("GOVERNANCE"),
			Days: ptr(days),
		}},
	}
	b.add(idTrailBucket, trailBucket)
	trailCondition := map[string]any{"aws:SourceArn": trailArn(b)}
	b.add(idTrailBucketPolicy, &s3.BucketPolicy{
		Bucket: cloudformation.Ref(idTrailBucket),
		PolicyDocument: policyDocument(
			denyInsecureTransport("DenyInsecureTransport", cloudformation.GetAtt(idTrailBucket, "Arn"), bucketObjectsArn(idTrailBucket)),
			map[string]any{
				"Sid":       "CloudTrailChecksAcl",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
				"Action":    "s3:GetBucketAcl",
				"Resource":  cloudformation.GetAtt(idTrailBucket, "Arn"),
				"Condition": map[string]any{"StringEquals": trailCondition},
			},
			map[string]any{
				"Sid":       "CloudTrailWrites",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
				"Action":    "s3:PutObject",
				"Resource":  cloudformation.Sub("${" + idTrailBucket + ".Arn}/AWSLogs/${AWS::AccountId}/*"),
				"Condition": map[string]any{"StringEquals": map[string]any{
					"s3:x-amz-acl":  "bucket-owner-full-control",
					"aws:SourceArn": trailArn(b),
				}},
			},
		),
	})

	b.add(idConfigBucket, auditBucket(b, days, "config-bucket/"))
	sourceAccount := map[string]any{"AWS:SourceAccount": cloudformation.Ref("AWS::AccountId")}
	configService := map[string]any{"Service": "config.amazonaws.com"}
	b.add(idConfigBucketPolicy, &s3.BucketPolicy{
		Bucket: cloudformation.Ref(idConfigBucket),
		PolicyDocument: policyDocument(
			denyInsecureTransport("DenyInsecureTransport", cloudformation.GetAtt(idConfigBucket, "Arn"), bucketObjectsArn(idConfigBucket)),
			map[string]any{
				"Sid":       "ConfigChecksAcl",
				"Effect":    "Allow",
				"Principal": configService,
				"Action":    "s3:GetBucketAcl",
				"Resource":  cloudformation.GetAtt(idConfigBucket, "Arn"),
				"Condition": map[string]any{"StringEquals": sourceAccount},
			},
			map[string]any{
				"Sid":       "ConfigChecksBucketExists",
				"Effect":    "Allow",
				"Principal": configService,
				"Action":    "s3:ListBucket",
				"Resource":  cloudformation.GetAtt(idConfigBucket, "Arn"),
				"Condition": map[string]any{"StringEquals": sourceAccount},
			},
			map[string]any{
				"Sid":       "ConfigDelivers",
				"Effect":    "Allow",
				"Principal": configService,
				"Action":    "s3:PutObject",
				"Resource":  cloudformation.Sub("${" + idConfigBucket + ".Arn}/" + configDeliveryPrefix + "/AWSLogs/${AWS::AccountId}/Config/*"),
				"Condition": map[string]any{"StringEquals": map[string]any{
					"s3:x-amz-acl":      "bucket-owner-full-control",
					"AWS:SourceAccount": cloudformation.Ref("AWS::AccountId"),
				}},
			},
		),
	})

	logGroup := &logs.LogGroup{
		LogGroupName:    ptr(trailLogGroupName(b)),
		RetentionInDays: ptr(b.bl.CloudTrail.LogGroupRetentionDays),
		KmsKeyId:        ptr(cloudformation.GetAtt(idAuditKey, "Arn")),
		Tags:            b.tags(),
	}
	logGroup.AWSCloudFormationDeletionPolicy, logGroup.AWSCloudFormationUpdateReplacePolicy = dataPolicies(true)
	b.add(idTrailLogGroup, logGroup)
	b.add(idTrailLogsRole, &iam.Role{
		Description: ptr("CloudTrail delivers " + trailName(b) + " to CloudWatch Logs"),
		AssumeRolePolicyDocument: policyDocument(map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}),
		Policies: []iam.Role_Policy{{
			PolicyName: "deliver-to-log-group",
			PolicyDocument: policyDocument(map[string]any{
				"Sid":      "WriteTrailLogStreams",
				"Effect":   "Allow",
				"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
				"Resource": cloudformation.Sub(trailLogStreamsArn(b)),
			}),
		}},
		Tags: b.tags(),
	})

	trail := &cloudtrail.Trail{
		TrailName:                  ptr(trailName(b)),
		S3BucketName:               cloudformation.Ref(idTrailBucket),
		IsLogging:                  true,
		IsMultiRegionTrail:         ptr(true),
		IncludeGlobalServiceEvents: ptr(true),
		EnableLogFileValidation:    ptr(true),
		KMSKeyId:                   ptr(cloudformation.GetAtt(idAuditKey, "Arn")),
		CloudWatchLogsLogGroupArn:  ptr(cloudformation.GetAtt(idTrailLogGroup, "Arn")),
		CloudWatchLogsRoleArn:      ptr(cloudformation.GetAtt(idTrailLogsRole, "Arn")),
		Tags:                       b.tags(),
	}
	// CloudTrail checks that it may write to the bucket when the trail is
	// created, so the bucket policy must exist first.
	trail.AWSCloudFormationDependsOn = []string{idTrailBucketPolicy}
	b.add(idTrail, trail)
}

// auditBucket is a private, TLS-only (by its policy), KMS-encrypted,
// versioned bucket for audit records, kept when the stack is deleted and
// expiring records after days.
func auditBucket(b *baselineBuilder, days int, logPrefix string) *s3.Bucket {
	bucket := &s3.Bucket{
		BucketEncryption: &s3.Bucket_BucketEncryption{
			ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
				ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{
					SSEAlgorithm:   "aws:kms",
					KMSMasterKeyID: ptr(cloudformation.GetAtt(idAuditKey, "Arn")),
				},
				BucketKeyEnabled: ptr(true),
			}},
		},
		PublicAccessBlockConfiguration: blockAllPublicAccess(),
		OwnershipControls:              bucketOwnerEnforced(),
		VersioningConfiguration:        &s3.Bucket_VersioningConfiguration{Status: "Enabled"},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{
			Rules: []s3.Bucket_Rule{{
				Id:                             ptr("expire-audit-records"),
				Status:                         "Enabled",
				ExpirationInDays:               ptr(days),
				NoncurrentVersionExpiration:    &s3.Bucket_NoncurrentVersionExpiration{NoncurrentDays: 1},
				AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{DaysAfterInitiation: 1},
			}},
		},
		LoggingConfiguration:      serverAccessLogging(logPrefix),
		NotificationConfiguration: eventBridgeNotifications(),
		Tags:                      b.tags(),
	}
	bucket.AWSCloudFormationDeletionPolicy, bucket.AWSCloudFormationUpdateReplacePolicy = dataPolicies(true)
	return bucket
}

// compileAuditKey adds the key that encrypts the trail's log files, its
// CloudWatch Logs copy and AWS Config's deliveries. Each service may use it
// only for its own records of this account.
func compileAuditKey(b *baselineBuilder) {
	key := &kms.Key{
		Description:         ptr("Encrypts the audit trail and AWS Config records of " + b.bl.Stack),
		EnableKeyRotation:   ptr(true),
		PendingWindowInDays: ptr(30),
		KeyPolicy: policyDocument(
			map[string]any{
				"Sid":       "AccountAdministers",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": accountRoot()},
				"Action":    "kms:*",
				"Resource":  "*",
			},
			map[string]any{
				"Sid":       "CloudTrailEncryptsLogs",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
				"Action":    "kms:GenerateDataKey*",
				"Resource":  "*",
				"Condition": map[string]any{
					"StringEquals": map[string]any{"aws:SourceArn": trailArn(b)},
					"StringLike": map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": cloudformation.Sub(
						"arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*")},
				},
			},
			map[string]any{
				"Sid":       "CloudTrailDescribesKey",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
				"Action":    "kms:DescribeKey",
				"Resource":  "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailArn(b)}},
			},
			map[string]any{
				"Sid":       "CloudWatchLogsEncrypts",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": cloudformation.Sub("logs.${AWS::Region}.amazonaws.com")},
				"Action":    []any{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
				"Resource":  "*",
				"Condition": map[string]any{"ArnLike": map[string]any{"kms:EncryptionContext:aws:logs:arn": cloudformation.Sub(
					"arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:" + trailLogGroupName(b))}},
			},
			map[string]any{
				"Sid":       "ConfigEncryptsDeliveries",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "config.amazonaws.com"},
				"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey"},
				"Resource":  "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceAccount": cloudformation.Ref("AWS::AccountId")}},
			},
			denyGrantsExceptForAWSServices(),
		),
		Tags: b.tags(),
	}
	// The trail's bucket and log group are retained: so is the key
	// without which their records cannot be read.
	key.AWSCloudFormationDeletionPolicy, key.AWSCloudFormationUpdateReplacePolicy = dataPolicies(true)
	b.add(idAuditKey, key)

}
