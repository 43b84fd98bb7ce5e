package compiler

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/cloudwatch"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
)

// cisNamespace is the CloudWatch namespace of the CIS metrics.
const cisNamespace = "phasec/CloudTrail"

// cisMonitor is one "log metric filter and alarm" of the CIS AWS
// Foundations Benchmark v1.4.0, section 4, with phasec's routing.
type cisMonitor struct {
	// id is the logical ID stem: <id>Filter, <id>Alarm, and the metric.
	id string
	// what is the alarm name's suffix after the stack name.
	what     string
	cis      string
	severity Severity
	// threshold is the number of matching events in five minutes that
	// fires the alarm.
	threshold   float64
	pattern     string
	description string
}

// cisMonitors are the CIS 4.1-4.14 monitors. Tampering with the audit trail
// or its keys, root use and sign-ins without MFA page someone (critical);
// changes to permissions, buckets, Config and the network's edge are
// reviewed (warning); routine network changes, which every phasec deploy
// makes, are recorded (info).
var cisMonitors = []cisMonitor{
	{id: "UnauthorizedApiCalls", what: "cis-unauthorized-api-calls", cis: "4.1", severity: Warning, threshold: 5,
		pattern:     `{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket"))}`,
		description: "At least 5 API calls were denied in 5 minutes. Check the trail's log group for the caller (userIdentity.arn): a misconfigured role, or someone probing permissions."},
	{id: "ConsoleSignInWithoutMfa", what: "cis-console-sign-in-without-mfa", cis: "4.2", severity: Critical, threshold: 1,
		pattern:     `{($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success")}`,
		description: "An IAM user signed in to the console without MFA. Check who it was in the trail's log group and require MFA for that user."},
	{id: "RootUsage", what: "cis-root-usage", cis: "4.3", severity: Critical, threshold: 1,
		pattern:     `{$.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent"}`,
		description: "The account's root user made an API call or signed in. Confirm with the account owner immediately; root use outside break-glass procedures is an incident."},
	{id: "IamPolicyChanges", what: "cis-iam-policy-changes", cis: "4.4", severity: Warning, threshold: 1,
		pattern:     `{($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy)}`,
		description: "An IAM policy was created, changed or attached. Check that the change came from a reviewed deployment."},
	{id: "CloudTrailChanges", what: "cis-cloudtrail-changes", cis: "4.5", severity: Critical, threshold: 1,
		pattern:     `{($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging)}`,
		description: "A trail was created, changed, stopped or deleted. Tampering with the audit trail hides what comes next: confirm who did it now."},
	{id: "ConsoleAuthFailures", what: "cis-console-auth-failures", cis: "4.6", severity: Warning, threshold: 3,
		pattern:     `{($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication")}`,
		description: "At least 3 console sign-ins failed in 5 minutes. Check the source addresses in the trail's log group for password guessing."},
	{id: "KmsKeyDisabledOrDeleted", what: "cis-kms-key-disabled-or-deleted", cis: "4.7", severity: Critical, threshold: 1,
		pattern:     `{($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion))}`,
		description: "A KMS key was disabled or scheduled for deletion; whatever it encrypts becomes unreadable. Cancel the deletion unless it was planned."},
	{id: "BucketPolicyChanges", what: "cis-bucket-policy-changes", cis: "4.8", severity: Warning, threshold: 1,
		pattern:     `{($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication))}`,
		description: "A bucket's policy, ACL, CORS, lifecycle or replication changed. Check that the bucket is still private."},
	{id: "ConfigChanges", what: "cis-config-changes", cis: "4.9", severity: Warning, threshold: 1,
		pattern:     `{($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder))}`,
		description: "The AWS Config recorder or delivery channel changed. Check that recording still runs: compliance history has a gap otherwise."},
	{id: "SecurityGroupChanges", what: "cis-security-group-changes", cis: "4.10", severity: Info, threshold: 1,
		pattern:     `{($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)}`,
		description: "A security group changed. Deployments change them routinely; check the change if no deployment ran."},
	{id: "NaclChanges", what: "cis-nacl-changes", cis: "4.11", severity: Info, threshold: 1,
		pattern:     `{($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation)}`,
		description: "A network ACL changed. Check the change against the network's owners."},
	{id: "NetworkGatewayChanges", what: "cis-network-gateway-changes", cis: "4.12", severity: Warning, threshold: 1,
		pattern:     `{($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway)}`,
		description: "An internet or customer gateway changed: a path into or out of the network opened or closed. Confirm it was planned."},
	{id: "RouteTableChanges", what: "cis-route-table-changes", cis: "4.13", severity: Info, threshold: 1,
		pattern:     `{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable))}`,
		description: "A route table changed. Check the change against the network's owners."},
	{id: "VpcChanges", what: "cis-vpc-changes", cis: "4.14", severity: Warning, threshold: 1,
		pattern:     `{($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink)}`,
		description: "A VPC or a peering connection changed. Confirm it was planned."},
}

// compileCISAlarms adds a metric filter on the trail's log group and an
// alarm on its metric for each CIS monitor, routed by severity to the
// baseline's topics. No events means no data, which is not a breach.
func compileCISAlarms(b *baselineBuilder) {
	for _, m := range cisMonitors {
		b.add(m.id+"Filter", &logs.MetricFilter{
			FilterName:    ptr(b.name(m.what)),
			FilterPattern: m.pattern,
			LogGroupName:  cloudformation.Ref(idTrailLogGroup),
			MetricTransformations: []logs.MetricFilter_MetricTransformation{{
				MetricNamespace: cisNamespace,
				MetricName:      m.id,
				MetricValue:     "1",
			}},
		})
		topic := alarmTopicFor(m.severity)
		b.add(m.id+"Alarm", &cloudwatch.Alarm{
			AlarmName:          ptr(b.name(m.what)),
			AlarmDescription:   ptr("[" + strings.ToUpper(string(m.severity)) + "] CIS " + m.cis + ": " + m.description),
			ActionsEnabled:     ptr(true),
			AlarmActions:       []string{topic},
			OKActions:          []string{topic},
			Namespace:          ptr(cisNamespace),
			MetricName:         ptr(m.id),
			Statistic:          ptr("Sum"),
			Period:             ptr(300),
			EvaluationPeriods:  1,
			DatapointsToAlarm:  ptr(1),
			ComparisonOperator: "GreaterThanOrEqualToThreshold",
			Threshold:          ptr(m.threshold),
			TreatMissingData:   ptr("notBreaching"),
			Tags:               b.tags(),
		})
	}
}
