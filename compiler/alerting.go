package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/kms"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
)

// Severity is an alert tier. Every alarm and scaling event is routed to the
// topic of its severity.
type Severity string

// The three alert tiers, most urgent first.
const (
	Critical Severity = "critical"
	Warning  Severity = "warning"
	Info     Severity = "info"
)

// severities lists the tiers in a fixed order for deterministic output.
var severities = []Severity{Critical, Warning, Info}

const idAlertsKey = "AlertsKey"

// topicID is the logical ID of a severity's topic: CriticalTopic,
// WarningTopic, InfoTopic.
func topicID(s Severity) string {
	switch s {
	case Critical:
		return "CriticalTopic"
	case Warning:
		return "WarningTopic"
	default:
		return "InfoTopic"
	}
}

// alarmTopicFor is the topic ARN that alarms of severity s notify.
func alarmTopicFor(s Severity) string {
	return cloudformation.Ref(topicID(s))
}

// alertPublishers are the AWS services that publish to the alert topics.
var alertPublishers = []any{
	"budgets.amazonaws.com",
	"cloudwatch.amazonaws.com",
	"events.amazonaws.com",
}

// compileAlerting adds the three severity topics, encrypted with a
// customer-managed key (the AWS-managed SNS key does not let CloudWatch
// alarms publish), a topic policy that admits only the publishers phasec
// wires up and only over TLS, and the spec's subscriptions.
func compileAlerting(b *stackBuilder) {
	account := cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")
	autoScalingRole := cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
	b.add(idAlertsKey, &kms.Key{
		Description:         ptr("Encrypts the alert topics of " + b.env.Stack),
		EnableKeyRotation:   ptr(true),
		PendingWindowInDays: ptr(30),
		KeyPolicy: policyDocument(
			map[string]any{
				"Sid":       "AccountAdministers",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": account},
				"Action":    "kms:*",
				"Resource":  "*",
			},
			map[string]any{
				"Sid":       "ServicesPublishEncrypted",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": alertPublishers},
				"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey*"},
				"Resource":  "*",
			},
			map[string]any{
				// Auto Scaling publishes scaling events as its
				// service-linked role, which an account only has once it
				// created its first group: naming the role as Principal
				// would fail the key's creation in a fresh account
				// ("invalid principals"), so the role is matched by
				// condition instead, and only through SNS in this account.
				"Sid":       "AutoScalingNotifies",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": "*"},
				"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey*"},
				"Resource":  "*",
				"Condition": map[string]any{
					"ArnEquals": map[string]any{"aws:PrincipalArn": autoScalingRole},
					"StringEquals": map[string]any{
						"kms:CallerAccount": cloudformation.Ref("AWS::AccountId"),
						"kms:ViaService":    cloudformation.Sub("sns.${AWS::Region}.amazonaws.com"),
					},
				},
			},
			denyGrantsExceptForAWSServices(),
		),
		Tags: b.tags(),
	})

	var topics []string
	for _, sev := range severities {
		id := topicID(sev)
		b.add(id, &sns.Topic{
			TopicName:      ptr(b.name(string(sev))),
			DisplayName:    ptr(b.env.Stack + " " + string(sev)),
			KmsMasterKeyId: ptr(cloudformation.Ref(idAlertsKey)),
			Tags:           b.tags(),
		})
		topics = append(topics, cloudformation.Ref(id))
		compileSubscriptions(b, sev)
	}

	topicArns := make([]any, len(topics))
	for i, t := range topics {
		topicArns[i] = t
	}
	b.add("AlertTopicsPolicy", &sns.TopicPolicy{
		Topics: topics,
		PolicyDocument: policyDocument(
			map[string]any{
				"Sid":       "AccountManages",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": account},
				"Action": []any{
					"sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission",
					"sns:RemovePermission", "sns:DeleteTopic", "sns:Subscribe",
					"sns:ListSubscriptionsByTopic", "sns:Publish",
				},
				"Resource": topicArns,
			},
			map[string]any{
				"Sid":       "ServicesPublish",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": alertPublishers},
				"Action":    "sns:Publish",
				"Resource":  topicArns,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": cloudformation.Ref("AWS::AccountId")}},
			},
			denyInsecureTransport("DenyInsecureTransport", topicArns...),
		),
	})
}

// compileSubscriptions subscribes the spec's endpoints of one tier.
func compileSubscriptions(b *stackBuilder, sev Severity) {
	subs := b.alertsFor(sev)
	add := func(protocol string, endpoints []string) {
		for i, ep := range endpoints {
			id := topicID(sev) + subscriptionSuffix(protocol) + itoa(i+1)
			b.add(id, &sns.Subscription{
				TopicArn: cloudformation.Ref(topicID(sev)),
				Protocol: protocol,
				Endpoint: ptr(ep),
			})
		}
	}
	add("email", subs.Email)
	add("https", subs.HTTPS)
	add("sms", subs.SMS)
}

// subscriptionSuffix names a subscription's protocol in its logical ID:
// CriticalTopicEmail1, CriticalTopicHttps1, CriticalTopicSms1.
func subscriptionSuffix(protocol string) string {
	switch protocol {
	case "email":
		return "Email"
	case "sms":
		return "Sms"
	default:
		return "Https"
	}
}

// alertsFor is the environment's subscribers of one severity.
func (b *stackBuilder) alertsFor(sev Severity) Subscribers {
	switch sev {
	case Critical:
		return b.env.Alerts.Critical
	case Warning:
		return b.env.Alerts.Warning
	default:
		return b.env.Alerts.Info
	}
}
