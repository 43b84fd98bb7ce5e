package rules

// Compliant building blocks shared by the cases below.
const (
	goodLT = `"LaunchTemplateData": {
		"InstanceType": "t3.small",
		"MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required", "HttpPutResponseHopLimit": 1},
		"NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": false, "Groups": ["sg-1"]}],
		"BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true}}],
		"Monitoring": {"Enabled": true}}`
	goodAlbAttrs = `"LoadBalancerAttributes": [
		{"Key": "access_logs.s3.enabled", "Value": "true"},
		{"Key": "access_logs.s3.bucket", "Value": {"Ref": "Logs"}},
		{"Key": "deletion_protection.enabled", "Value": "true"},
		{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
		{"Key": "routing.http.desync_mitigation_mode", "Value": "defensive"}]`
	logsBucket = `"Logs": {"Type": "AWS::S3::Bucket", "Properties": {}}`
	tlsPolicy  = `"Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "B"}, "PolicyDocument": {"Statement": [
		{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}],
		 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}`
	grantGuard = `{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "kms:CreateGrant", "Resource": "*",
		"Condition": {"BoolIfExists": {"kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false"}}}`
	goodTrail = `"Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {
		"IsLogging": true, "IsMultiRegionTrail": true, "IncludeGlobalServiceEvents": true,
		"EnableLogFileValidation": true, "KMSKeyId": {"Ref": "Key"},
		"CloudWatchLogsLogGroupArn": {"Fn::GetAtt": ["TrailLogs", "Arn"]}, "CloudWatchLogsRoleArn": {"Fn::GetAtt": ["TrailRole", "Arn"]}}},
		"Key": {"Type": "AWS::KMS::Key", "Properties": {}},
		"TrailLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {}},
		"TrailRole": {"Type": "AWS::IAM::Role", "Properties": {}}`
)

// cisFilters is a metric filter and an alarm for every CIS monitor; drop
// lets a case leave one out.
func cisFilters(drop string) string {
	out := ""
	for i, m := range cisMonitors {
		if m.id == drop {
			continue
		}
		pattern := ""
		for _, s := range m.signature {
			pattern += `($.x = \"` + s + `\") || `
		}
		id := string(rune('A' + i))
		out += `, "Filter` + id + `": {"Type": "AWS::Logs::MetricFilter", "Properties": {"LogGroupName": {"Ref": "TrailLogs"},
			"FilterPattern": "{` + pattern + `($.y = 1)}",
			"MetricTransformations": [{"MetricNamespace": "CIS", "MetricName": "M` + id + `", "MetricValue": "1"}]}},
			"Alarm` + id + `": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "CIS", "MetricName": "M` + id + `",
			"AlarmActions": [{"Ref": "Topic"}]}}`
	}
	return out
}

var ruleCases = []ruleCase{
	// Auto Scaling
	{
		rule:   "PHS-ASG-001",
		fail:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"TargetGroupARNs": ["tg"], "HealthCheckType": "EC2"}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"TargetGroupARNs": ["tg"], "HealthCheckType": "ELB"}}}`,
	},
	{
		rule:   "PHS-ASG-002",
		fail:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"HealthCheckType": "ELB"}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"HealthCheckType": "ELB", "HealthCheckGracePeriod": 300}}}`,
	},
	{
		rule:   "PHS-ASG-003",
		fail:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"Cooldown": "0"}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"Cooldown": "300"}}}`,
	},
	{
		rule: "PHS-ASG-004",
		fail: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"NotificationConfigurations": [
			{"TopicARN": "t", "NotificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"]}]}}}`,
		failOn: "G",
		pass: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"NotificationConfigurations": [
			{"TopicARN": "c", "NotificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"]},
			{"TopicARN": "i", "NotificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"]}]}}}`,
	},
	{
		rule:   "PHS-ASG-005",
		fail:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"LaunchConfigurationName": "lc"}}}`,
		failOn: "G",
		pass: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"LaunchTemplate": {"LaunchTemplateId": {"Ref": "LT"},
			"Version": {"Fn::GetAtt": ["LT", "LatestVersionNumber"]}}}}, "LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {` + goodLT + `}}}`,
	},
	{
		// Two subnets do not count: CT.AUTOSCALING.PR.1 reads AvailabilityZones only.
		rule:   "PHS-ASG-006",
		params: `{"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>", "Default": "subnet-1,subnet-2"}, "Zones": {"Type": "List<AWS::EC2::AvailabilityZone::Name>", "Default": "eu-west-1a,eu-west-1b"}}`,
		fail:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"VPCZoneIdentifier": {"Ref": "Subnets"}}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"VPCZoneIdentifier": {"Ref": "Subnets"}, "AvailabilityZones": {"Ref": "Zones"}}}}`,
	},
	{
		rule:   "PHS-ASG-006",
		fail:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"AvailabilityZones": ["eu-west-1a", "eu-west-1a"]}}}`,
		failOn: "G",
		pass: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"AvailabilityZones": [
			{"Fn::Select": [0, {"Fn::GetAZs": ""}]}, {"Fn::Select": [1, {"Fn::GetAZs": ""}]}]}}}`,
	},
	{
		rule:   "PHS-ASG-007",
		fail:   `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-1", "Version": "1"}}}}`,
		failOn: "G",
		pass: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {
			"LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
			"Overrides": [{"InstanceType": "m7g.large"}, {"InstanceType": "m7gd.large"}]}}}}}`,
	},
	{
		rule: "PHS-ASG-007",
		fail: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {
			"LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
			"Overrides": [{"InstanceType": "m7g.large"}, {"InstanceType": "m7g.large"}]}}}}}`,
		failOn: "G",
		pass: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {
			"LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
			"Overrides": [{"InstanceRequirements": {"VCpuCount": {"Min": 2}, "MemoryMiB": {"Min": 4096}}}]}}}}}`,
	},
	// AWS Config
	{
		rule:   "PHS-CFG-001",
		fail:   `{"R": {"Type": "AWS::Config::ConfigurationRecorder", "Properties": {"RoleARN": "r", "RecordingGroup": {"AllSupported": false, "ResourceTypes": ["AWS::S3::Bucket"]}}}}`,
		failOn: "R",
		pass:   `{"R": {"Type": "AWS::Config::ConfigurationRecorder", "Properties": {"RoleARN": "r", "RecordingGroup": {"AllSupported": true, "IncludeGlobalResourceTypes": true}}}}`,
	},
	// CIS monitoring
	{
		rule:   "PHS-CIS-001",
		fail:   `{` + goodTrail + cisFilters("4.3") + `}`,
		failOn: "Trail",
		pass:   `{` + goodTrail + cisFilters("") + `}`,
	},
	// CloudWatch
	{
		rule:   "PHS-CW-001",
		fail:   `{"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ActionsEnabled": true, "OKActions": ["t"]}}}`,
		failOn: "A",
		pass:   `{"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"ActionsEnabled": true, "AlarmActions": [{"Ref": "T"}]}}}`,
	},
	// EC2
	{
		rule:   "PHS-EC2-001",
		fail:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "optional"}}}}}`,
		failOn: "LT",
		pass:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {` + goodLT + `}}}`,
	},
	{
		rule:   "PHS-EC2-002",
		fail:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2}}}}}`,
		failOn: "LT",
		pass:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {` + goodLT + `}}}`,
	},
	{
		rule:   "PHS-EC2-003",
		fail:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"SecurityGroupIds": ["sg-1"]}}}}`,
		failOn: "LT",
		pass:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {` + goodLT + `}}}`,
	},
	{
		rule:   "PHS-EC2-004",
		fail:   `{"V": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 10, "AvailabilityZone": "a"}}}`,
		failOn: "V",
		pass:   `{"V": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 10, "AvailabilityZone": "a", "Encrypted": true}}, "LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {` + goodLT + `}}}`,
	},
	{
		rule:   "PHS-EC2-005",
		fail:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"Monitoring": {"Enabled": false}}}}}`,
		failOn: "LT",
		pass:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {` + goodLT + `}}}`,
	},
	{
		rule:   "PHS-EC2-006",
		params: `{"Type": {"Type": "String", "Default": "m4.large"}}`,
		fail:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": {"Ref": "Type"}}}}}`,
		failOn: "LT",
		pass: `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "m8g.large"}}},
			"LT2": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {` + goodLT + `}}}`,
	},
	{
		// Only the metal size of i3 runs on Nitro.
		rule:   "PHS-EC2-006",
		fail:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "i3.large"}}}}`,
		failOn: "LT",
		pass:   `{"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "i3.metal"}}}}`,
	},
	{
		// Attribute-based selection must list what it may pick.
		rule: "PHS-EC2-006",
		fail: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {
			"LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
			"Overrides": [{"InstanceRequirements": {"VCpuCount": {"Min": 2}}}]}}}}}`,
		failOn: "G",
		pass: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {
			"LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
			"Overrides": [{"InstanceRequirements": {"AllowedInstanceTypes": ["m5.*", "c7g.*"]}}]}}}}}`,
	},
	{
		rule: "PHS-EC2-007",
		fail: `{"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web", "SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}}}`,
		failOn: "SG",
		pass: `{"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web", "SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "203.0.113.0/24"}]}}}`,
	},
	{
		rule:   "PHS-EC2-008",
		fail:   `{"I": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "CidrIp": "0.0.0.0/0"}}}`,
		failOn: "I",
		pass: `{"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "web", "SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
			{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIpv6": "::/0"},
			{"IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "CidrIp": "10.0.0.0/8"}]}}}`,
	},
	{
		rule: "PHS-EC2-009",
		fail: `{"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "admin", "SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 1024, "CidrIp": "0.0.0.0/0"}]}}}`,
		failOn: "SG",
		pass: `{"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "admin", "SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "203.0.113.0/24"},
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}}}`,
	},
	{
		rule:   "PHS-EC2-010",
		fail:   `{"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": " "}}}`,
		failOn: "SG",
		pass:   `{"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "Load balancer: HTTPS in"}}}`,
	},
	{
		// Launch templates' own types are out of scope, as in the controls.
		rule: "PHS-EC2-011",
		fail: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {
			"LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
			"Overrides": [{"InstanceType": "m7g.large"}, {"InstanceType": "t4g.large"}]}}}}}`,
		failOn: "G",
		pass: `{"G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {
			"LaunchTemplateSpecification": {"LaunchTemplateId": "lt-1", "Version": "1"},
			"Overrides": [{"InstanceType": "m7g.large"}, {"InstanceType": "m7gd.large"}]}}}},
			"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "t3.small"}}}}`,
	},
	{
		rule:   "PHS-EC2-011",
		fail:   `{"I": {"Type": "AWS::EC2::Instance", "Properties": {"LaunchTemplate": {"LaunchTemplateId": "lt-1", "Version": "1"}}}}`,
		failOn: "I",
		pass:   `{"I": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "c7i.large"}}}`,
	},
	// Elastic Load Balancing
	{
		rule: "PHS-ELB-001",
		fail: `{"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTP", "Port": 80,
			"DefaultActions": [{"Type": "forward", "TargetGroupArn": "tg"}]}}}`,
		failOn: "L",
		pass: `{"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTP", "Port": 80,
			"DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]}}}`,
	},
	{
		rule:   "PHS-ELB-002",
		params: `{"Cert": {"Type": "String", "Default": "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}}`,
		fail: `{"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"Certificates": [{"CertificateArn": "arn:aws:iam::111122223333:server-certificate/web"}]}}}`,
		failOn: "L",
		pass: `{"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
			"Certificates": [{"CertificateArn": {"Ref": "Cert"}}]}}}`,
	},
	{
		rule:   "PHS-ELB-003",
		fail:   `{"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "ELBSecurityPolicy-2016-08"}}}`,
		failOn: "L",
		pass:   `{"L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"Protocol": "HTTPS", "Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}}}`,
	},
	{
		rule:   "PHS-ELB-004",
		fail:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"LoadBalancerAttributes": [{"Key": "routing.http.desync_mitigation_mode", "Value": "monitor"}]}}}`,
		failOn: "LB",
		pass:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {` + goodAlbAttrs + `}}, ` + logsBucket + `}`,
	},
	{
		rule:   "PHS-ELB-005",
		fail:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "application"}}}`,
		failOn: "LB",
		pass: `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {` + goodAlbAttrs + `}}, ` + logsBucket + `,
			"NLB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network"}}}`,
	},
	{
		rule:   "PHS-ELB-006",
		fail:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"LoadBalancerAttributes": [{"Key": "deletion_protection.enabled", "Value": "false"}]}}}`,
		failOn: "LB",
		pass:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {` + goodAlbAttrs + `}}, ` + logsBucket + `}`,
	},
	{
		rule:   "PHS-ELB-007",
		fail:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"LoadBalancerAttributes": [{"Key": "access_logs.s3.enabled", "Value": "true"}]}}}`,
		failOn: "LB",
		pass:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {` + goodAlbAttrs + `}}, ` + logsBucket + `}`,
	},
	{
		rule:   "PHS-ELB-008",
		fail:   `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing"}}}`,
		failOn: "LB",
		pass: `{"LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing"}},
			"Internal": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internal"}},
			"Assoc": {"Type": "AWS::WAFv2::WebACLAssociation", "Properties": {"ResourceArn": {"Ref": "LB"}, "WebACLArn": {"Fn::GetAtt": ["Acl", "Arn"]}}}}`,
	},
	{
		rule:   "PHS-ELB-009",
		fail:   `{"TG": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"TargetGroupAttributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "false"}]}}}`,
		failOn: "TG",
		pass:   `{"TG": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {"TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]}}}`,
	},
	{
		rule:   "PHS-ELB-010",
		fail:   `{"NLB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "Scheme": "internal"}}}`,
		failOn: "NLB",
		pass: `{"NLB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "network", "Scheme": "internal",
			"LoadBalancerAttributes": [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]}},
			"ALB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "application"}}}`,
	},
	// EventBridge
	{
		rule:   "PHS-EVT-001",
		fail:   `{"P": {"Type": "AWS::Events::EventBusPolicy", "Properties": {"StatementId": "open", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*"}}}}`,
		failOn: "P",
		pass: `{"P": {"Type": "AWS::Events::EventBusPolicy", "Properties": {"StatementId": "org", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*",
			"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}}}}`,
	},
	// GuardDuty
	{
		rule:   "PHS-GD-001",
		fail:   `{"D": {"Type": "AWS::GuardDuty::Detector", "Properties": {"Enable": true}}}`,
		failOn: "D",
		pass:   `{"D": {"Type": "AWS::GuardDuty::Detector", "Properties": {"Enable": true, "DataSources": {"S3Logs": {"Enable": true}}}}}`,
	},
	{
		rule:   "PHS-GD-002",
		fail:   `{"D": {"Type": "AWS::GuardDuty::Detector", "Properties": {"Enable": true}}, "R": {"Type": "AWS::Events::Rule", "Properties": {"State": "DISABLED", "EventPattern": {"source": ["aws.guardduty"]}, "Targets": [{"Id": "t", "Arn": "a"}]}}}`,
		failOn: "D",
		pass:   `{"D": {"Type": "AWS::GuardDuty::Detector", "Properties": {"Enable": true}}, "R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": ["aws.guardduty"]}, "Targets": [{"Id": "t", "Arn": "a"}]}}}`,
	},
	// IAM
	{
		rule:   "PHS-IAM-001",
		fail:   `{"R": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}]}}}`,
		failOn: "R",
		pass:   `{"R": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/own"}]}}}`,
	},
	{
		rule:   "PHS-IAM-002",
		fail:   `{"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}}}`,
		failOn: "P",
		pass: `{"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {"Statement": [
			{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"},
			{"Effect": "Deny", "Action": "*", "Resource": "*"}]}}}}`,
	},
	{
		rule:   "PHS-IAM-003",
		fail:   `{"R": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}}]}}}`,
		failOn: "R",
		pass:   `{"R": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}}}]}}}`,
	},
	{
		rule:   "PHS-IAM-004",
		fail:   `{"M": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}}}}`,
		failOn: "M",
		pass:   `{"M": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}}}}`,
	},
	{
		rule:   "PHS-IAM-005",
		fail:   `{"U": {"Type": "AWS::IAM::User", "Properties": {"ManagedPolicyArns": ["arn:aws:iam::111122223333:policy/p"]}}}`,
		failOn: "U",
		pass:   `{"U": {"Type": "AWS::IAM::User", "Properties": {"Groups": ["admins"]}}}`,
	},
	// KMS
	{
		rule:   "PHS-KMS-001",
		fail:   `{"K": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": false}}}`,
		failOn: "K",
		pass: `{"K": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": true}},
			"Signing": {"Type": "AWS::KMS::Key", "Properties": {"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}}}`,
	},
	{
		rule:   "PHS-KMS-002",
		fail:   `{"K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}]}}}}`,
		failOn: "K",
		pass:   `{"K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}, ` + grantGuard + `]}}}}`,
	},
	{
		rule:   "PHS-KMS-003",
		fail:   `{"K": {"Type": "AWS::KMS::Key", "Properties": {"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}}}`,
		failOn: "K",
		pass: `{"K": {"Type": "AWS::KMS::Key", "Properties": {"KeySpec": "RSA_3072", "KeyUsage": "ENCRYPT_DECRYPT"}},
			"S": {"Type": "AWS::KMS::Key", "Properties": {"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}}}`,
	},
	// CloudWatch Logs
	{
		rule:   "PHS-LOGS-001",
		fail:   `{"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}}}`,
	},
	{
		rule:   "PHS-LOGS-002",
		fail:   `{"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"KmsKeyId": {"Fn::GetAtt": ["K", "Arn"]}}}, "K": {"Type": "AWS::KMS::Key", "Properties": {}}}`,
	},
	{
		rule:   "PHS-LOGS-003",
		fail:   `{"G": {"Type": "AWS::Logs::LogGroup", "Properties": {}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 30}}}`,
	},
	// Resource policies
	{
		rule:   "PHS-POL-001",
		fail:   `{"P": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": ["t"], "PolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*"}]}}}}`,
		failOn: "P",
		pass: `{"P": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": ["t"], "PolicyDocument": {"Statement": [
			{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}},
			{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}}}}`,
	},
	// S3
	{
		rule:   "PHS-S3-001",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true}}}}`,
		failOn: "B",
		pass: `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
			"IgnorePublicAcls": true, "RestrictPublicBuckets": true}}}}`,
	},
	{
		rule:   "PHS-S3-002",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"LoggingConfiguration": {"DestinationBucketName": {"Ref": "L"}, "LogFilePrefix": "b/"}}}, "L": {"Type": "AWS::S3::Bucket", "Properties": {"LoggingConfiguration": {}}}}`,
	},
	{
		rule:   "PHS-S3-003",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}}`,
	},
	{
		rule:   "PHS-S3-004",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}}}`,
		failOn: "B",
		pass: `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
			{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["K", "Arn"]}}, "BucketKeyEnabled": true}]}}}}`,
	},
	{
		rule: "PHS-S3-005",
		fail: `{"B": {"Type": "AWS::S3::Bucket", "Properties": {}}, "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "B"}, "PolicyDocument": {"Statement": [
			{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [{"Fn::GetAtt": ["B", "Arn"]}], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {}}, ` + tlsPolicy + `}`,
	},
	{
		rule:   "PHS-S3-006",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Suspended"}}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Enabled"}}}}`,
	},
	{
		rule:   "PHS-S3-007",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"LifecycleConfiguration": {"Rules": [{"Status": "Disabled", "ExpirationInDays": 30}]}}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"LifecycleConfiguration": {"Rules": [{"Status": "Enabled", "ExpirationInDays": 30}]}}}}`,
	},
	{
		rule:   "PHS-S3-008",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": "LogDeliveryWrite"}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}}}`,
	},
	{
		rule:   "PHS-S3-009",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": false}}}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": true}}}}}`,
	},
	{
		rule:   "PHS-S3-010",
		fail:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {}}}`,
		failOn: "B",
		pass:   `{"B": {"Type": "AWS::S3::Bucket", "Properties": {"ObjectLockEnabled": true}}}`,
	},
	// SNS
	{
		rule:   "PHS-SNS-001",
		fail:   `{"T": {"Type": "AWS::SNS::Topic", "Properties": {}}}`,
		failOn: "T",
		pass:   `{"T": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "K"}}}}`,
	},
	{
		rule:   "PHS-SNS-002",
		fail:   `{"T": {"Type": "AWS::SNS::Topic", "Properties": {}}}`,
		failOn: "T",
		pass: `{"T": {"Type": "AWS::SNS::Topic", "Properties": {}}, "P": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": [{"Ref": "T"}], "PolicyDocument": {"Statement": [
			{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Resource": {"Ref": "T"}, "Condition": {"Bool": {"aws:SecureTransport": false}}}]}}}}`,
	},
	{
		rule:   "PHS-SNS-003",
		fail:   `{"S": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "http", "Endpoint": "http://hooks.example.com/x", "TopicArn": "t"}}}`,
		failOn: "S",
		pass:   `{"S": {"Type": "AWS::SNS::Subscription", "Properties": {"Protocol": "https", "Endpoint": "https://hooks.example.com/x", "TopicArn": "t"}}}`,
	},
	// CloudTrail
	{
		rule:   "PHS-TRAIL-001",
		fail:   `{"Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"IsLogging": true, "IsMultiRegionTrail": false}}}`,
		failOn: "Trail",
		pass:   `{` + goodTrail + `}`,
	},
	{
		rule:   "PHS-TRAIL-002",
		fail:   `{"Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"IsLogging": true}}}`,
		failOn: "Trail",
		pass:   `{` + goodTrail + `}`,
	},
	{
		rule:   "PHS-TRAIL-003",
		fail:   `{"Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"IsLogging": true, "KMSKeyId": ""}}}`,
		failOn: "Trail",
		pass:   `{` + goodTrail + `}`,
	},
	{
		rule:   "PHS-TRAIL-004",
		fail:   `{"Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {"IsLogging": true, "CloudWatchLogsLogGroupArn": {"Fn::GetAtt": ["TrailLogs", "Arn"]}}}, "TrailLogs": {"Type": "AWS::Logs::LogGroup", "Properties": {}}}`,
		failOn: "Trail",
		pass:   `{` + goodTrail + `}`,
	},
	// WAF
	{
		rule:   "PHS-WAF-001",
		fail:   `{"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "REGIONAL", "Rules": []}}}`,
		failOn: "Acl",
		pass:   `{"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "CLOUDFRONT", "Rules": [{"Name": "r", "Priority": 0}]}}}`,
	},
	{
		rule:   "PHS-WAF-002",
		fail:   `{"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "REGIONAL"}}}`,
		failOn: "Acl",
		pass: `{"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "REGIONAL"}},
			"Log": {"Type": "AWS::WAFv2::LoggingConfiguration", "Properties": {"ResourceArn": {"Fn::GetAtt": ["Acl", "Arn"]}, "LogDestinationConfigs": ["arn"]}}}`,
	},
	{
		rule: "PHS-WAF-003",
		fail: `{"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "REGIONAL", "Rules": [
			{"Name": "Common", "Priority": 1, "OverrideAction": {"Count": {}}, "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}}},
			{"Name": "Bad", "Priority": 2, "OverrideAction": {"None": {}}, "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesKnownBadInputsRuleSet"}}},
			{"Name": "Rate", "Priority": 0, "Action": {"Block": {}}, "Statement": {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}}}]}}}`,
		failOn: "Acl",
		pass: `{"Acl": {"Type": "AWS::WAFv2::WebACL", "Properties": {"Scope": "REGIONAL", "Rules": [
			{"Name": "Common", "Priority": 1, "OverrideAction": {"None": {}}, "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}}},
			{"Name": "Bad", "Priority": 2, "OverrideAction": {"None": {}}, "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": "AWSManagedRulesKnownBadInputsRuleSet"}}},
			{"Name": "Rate", "Priority": 0, "Action": {"Block": {}}, "Statement": {"RateBasedStatement": {"Limit": 1000, "AggregateKeyType": "IP"}}}]}}}`,
	},
	{
		rule:   "PHS-WAF-004",
		fail:   `{"G": {"Type": "AWS::WAFv2::RuleGroup", "Properties": {"Scope": "REGIONAL", "Capacity": 10}}}`,
		failOn: "G",
		pass:   `{"G": {"Type": "AWS::WAFv2::RuleGroup", "Properties": {"Scope": "REGIONAL", "Capacity": 10, "Rules": [{"Name": "r", "Priority": 0}]}}}`,
	},
}
