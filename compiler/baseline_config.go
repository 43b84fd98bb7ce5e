package compiler

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/config"
	"github.com/awslabs/goformation/v7/cloudformation/events"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
)

const (
	idConfigServiceRole    = "ConfigServiceLinkedRole"
	idConfigRecorder       = "ConfigRecorder"
	idConfigDelivery       = "ConfigDeliveryChannel"
	idConfigComplianceRule = "ConfigComplianceRule"
)

// configRule is one AWS managed Config rule: what phasec enforces in its
// templates, checked again on what actually runs in the account.
type configRule struct {
	id, name, identifier, description string
}

// configRules are the managed rules of the baseline, in logical-ID order.
// Each mirrors something phasec builds in (and its vet rules check), so
// that a resource changed by hand, or created outside phasec, shows up.
var configRules = []configRule{
	{"AlbDropInvalidHeadersConfigRule", "alb-drop-invalid-headers", "ALB_HTTP_DROP_INVALID_HEADER_ENABLED", "Application load balancers drop invalid HTTP header fields."},
	{"AlbHttpsRedirectConfigRule", "alb-https-redirect", "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK", "HTTP listeners of application load balancers redirect to HTTPS."},
	{"AlbWafConfigRule", "alb-waf", "ALB_WAF_ENABLED", "Application load balancers are protected by AWS WAF."},
	{"AsgElbHealthCheckConfigRule", "asg-elb-health-check", "AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED", "Auto Scaling groups behind load balancers use ELB health checks."},
	{"CloudTrailEncryptionConfigRule", "cloudtrail-encryption", "CLOUD_TRAIL_ENCRYPTION_ENABLED", "CloudTrail encrypts its logs with KMS."},
	{"CloudTrailLogValidationConfigRule", "cloudtrail-log-validation", "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "CloudTrail validates its log files."},
	{"EbsEncryptionConfigRule", "encrypted-volumes", "ENCRYPTED_VOLUMES", "Attached EBS volumes are encrypted."},
	{"Ec2Imdsv2ConfigRule", "ec2-imdsv2", "EC2_IMDSV2_CHECK", "Instances require IMDSv2."},
	{"Ec2NoPublicIpConfigRule", "ec2-no-public-ip", "EC2_INSTANCE_NO_PUBLIC_IP", "Instances have no public IP address."},
	{"ElbLoggingConfigRule", "elb-logging", "ELB_LOGGING_ENABLED", "Load balancers write access logs."},
	{"GuardDutyEnabledConfigRule", "guardduty-enabled", "GUARDDUTY_ENABLED_CENTRALIZED", "GuardDuty is enabled."},
	{"IamNoAdminPoliciesConfigRule", "iam-no-admin-policies", "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS", "No customer managed policy grants Action * on Resource *."},
	{"KmsRotationConfigRule", "kms-rotation", "CMK_BACKING_KEY_ROTATION_ENABLED", "Customer managed keys rotate."},
	{"LogGroupEncryptionConfigRule", "log-group-encryption", "CLOUDWATCH_LOG_GROUP_ENCRYPTED", "Log groups are encrypted with KMS."},
	{"MultiRegionTrailConfigRule", "multi-region-trail", "MULTI_REGION_CLOUD_TRAIL_ENABLED", "A multi-region trail records the account."},
	{"RequiredTagsConfigRule", "required-tags", "REQUIRED_TAGS", "Resources of phasec service stacks carry the required tags."},
	{"RestrictedCommonPortsConfigRule", "restricted-common-ports", "RESTRICTED_INCOMING_TRAFFIC", "Security groups do not open common administration and database ports to the internet."},
	{"RestrictedSshConfigRule", "restricted-ssh", "INCOMING_SSH_DISABLED", "Security groups do not open SSH to the internet."},
	{"RootMfaConfigRule", "root-mfa", "ROOT_ACCOUNT_MFA_ENABLED", "The root user has MFA."},
	{"S3EncryptionConfigRule", "s3-encryption", "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED", "Buckets have default encryption."},
	{"S3PublicAccessConfigRule", "s3-public-access-blocked", "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED", "Buckets block public access."},
	{"S3TlsOnlyConfigRule", "s3-tls-only", "S3_BUCKET_SSL_REQUESTS_ONLY", "Bucket policies deny requests without TLS."},
	{"SnsEncryptionConfigRule", "sns-encryption", "SNS_ENCRYPTED_KMS", "SNS topics are encrypted with KMS."},
	{"VpcDefaultSecurityGroupConfigRule", "vpc-default-security-group-closed", "VPC_DEFAULT_SECURITY_GROUP_CLOSED", "Default security groups allow no traffic."},
	{"WafLoggingConfigRule", "waf-logging", "WAFV2_LOGGING_ENABLED", "WAF web ACLs log requests."},
}

// requiredTagsScope is the tag that marks resources of phasec service
// stacks; the required-tags rule looks at those only, so that resources
// phasec does not manage are not reported.
const requiredTagsScope = "phasec:service"

// compileConfig records every supported resource type with AWS Config
// (unless the region already has a recorder), delivers snapshots to the
// audit bucket, adds the managed rules, and routes every compliance change
// to the warning topic.
func compileConfig(b *baselineBuilder) {
	c := b.bl.Config
	var ruleDeps []string
	if c.CreateServiceLinkedRole {
		b.add(idConfigServiceRole, &iam.ServiceLinkedRole{
			AWSServiceName: ptr("config.amazonaws.com"),
			Description:    ptr("AWS Config records the account's resources (created by " + b.bl.Stack + ")"),
		})
	}
	if c.CreateRecorder {
		recorder := &config.ConfigurationRecorder{
			Name: ptr(b.name("recorder")),
			RoleARN: cloudformation.Sub(
				"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
			RecordingGroup: &config.ConfigurationRecorder_RecordingGroup{
				AllSupported:               ptr(true),
				IncludeGlobalResourceTypes: ptr(c.IncludeGlobalResources),
			},
		}
		if c.CreateServiceLinkedRole {
			recorder.AWSCloudFormationDependsOn = []string{idConfigServiceRole}
		}
		b.add(idConfigRecorder, recorder)
		channel := &config.DeliveryChannel{
			Name:         ptr(b.name("delivery")),
			S3BucketName: cloudformation.Ref(idConfigBucket),
			S3KeyPrefix:  ptr(configDeliveryPrefix),
			S3KmsKeyArn:  ptr(cloudformation.GetAtt(idAuditKey, "Arn")),
			ConfigSnapshotDeliveryProperties: &config.DeliveryChannel_ConfigSnapshotDeliveryProperties{
				DeliveryFrequency: ptr("TwentyFour_Hours"),
			},
		}
		// AWS Config checks the bucket when the channel is created, and a
		// channel needs a recorder.
		channel.AWSCloudFormationDependsOn = []string{idConfigBucketPolicy, idConfigRecorder}
		b.add(idConfigDelivery, channel)
		ruleDeps = []string{idConfigRecorder}
	}

	var names []any
	for _, r := range configRules {
		rule := &config.ConfigRule{
			ConfigRuleName: ptr(b.name(r.name)),
			Description:    ptr(r.description),
			Source:         &config.ConfigRule_Source{Owner: "AWS", SourceIdentifier: ptr(r.identifier)},
		}
		if r.identifier == "REQUIRED_TAGS" {
			params := map[string]any{}
			for i, key := range c.RequiredTags {
				params["tag"+itoa(i+1)+"Key"] = key
			}
			rule.InputParameters = params
			rule.Scope = &config.ConfigRule_Scope{TagKey: ptr(requiredTagsScope)}
		}
		rule.AWSCloudFormationDependsOn = ruleDeps
		b.add(r.id, rule)
		names = append(names, b.name(r.name))
	}

	b.add(idConfigComplianceRule, &events.Rule{
		Name:        ptr(b.name("config-compliance")),
		Description: ptr("Compliance changes of the baseline's AWS Config rules to the warning topic"),
		State:       ptr("ENABLED"),
		EventPattern: map[string]any{
			"source":      []any{"aws.config"},
			"detail-type": []any{"Config Rules Compliance Change"},
			"detail": map[string]any{
				"messageType":    []any{"ComplianceChangeNotification"},
				"configRuleName": names,
			},
		},
		Targets: []events.Rule_Target{{
			Id:  "AlertTopic",
			Arn: alarmTopicFor(Warning),
			InputTransformer: &events.Rule_InputTransformer{
				InputPathsMap: map[string]string{
					"account":  "$.detail.awsAccountId",
					"new":      "$.detail.newEvaluationResult.complianceType",
					"region":   "$.detail.awsRegion",
					"resource": "$.detail.resourceId",
					"rule":     "$.detail.configRuleName",
					"type":     "$.detail.resourceType",
				},
				InputTemplate: `"[` + strings.ToUpper(string(Warning)) + `] AWS Config rule <rule> now reports <type> <resource> as <new> in account <account>, <region>. ` +
					`Details: https://<region>.console.aws.amazon.com/config/home?region=<region>#/rules/details?configRuleName=<rule>"`,
			},
		}},
	})
}
