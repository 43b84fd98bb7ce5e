package templatecheck

import "strings"

// goformation's schema lists properties but not the attributes Fn::GetAtt can read, so they are
// curated here, per type, from two sources that agree where they overlap:
//
//   - the "Return values > Fn::GetAtt" sections of the CloudFormation User Guide
//     (awsdocs/aws-cloudformation-user-guide, last snapshot Sept 2023), and
//   - readOnlyProperties of the CloudFormation registry schemas (as vendored by
//     aws-cloudformation/cfn-lint, us-east-1, Dec 2025), which add newer attributes such as
//     AWS::ElasticLoadBalancingV2::LoadBalancer LoadBalancerArn.
//
// A GetAtt on a type missing from this table is reported ("no attribute table for TYPE"), so
// the table grows together with the compiler instead of letting a typo through. A type mapped to
// an empty list has no GetAtt attributes at all.

// attribute is one Fn::GetAtt return value.
type attribute struct {
	name string
	list bool // yields a list (e.g. security group IDs), not a single string
}

// attrs builds single-value attributes.
func attrs(names ...string) []attribute {
	out := make([]attribute, len(names))
	for i, n := range names {
		out[i] = attribute{name: n}
	}
	return out
}

// attributeTable maps resource type to its Fn::GetAtt attributes.
var attributeTable = map[string][]attribute{
	// EC2. SecurityGroup: docs GroupId, VpcId; registry adds Id.
	"AWS::EC2::SecurityGroup":        attrs("GroupId", "Id", "VpcId"),
	"AWS::EC2::SecurityGroupIngress": attrs("Id"),
	"AWS::EC2::SecurityGroupEgress":  attrs("Id"),
	"AWS::EC2::LaunchTemplate":       attrs("DefaultVersionNumber", "LatestVersionNumber", "LaunchTemplateId"),

	// Elastic Load Balancing v2.
	"AWS::ElasticLoadBalancingV2::LoadBalancer": append(
		attrs("CanonicalHostedZoneID", "DNSName", "LoadBalancerArn", "LoadBalancerFullName", "LoadBalancerName"),
		attribute{name: "SecurityGroups", list: true}),
	"AWS::ElasticLoadBalancingV2::TargetGroup": append(
		attrs("TargetGroupArn", "TargetGroupFullName", "TargetGroupName"),
		attribute{name: "LoadBalancerArns", list: true}),
	"AWS::ElasticLoadBalancingV2::Listener":     attrs("ListenerArn"),
	"AWS::ElasticLoadBalancingV2::ListenerRule": attrs("IsDefault", "RuleArn"),

	// EC2 Auto Scaling. AutoScalingGroupARN comes from the registry schema (the 2023 docs list
	// none); LifecycleHook has none in either source.
	"AWS::AutoScaling::AutoScalingGroup": attrs("AutoScalingGroupARN"),
	"AWS::AutoScaling::ScalingPolicy":    attrs("Arn", "PolicyName"),
	"AWS::AutoScaling::ScheduledAction":  attrs("ScheduledActionName"),
	"AWS::AutoScaling::LifecycleHook":    nil,

	// CloudWatch. Dashboard has none; AnomalyDetector's Id is from the registry schema.
	"AWS::CloudWatch::Alarm":           attrs("Arn"),
	"AWS::CloudWatch::CompositeAlarm":  attrs("Arn"),
	"AWS::CloudWatch::Dashboard":       nil,
	"AWS::CloudWatch::AnomalyDetector": attrs("Id"),

	// SNS. Subscription's Arn is from the registry schema.
	"AWS::SNS::Topic":        attrs("TopicArn", "TopicName"),
	"AWS::SNS::Subscription": attrs("Arn"),
	"AWS::SNS::TopicPolicy":  attrs("Id"),

	// KMS.
	"AWS::KMS::Key":   attrs("Arn", "KeyId"),
	"AWS::KMS::Alias": nil,

	// S3. The Metadata* attributes are from the registry schema.
	"AWS::S3::Bucket": attrs("Arn", "DomainName", "DualStackDomainName", "RegionalDomainName", "WebsiteURL",
		"MetadataConfiguration.Destination",
		"MetadataConfiguration.InventoryTableConfiguration.TableArn",
		"MetadataConfiguration.InventoryTableConfiguration.TableName",
		"MetadataConfiguration.JournalTableConfiguration.TableArn",
		"MetadataConfiguration.JournalTableConfiguration.TableName",
		"MetadataTableConfiguration.S3TablesDestination.TableArn",
		"MetadataTableConfiguration.S3TablesDestination.TableNamespace"),
	"AWS::S3::BucketPolicy": nil,

	// IAM.
	"AWS::IAM::Role":            attrs("Arn", "RoleId"),
	"AWS::IAM::InstanceProfile": attrs("Arn"),
	"AWS::IAM::Policy":          attrs("Id"),
	"AWS::IAM::ManagedPolicy": attrs("AttachmentCount", "CreateDate", "DefaultVersionId", "IsAttachable",
		"PermissionsBoundaryUsageCount", "PolicyArn", "PolicyId", "UpdateDate"),

	// CloudWatch Logs.
	"AWS::Logs::LogGroup":     attrs("Arn"),
	"AWS::Logs::MetricFilter": nil,

	// Budgets (Id from the registry schema), EventBridge.
	"AWS::Budgets::Budget": attrs("Id"),
	"AWS::Events::Rule":    attrs("Arn"),

	// WAFv2.
	"AWS::WAFv2::WebACL":            attrs("Arn", "Capacity", "Id", "LabelNamespace"),
	"AWS::WAFv2::WebACLAssociation": nil,
	"AWS::WAFv2::IPSet":             attrs("Arn", "Id"),

	// Security and compliance. ConfigurationRecorder and DeliveryChannel Ids are from the
	// registry schema.
	"AWS::CloudTrail::Trail":             attrs("Arn", "SnsTopicArn"),
	"AWS::GuardDuty::Detector":           attrs("Id"),
	"AWS::Config::ConfigRule":            attrs("Arn", "Compliance.Type", "ConfigRuleId"),
	"AWS::Config::ConfigurationRecorder": attrs("Id"),
	"AWS::Config::DeliveryChannel":       attrs("Id"),

	// SSM.
	"AWS::SSM::Parameter": attrs("Type", "Value"),
}

// lookupAttribute finds attr of typ. known is false when the type has no such attribute or no
// table. Custom resources return whatever their provider sends, and nested stacks expose
// "Outputs.Name", so those are always known.
func lookupAttribute(typ, attr string) (a attribute, known bool) {
	switch {
	case strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource":
		return attribute{name: attr}, true
	case typ == "AWS::CloudFormation::Stack":
		return attribute{name: attr}, strings.HasPrefix(attr, "Outputs.")
	}
	for _, a := range attributeTable[typ] {
		if a.name == attr {
			return a, true
		}
	}
	return attribute{}, false
}

// attributeNames lists a type's attributes for messages.
func attributeNames(typ string) []string {
	var names []string
	for _, a := range attributeTable[typ] {
		names = append(names, a.name)
	}
	return names
}
