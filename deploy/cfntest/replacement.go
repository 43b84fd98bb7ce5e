package cfntest

// Values of a change detail's RequiresRecreation.
const (
	recreateAlways        = "Always"
	recreateConditionally = "Conditionally"
	recreateNever         = "Never"
)

// everyProperty is the table key for "any property not listed".
const everyProperty = "*"

// replacementTable says, per resource type, which property changes make
// CloudFormation replace the resource ("Update requires: Replacement" in
// the resource reference). It is deliberately small: the types phasec
// compiles, plus a few whose replacement is a classic surprise.
var replacementTable = map[string]map[string]string{
	"AWS::ElasticLoadBalancingV2::LoadBalancer": {"Name": recreateAlways, "Scheme": recreateAlways, "Type": recreateAlways},
	"AWS::ElasticLoadBalancingV2::TargetGroup": {
		"Name": recreateAlways, "Port": recreateAlways, "Protocol": recreateAlways,
		"ProtocolVersion": recreateAlways, "TargetType": recreateAlways, "VpcId": recreateAlways,
	},
	"AWS::ElasticLoadBalancingV2::Listener": {"LoadBalancerArn": recreateAlways},
	"AWS::EC2::SecurityGroup":               {"GroupDescription": recreateAlways, "GroupName": recreateAlways, "VpcId": recreateAlways},
	// Ingress and egress rules are immutable: any change but the
	// description makes a new rule.
	"AWS::EC2::SecurityGroupIngress": {everyProperty: recreateAlways, "Description": recreateNever},
	"AWS::EC2::SecurityGroupEgress":  {everyProperty: recreateAlways, "Description": recreateNever},
	"AWS::EC2::LaunchTemplate":       {"LaunchTemplateName": recreateAlways},
	"AWS::EC2::Instance":             {"ImageId": recreateAlways, "AvailabilityZone": recreateAlways, "SubnetId": recreateAlways, "InstanceType": recreateConditionally},
	"AWS::AutoScaling::AutoScalingGroup": {
		"AutoScalingGroupName": recreateAlways,
		// Replaced only under an AutoScalingReplacingUpdate policy.
		"VPCZoneIdentifier": recreateConditionally, "AvailabilityZones": recreateConditionally,
	},
	"AWS::IAM::Role":             {"RoleName": recreateAlways, "Path": recreateAlways},
	"AWS::IAM::InstanceProfile":  {"InstanceProfileName": recreateAlways, "Path": recreateAlways},
	"AWS::IAM::ManagedPolicy":    {"ManagedPolicyName": recreateAlways, "Path": recreateAlways},
	"AWS::S3::Bucket":            {"BucketName": recreateAlways, "ObjectLockEnabled": recreateAlways},
	"AWS::S3::BucketPolicy":      {"Bucket": recreateAlways},
	"AWS::SNS::Topic":            {"TopicName": recreateAlways, "FifoTopic": recreateAlways},
	"AWS::SNS::Subscription":     {"Endpoint": recreateAlways, "Protocol": recreateAlways, "TopicArn": recreateAlways},
	"AWS::Logs::LogGroup":        {"LogGroupName": recreateAlways},
	"AWS::CloudWatch::Alarm":     {"AlarmName": recreateAlways},
	"AWS::CloudWatch::Dashboard": {"DashboardName": recreateAlways},
	"AWS::KMS::Key":              {"MultiRegion": recreateAlways},
	"AWS::KMS::Alias":            {"AliasName": recreateAlways},
	"AWS::WAFv2::WebACL":         {"Name": recreateAlways, "Scope": recreateAlways},
}

// recreation is the RequiresRecreation of changing property prop of a
// resource of type typ.
func recreation(typ, prop string) string {
	props := replacementTable[typ]
	if r, ok := props[prop]; ok {
		return r
	}
	if r, ok := props[everyProperty]; ok {
		return r
	}
	return recreateNever
}
