package compiler

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
)

const (
	idInstanceRole     = "InstanceRole"
	idInstanceProfile  = "InstanceProfile"
	idLaunchTemplate   = "LaunchTemplate"
	idAsg              = "Asg"
	idAppLogGroup      = "AppLogGroup"
	idMetricsLogGroup  = "MetricsLogGroup"
	rootVolumeGiB      = 20
	healthGraceSeconds = 300
)

// logRetentionDays follows the access logs: a year in production.
var logRetentionDays = map[string]int{"production": 365, "staging": 90, "dev": 30}

// compileCompute adds the instances: a least-privilege role, a launch
// template that requires IMDSv2 and encrypts its gp3 root volume, the log
// groups the CloudWatch agent writes to, and the Auto Scaling group across
// the private subnets with ELB health checks.
func compileCompute(b *stackBuilder) {
	compileLogGroups(b)
	compileInstanceRole(b)

	for _, f := range b.fleets() {
		compileFleet(b, f)
	}
}

// compileFleet adds one fleet's launch template and Auto Scaling group. A
// blue-green colour takes its release and its size from parameters, which
// the rollout changes step by step; a rolling group has its release in
// parameters and its size in the template.
func compileFleet(b *stackBuilder, f fleet) {
	detailed := b.env.Tier == "production"
	b.add(f.launchTemplateID, &ec2.LaunchTemplate{
		LaunchTemplateName: ptr(b.env.Stack + f.nameSuffix()),
		LaunchTemplateData: &ec2.LaunchTemplate_LaunchTemplateData{
			ImageId:            ptr(cloudformation.Ref(f.imageParam)),
			InstanceType:       ptr(b.env.InstanceType),
			IamInstanceProfile: &ec2.LaunchTemplate_IamInstanceProfile{Arn: ptr(cloudformation.GetAtt(idInstanceProfile, "Arn"))},
			// The one network interface says explicitly that instances get
			// no public address (the subnet's setting would decide
			// otherwise); the security group moves onto it, since a launch
			// template may not set both.
			NetworkInterfaces: []ec2.LaunchTemplate_NetworkInterface{{
				DeviceIndex:              ptr(0),
				AssociatePublicIpAddress: ptr(false),
				DeleteOnTermination:      ptr(true),
				Groups:                   []string{cloudformation.GetAtt(idInstanceSG, "GroupId")},
			}},
			MetadataOptions: &ec2.LaunchTemplate_MetadataOptions{
				HttpEndpoint:            ptr("enabled"),
				HttpTokens:              ptr("required"),
				HttpPutResponseHopLimit: ptr(1),
				InstanceMetadataTags:    ptr("disabled"),
			},
			BlockDeviceMappings: []ec2.LaunchTemplate_BlockDeviceMapping{{
				DeviceName: ptr("/dev/xvda"),
				Ebs: &ec2.LaunchTemplate_Ebs{
					VolumeType:          ptr("gp3"),
					VolumeSize:          ptr(rootVolumeGiB),
					Encrypted:           ptr(true),
					DeleteOnTermination: ptr(true),
				},
			}},
			Monitoring:        &ec2.LaunchTemplate_Monitoring{Enabled: ptr(detailed)},
			EbsOptimized:      ptr(true),
			UserData:          ptr(cloudformation.Base64(cloudformation.Sub(userData(b, f)))),
			TagSpecifications: []ec2.LaunchTemplate_TagSpecification{{ResourceType: ptr("volume"), Tags: b.tags()}},
		},
		TagSpecifications: []ec2.LaunchTemplate_LaunchTemplateTagSpecification{{ResourceType: ptr("launch-template"), Tags: b.tags()}},
	})

	var asgTags []autoscaling.AutoScalingGroup_TagProperty
	asgTags = append(asgTags, autoscaling.AutoScalingGroup_TagProperty{Key: "Name", Value: b.env.Stack + f.nameSuffix(), PropagateAtLaunch: true})
	for _, t := range b.tags() {
		asgTags = append(asgTags, autoscaling.AutoScalingGroup_TagProperty{Key: t.Key, Value: t.Value, PropagateAtLaunch: true})
	}
	sc := b.env.Scaling
	asg := &autoscaling.AutoScalingGroup{
		MinSize:           fmt.Sprint(sc.MinSize),
		MaxSize:           fmt.Sprint(sc.MaxSize),
		VPCZoneIdentifier: listParam(paramPrivateSubnetIDs),
		LaunchTemplate: &autoscaling.AutoScalingGroup_LaunchTemplateSpecification{
			LaunchTemplateId: ptr(cloudformation.Ref(f.launchTemplateID)),
			Version:          cloudformation.GetAtt(f.launchTemplateID, "LatestVersionNumber"),
		},
		TargetGroupARNs:        []string{cloudformation.Ref(f.targetGroupID)},
		HealthCheckType:        ptr("ELB"),
		HealthCheckGracePeriod: ptr(healthGraceSeconds),
		MetricsCollection: []autoscaling.AutoScalingGroup_MetricsCollection{{
			Granularity: "1Minute",
			Metrics: []string{
				"GroupDesiredCapacity", "GroupInServiceInstances", "GroupMaxSize", "GroupMinSize",
				"GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
			},
		}},
		Tags: asgTags,
	}
	// Naming the subnets' zones as well lets a Control Tower hook
	// (CT.AUTOSCALING.PR.1) see that the group spans several. Auto Scaling
	// rejects a subnet outside the named zones, so a wrong zone list fails
	// the stack operation instead of silently narrowing the group.
	if len(b.env.Network.AvailabilityZones) > 0 {
		asg.AvailabilityZones = listParam(paramAvailabilityZones)
	}
	switch {
	case f.colour != "":
		asg.MinSize = cloudformation.Ref(colourParam(f, "MinSize"))
		asg.MaxSize = cloudformation.Ref(colourParam(f, "MaxSize"))
	case sc.DesiredCapacity != nil:
		asg.DesiredCapacity = ptr(fmt.Sprint(*sc.DesiredCapacity))
	}
	configureGroupScaling(b, asg)
	b.add(f.asgID, asg)
}

// compileLogGroups adds the application's log group and the one its
// embedded-metric records land in, both with a retention so that logs do not
// pile up at cost forever.
func compileLogGroups(b *stackBuilder) {
	b.add(idAppLogGroup, serviceLogGroup(b, appLogGroupName(b)))
	b.add(idMetricsLogGroup, serviceLogGroup(b, metricsLogGroupName(b)))
}

func appLogGroupName(b *stackBuilder) string     { return "/phasec/" + b.env.Stack + "/app" }
func metricsLogGroupName(b *stackBuilder) string { return "/phasec/" + b.env.Stack + "/metrics" }

// compileInstanceRole grants the instances exactly what they use, as scoped
// inline statements rather than AWS managed policies that grant more:
// metrics to their own namespaces, logs to their own groups, and the Session
// Manager channels that replace SSH.
func compileInstanceRole(b *stackBuilder) {
	logGroupArn := "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/phasec/" + b.env.Stack + "/*"
	b.add(idInstanceRole, &iam.Role{
		Description: ptr("Instances of " + b.env.Stack),
		AssumeRolePolicyDocument: policyDocument(map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "ec2.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}),
		Policies: []iam.Role_Policy{{
			PolicyName: "instance",
			PolicyDocument: policyDocument(append([]map[string]any{
				{
					"Sid":       "PublishMetrics",
					"Effect":    "Allow",
					"Action":    "cloudwatch:PutMetricData",
					"Resource":  "*",
					"Condition": map[string]any{"StringEquals": map[string]any{"cloudwatch:namespace": []any{agentNamespace, appMetricsNamespace}}},
				},
				{
					"Sid":      "WriteOwnLogs",
					"Effect":   "Allow",
					"Action":   []any{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
					"Resource": cloudformation.Sub(logGroupArn),
				},
				{
					// The agent reads the instance's Auto Scaling group from
					// its tags; DescribeTags has no resource-level scoping.
					"Sid":      "ReadInstanceTags",
					"Effect":   "Allow",
					"Action":   "ec2:DescribeTags",
					"Resource": "*",
				},
				{
					// Session Manager, instead of SSH; these actions have no
					// resource-level scoping.
					"Sid":    "SessionManager",
					"Effect": "Allow",
					"Action": []any{
						"ssm:UpdateInstanceInformation",
						"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
						"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
						"ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
						"ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
					},
					"Resource": "*",
				},
			}, signalStatements(b)...)...),
		}},
		Tags: b.tags(),
	})
	b.add(idInstanceProfile, &iam.InstanceProfile{
		Roles: []string{cloudformation.Ref(idInstanceRole)},
	})
}

// signalStatements lets the instances of a rolling stack report their
// health to creations and rolling updates of their own stack only; a
// blue-green stack's instances send no signals and get no such right.
func signalStatements(b *stackBuilder) []map[string]any {
	if b.env.Deployment.Strategy != StrategyRolling {
		return nil
	}
	return []map[string]any{{
		"Sid":      "SignalOwnStack",
		"Effect":   "Allow",
		"Action":   "cloudformation:SignalResource",
		"Resource": cloudformation.Ref("AWS::StackId"),
	}}
}

// serviceLogGroup is one of the stack's log groups: the tier's retention,
// encrypted with the stack's logs key, kept or deleted with the stack as
// the tier keeps its data.
func serviceLogGroup(b *stackBuilder, name string) *logs.LogGroup {
	lg := &logs.LogGroup{
		LogGroupName:    ptr(name),
		RetentionInDays: ptr(logRetentionDays[b.env.Tier]),
		KmsKeyId:        ptr(cloudformation.GetAtt(idLogsKey, "Arn")),
		Tags:            b.tags(),
	}
	lg.AWSCloudFormationDeletionPolicy, lg.AWSCloudFormationUpdateReplacePolicy = dataPolicies(retainsData(b.env.Tier))
	return lg
}
