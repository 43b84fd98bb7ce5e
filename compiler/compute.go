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

	detailed := b.env.Tier == "production"
	b.add(idLaunchTemplate, &ec2.LaunchTemplate{
		LaunchTemplateName: ptr(b.env.Stack),
		LaunchTemplateData: &ec2.LaunchTemplate_LaunchTemplateData{
			ImageId:            ptr(cloudformation.Ref(paramImageID)),
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
			UserData:          ptr(cloudformation.Base64(cloudformation.Sub(userData(b, idAsg)))),
			TagSpecifications: []ec2.LaunchTemplate_TagSpecification{{ResourceType: ptr("volume"), Tags: b.tags()}},
		},
		TagSpecifications: []ec2.LaunchTemplate_LaunchTemplateTagSpecification{{ResourceType: ptr("launch-template"), Tags: b.tags()}},
	})

	var asgTags []autoscaling.AutoScalingGroup_TagProperty
	asgTags = append(asgTags, autoscaling.AutoScalingGroup_TagProperty{Key: "Name", Value: b.env.Stack, PropagateAtLaunch: true})
	for _, t := range b.tags() {
		asgTags = append(asgTags, autoscaling.AutoScalingGroup_TagProperty{Key: t.Key, Value: t.Value, PropagateAtLaunch: true})
	}
	sc := b.env.Scaling
	asg := &autoscaling.AutoScalingGroup{
		MinSize:           fmt.Sprint(sc.MinSize),
		MaxSize:           fmt.Sprint(sc.MaxSize),
		VPCZoneIdentifier: listParam(paramPrivateSubnetIDs),
		LaunchTemplate: &autoscaling.AutoScalingGroup_LaunchTemplateSpecification{
			LaunchTemplateId: ptr(cloudformation.Ref(idLaunchTemplate)),
			Version:          cloudformation.GetAtt(idLaunchTemplate, "LatestVersionNumber"),
		},
		TargetGroupARNs:        []string{cloudformation.Ref(idTargetGroup)},
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
	if sc.DesiredCapacity != nil {
		asg.DesiredCapacity = ptr(fmt.Sprint(*sc.DesiredCapacity))
	}
	configureGroupScaling(b, asg)
	b.add(idAsg, asg)
}

// compileLogGroups adds the application's log group and the one its
// embedded-metric records land in, both with a retention so that logs do not
// pile up at cost forever.
func compileLogGroups(b *stackBuilder) {
	days := logRetentionDays[b.env.Tier]
	b.add(idAppLogGroup, &logs.LogGroup{
		LogGroupName:    ptr(appLogGroupName(b)),
		RetentionInDays: ptr(days),
		KmsKeyId:        ptr(cloudformation.GetAtt(idLogsKey, "Arn")),
		Tags:            b.tags(),
	})
	b.add(idMetricsLogGroup, &logs.LogGroup{
		LogGroupName:    ptr(metricsLogGroupName(b)),
		RetentionInDays: ptr(days),
		KmsKeyId:        ptr(cloudformation.GetAtt(idLogsKey, "Arn")),
		Tags:            b.tags(),
	})
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
			PolicyDocument: policyDocument(
				map[string]any{
					"Sid":       "PublishMetrics",
					"Effect":    "Allow",
					"Action":    "cloudwatch:PutMetricData",
					"Resource":  "*",
					"Condition": map[string]any{"StringEquals": map[string]any{"cloudwatch:namespace": []any{agentNamespace, appMetricsNamespace}}},
				},
				map[string]any{
					"Sid":      "WriteOwnLogs",
					"Effect":   "Allow",
					"Action":   []any{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
					"Resource": cloudformation.Sub(logGroupArn),
				},
				map[string]any{
					// Instances report their health to creations and
					// rolling updates of their own stack only.
					"Sid":      "SignalOwnStack",
					"Effect":   "Allow",
					"Action":   "cloudformation:SignalResource",
					"Resource": cloudformation.Ref("AWS::StackId"),
				},
				map[string]any{
					// The agent reads the instance's Auto Scaling group from
					// its tags; DescribeTags has no resource-level scoping.
					"Sid":      "ReadInstanceTags",
					"Effect":   "Allow",
					"Action":   "ec2:DescribeTags",
					"Resource": "*",
				},
				map[string]any{
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
			),
		}},
		Tags: b.tags(),
	})
	b.add(idInstanceProfile, &iam.InstanceProfile{
		Roles: []string{cloudformation.Ref(idInstanceRole)},
	})
}
