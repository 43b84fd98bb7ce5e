package templatecheck

// crossRules are constraints between fields of one resource, which a per-field table cannot
// express. Like valueRules, each rule says where it comes from, and only literal values are
// compared: anything computed by an intrinsic function is skipped.
type crossRule struct {
	typ    string
	source string
	check  func(x *ruleContext)
}

// crossRules is the table of cross-field rules; the functions live in rules_*.go, one file per
// service.
var crossRules = []crossRule{
	{typ: "AWS::AutoScaling::AutoScalingGroup", check: asgSizes,
		source: "EC2 Auto Scaling: MinSize <= DesiredCapacity <= MaxSize"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", check: asgLaunchSource,
		source: "User Guide AWS::AutoScaling::AutoScalingGroup: one of LaunchTemplate, LaunchConfigurationName, MixedInstancesPolicy, InstanceId; LaunchTemplateId or LaunchTemplateName, not both"},
	{typ: "AWS::AutoScaling::AutoScalingGroup", check: asgPolicies,
		source: "User Guide UpdatePolicy/CreationPolicy attributes"},
	{typ: "AWS::AutoScaling::ScalingPolicy", check: scalingPolicyType,
		source: "User Guide AWS::AutoScaling::ScalingPolicy: required/valid only for the policy type"},
	{typ: "AWS::AutoScaling::ScalingPolicy", check: stepAdjustments,
		source: "User Guide StepAdjustment: no overlap or gap, at most one open bound each way"},
	{typ: "AWS::AutoScaling::ScheduledAction", check: scheduledActionSizes,
		source: "EC2 Auto Scaling PutScheduledUpdateGroupAction"},
	{typ: "AWS::CloudWatch::Alarm", check: alarmFields,
		source: "User Guide AWS::CloudWatch::Alarm and CloudWatch PutMetricAlarm"},
	{typ: "AWS::CloudWatch::Dashboard", check: dashboardSubBody,
		source: "CloudWatch PutDashboard: the body must be a JSON object"},
	{typ: "AWS::ElasticLoadBalancingV2::TargetGroup", check: targetGroupHealthCheck,
		source: "ELBv2: the health check timeout must be smaller than the interval"},
	{typ: "AWS::ElasticLoadBalancingV2::Listener", check: listenerCertificates,
		source: "ELBv2 CreateListener: HTTPS and TLS listeners take exactly one default certificate"},
	{typ: "AWS::ElasticLoadBalancingV2::Listener", check: func(x *ruleContext) { elbActions(x, "DefaultActions") },
		source: "ELBv2 Action: each action type needs its configuration"},
	{typ: "AWS::ElasticLoadBalancingV2::ListenerRule", check: func(x *ruleContext) { elbActions(x, "Actions") },
		source: "ELBv2 Action: each action type needs its configuration"},
	{typ: "AWS::ElasticLoadBalancingV2::LoadBalancer", check: albSubnets,
		source: "ELBv2 CreateLoadBalancer: an Application Load Balancer needs subnets in at least two Availability Zones"},
	{typ: "AWS::EC2::LaunchTemplate", check: ebsVolumes,
		source: "AWS::EC2::LaunchTemplate Ebs (registry descriptions): gp3 1-65,536 GiB, 3,000-80,000 IOPS, 125-2,000 MiB/s; gp2 1-16,384; io1 4-16,384 GiB, 100-64,000 IOPS; io2 4-65,536 GiB, 100-256,000 IOPS; st1/sc1 125-16,384; standard 1-1,024"},
	{typ: "AWS::EC2::SecurityGroup", check: securityGroupRules,
		source: "EC2 IpPermission: TCP/UDP need FromPort <= ToPort; one source or destination per rule"},
	{typ: "AWS::EC2::SecurityGroupIngress", check: func(x *ruleContext) { sgRule(x, x.props, "", ingressPeers) },
		source: "EC2 IpPermission: TCP/UDP need FromPort <= ToPort; one source per rule"},
	{typ: "AWS::EC2::SecurityGroupEgress", check: func(x *ruleContext) { sgRule(x, x.props, "", egressPeers) },
		source: "EC2 IpPermission: TCP/UDP need FromPort <= ToPort; one destination per rule"},
	{typ: "AWS::SNS::Topic", check: snsFifo,
		source: "SNS: FIFO topic names end in .fifo, and only FIFO topics may"},
	{typ: "AWS::SSM::Parameter", check: ssmValueSize,
		source: "Systems Manager quota: parameter value 4 KB (Standard), 8 KB (Advanced)"},
	{typ: "AWS::Budgets::Budget", check: budgetSubscribers,
		source: "AWS Budgets: one SNS and up to 10 email subscribers per notification"},
}
