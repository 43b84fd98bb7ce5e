package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
)

// resourceAdder is what both stack builders (services and baselines) offer
// the shared security helpers.
type resourceAdder interface {
	add(id string, r cloudformation.Resource)
}

const (
	idServerAccessLogsBucket       = "ServerAccessLogsBucket"
	idServerAccessLogsBucketPolicy = "ServerAccessLogsBucketPolicy"
)

// bucketObjectsArn is the ARN of every object in bucket id. It is written as
// Fn::Join of the bucket's Arn and "/*" because that is the form the
// Control Tower control for TLS-only bucket policies (CT.S3.PR.8)
// recognises in a template; an equivalent Fn::Sub fails it.
func bucketObjectsArn(id string) string {
	return cloudformation.Join("", []string{cloudformation.GetAtt(id, "Arn"), "/*"})
}

// eventBridgeNotifications sends the bucket's object events to the
// account's default EventBridge bus, where unexpected writes and deletions
// can be matched (CT.S3.PR.4). S3 events on the default bus cost nothing.
func eventBridgeNotifications() *s3.Bucket_NotificationConfiguration {
	return &s3.Bucket_NotificationConfiguration{
		EventBridgeConfiguration: &s3.Bucket_EventBridgeConfiguration{EventBridgeEnabled: true},
	}
}

// serverAccessLogging sends a bucket's S3 server access logs to the stack's
// dedicated log bucket under prefix.
func serverAccessLogging(prefix string) *s3.Bucket_LoggingConfiguration {
	return &s3.Bucket_LoggingConfiguration{
		DestinationBucketName: ptr(cloudformation.Ref(idServerAccessLogsBucket)),
		LogFilePrefix:         ptr(prefix),
	}
}

// blockAllPublicAccess is the bucket-level Block Public Access setting with
// all four switches on.
func blockAllPublicAccess() *s3.Bucket_PublicAccessBlockConfiguration {
	return &s3.Bucket_PublicAccessBlockConfiguration{
		BlockPublicAcls:       ptr(true),
		BlockPublicPolicy:     ptr(true),
		IgnorePublicAcls:      ptr(true),
		RestrictPublicBuckets: ptr(true),
	}
}

// bucketOwnerEnforced turns ACLs off: the bucket policy alone grants access.
func bucketOwnerEnforced() *s3.Bucket_OwnershipControls {
	return &s3.Bucket_OwnershipControls{
		Rules: []s3.Bucket_OwnershipControlsRule{{ObjectOwnership: ptr("BucketOwnerEnforced")}},
	}
}

// addServerAccessLogsBucket adds the bucket that receives the S3 server
// access logs of the buckets named in sources, with a policy that lets only
// the S3 logging service write, only for those buckets, and only over TLS.
// It is private, versioned and expires logs after days. Amazon S3 delivers
// server access logs only to SSE-S3 encrypted buckets without Object Lock;
// the suppressions that record this are in builtinSuppressions.
func addServerAccessLogsBucket(b resourceAdder, days int, retain bool, tagList []tags.Tag, sources ...string) {
	bucket := &s3.Bucket{
		BucketEncryption: &s3.Bucket_BucketEncryption{
			ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
				ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"},
			}},
		},
		PublicAccessBlockConfiguration: blockAllPublicAccess(),
		OwnershipControls:              bucketOwnerEnforced(),
		VersioningConfiguration:        &s3.Bucket_VersioningConfiguration{Status: "Enabled"},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{
			Rules: []s3.Bucket_Rule{{
				Id:                             ptr("expire-server-access-logs"),
				Status:                         "Enabled",
				ExpirationInDays:               ptr(days),
				NoncurrentVersionExpiration:    &s3.Bucket_NoncurrentVersionExpiration{NoncurrentDays: 7},
				AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{DaysAfterInitiation: 1},
			}},
		},
		NotificationConfiguration: eventBridgeNotifications(),
		Tags:                      tagList,
	}
	bucket.AWSCloudFormationDeletionPolicy, bucket.AWSCloudFormationUpdateReplacePolicy = dataPolicies(retain)
	b.add(idServerAccessLogsBucket, bucket)

	sourceArns := make([]any, len(sources))
	for i, s := range sources {
		sourceArns[i] = cloudformation.GetAtt(s, "Arn")
	}
	b.add(idServerAccessLogsBucketPolicy, &s3.BucketPolicy{
		Bucket: cloudformation.Ref(idServerAccessLogsBucket),
		PolicyDocument: policyDocument(
			denyInsecureTransport("DenyInsecureTransport",
				cloudformation.GetAtt(idServerAccessLogsBucket, "Arn"), bucketObjectsArn(idServerAccessLogsBucket)),
			map[string]any{
				"Sid":       "AllowS3ServerAccessLogs",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "logging.s3.amazonaws.com"},
				"Action":    "s3:PutObject",
				"Resource":  bucketObjectsArn(idServerAccessLogsBucket),
				"Condition": map[string]any{
					"ArnLike":      map[string]any{"aws:SourceArn": sourceArns},
					"StringEquals": map[string]any{"aws:SourceAccount": cloudformation.Ref("AWS::AccountId")},
				},
			},
		),
	})
}

// denyGrantsExceptForAWSServices is the key policy statement that lets only
// AWS services, acting for an AWS resource, create grants on a key
// (CT.KMS.PR.3): a grant would otherwise delegate the key beyond its policy.
func denyGrantsExceptForAWSServices() map[string]any {
	return map[string]any{
		"Sid":       "DenyGrantsExceptForAWSServices",
		"Effect":    "Deny",
		"Principal": map[string]any{"AWS": "*"},
		"Action":    "kms:CreateGrant",
		"Resource":  "*",
		"Condition": map[string]any{"BoolIfExists": map[string]any{
			"kms:GrantIsForAWSResource": "false",
			"aws:PrincipalIsAWSService": "false",
		}},
	}
}
