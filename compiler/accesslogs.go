package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
)

const (
	idAccessLogsBucket       = "AccessLogsBucket"
	idAccessLogsBucketPolicy = "AccessLogsBucketPolicy"
	accessLogsPrefix         = "alb"
)

// elbLogDeliveryAccounts are the Elastic Load Balancing accounts that write
// access logs in the regions opened before August 2022. Newer regions
// deliver through the logdelivery.elasticloadbalancing.amazonaws.com
// service principal instead.
var elbLogDeliveryAccounts = map[string]string{
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
	"af-south-1":     "098369216593",
	"ap-east-1":      "754344448648",
	"ap-south-1":     "718504428378",
	"ap-northeast-1": "582318560864",
	"ap-northeast-2": "600734575887",
	"ap-northeast-3": "383597477331",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
	"ca-central-1":   "985666609251",
	"eu-central-1":   "054676820928",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-west-3":      "009996457667",
	"eu-south-1":     "635631232127",
	"eu-north-1":     "897822967062",
	"me-south-1":     "076674570225",
	"sa-east-1":      "507241528517",
}

// accessLogRetentionDays keeps production logs for a year of audits and
// the others long enough to debug a release.
var accessLogRetentionDays = map[string]int{"production": 365, "staging": 90, "dev": 30}

// compileAccessLogs adds the hardened bucket that receives the load
// balancer's access logs: private, TLS-only, encrypted, versioned, expiring.
// Load balancer logs support only SSE-S3 encryption, not KMS.
func compileAccessLogs(b *stackBuilder) {
	days := accessLogRetentionDays[b.env.Tier]
	bucket := &s3.Bucket{
		BucketEncryption: &s3.Bucket_BucketEncryption{
			ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
				ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"},
			}},
		},
		PublicAccessBlockConfiguration: &s3.Bucket_PublicAccessBlockConfiguration{
			BlockPublicAcls:       ptr(true),
			BlockPublicPolicy:     ptr(true),
			IgnorePublicAcls:      ptr(true),
			RestrictPublicBuckets: ptr(true),
		},
		OwnershipControls: &s3.Bucket_OwnershipControls{
			Rules: []s3.Bucket_OwnershipControlsRule{{ObjectOwnership: ptr("BucketOwnerEnforced")}},
		},
		VersioningConfiguration: &s3.Bucket_VersioningConfiguration{Status: "Enabled"},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{
			Rules: []s3.Bucket_Rule{{
				Id:               ptr("expire-access-logs"),
				Status:           "Enabled",
				ExpirationInDays: ptr(days),
				NoncurrentVersionExpiration: &s3.Bucket_NoncurrentVersionExpiration{
					NoncurrentDays: 7,
				},
				AbortIncompleteMultipartUpload: &s3.Bucket_AbortIncompleteMultipartUpload{DaysAfterInitiation: 1},
			}},
		},
		// Requests to the bucket itself are recorded in the stack's server
		// access log bucket, and its object events reach EventBridge.
		LoggingConfiguration:      serverAccessLogging(serverAccessLogsPrefix),
		NotificationConfiguration: eventBridgeNotifications(),
		Tags:                      b.tags(),
	}
	// Production access logs are audit evidence: keep them when the stack
	// goes away or the bucket would be replaced.
	bucket.AWSCloudFormationDeletionPolicy, bucket.AWSCloudFormationUpdateReplacePolicy = dataPolicies(retainsData(b.env.Tier))
	b.add(idAccessLogsBucket, bucket)

	bucketArn := cloudformation.GetAtt(idAccessLogsBucket, "Arn")
	logObjects := cloudformation.Sub("${" + idAccessLogsBucket + ".Arn}/" + accessLogsPrefix + "/AWSLogs/${AWS::AccountId}/*")
	var writer map[string]any
	if account, ok := elbLogDeliveryAccounts[b.env.Region]; ok {
		writer = map[string]any{"AWS": "arn:aws:iam::" + account + ":root"}
	} else {
		writer = map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
	}
	b.add(idAccessLogsBucketPolicy, &s3.BucketPolicy{
		Bucket: cloudformation.Ref(idAccessLogsBucket),
		PolicyDocument: policyDocument(
			denyInsecureTransport("DenyInsecureTransport", bucketArn, bucketObjectsArn(idAccessLogsBucket)),
			map[string]any{
				"Sid":       "AllowLoadBalancerAccessLogs",
				"Effect":    "Allow",
				"Principal": writer,
				"Action":    "s3:PutObject",
				"Resource":  logObjects,
			},
		),
	})
}
