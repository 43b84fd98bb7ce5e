package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/kms"
	"github.com/awslabs/goformation/v7/cloudformation/sns"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
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
	autoScalingRole := cloudformation.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
	addAlertTopics(b.add, b.name, b.tags(), alertTopics{
		stack:      b.env.Stack,
		alerts:     b.env.Alerts,
		publishers: alertPublishers,
		extraKeyStatements: []map[string]any{{
			// Auto Scaling publishes scaling events as its service-linked
			// role, which an account only has once it created its first
			// group: naming the role as Principal would fail the key's
			// creation in a fresh account ("invalid principals"), so the
			// role is matched by condition instead, and only through SNS
			// in this account.
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
		}},
	})
}

// alertTopics is what differs between the alert topics of a service stack
// and those of an account baseline.
type alertTopics struct {
	stack  string
	alerts Alerts
	// publishers are the AWS services that publish to the topics, which
	// the key and the topic policy admit.
	publishers []any
	// extraKeyStatements admit further publishers to the key.
	extraKeyStatements []map[string]any
}

// addAlertTopics adds the key, the three severity topics with their
// subscriptions, and the topic policy, through the stack's add, name and
// tags.
func addAlertTopics(add func(string, cloudformation.Resource), name func(string) string, tagList []tags.Tag, a alertTopics) {
	account := accountRoot()
	keyStatements := append([]map[string]any{
		{
			"Sid":       "AccountAdministers",
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": account},
			"Action":    "kms:*",
			"Resource":  "*",
		},
		{
			"Sid":       "ServicesPublishEncrypted",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": a.publishers},
			"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey*"},
			"Resource":  "*",
		},
	}, a.extraKeyStatements...)
	keyStatements = append(keyStatements, denyGrantsExceptForAWSServices())
	key := &kms.Key{
		Description:         ptr("Encrypts the alert topics of " + a.stack),
		EnableKeyRotation:   ptr(true),
		PendingWindowInDays: ptr(30),
		KeyPolicy:           policyDocument(keyStatements...),
		Tags:                tagList,
	}
	// SNS keeps nothing at rest once a message is delivered, so the key
	// has no data to unlock after the topics are gone.
	key.AWSCloudFormationDeletionPolicy, key.AWSCloudFormationUpdateReplacePolicy = dataPolicies(false)
	add(idAlertsKey, key)

	var topics []string
	var topicArns []any
	for _, sev := range severities {
		id := topicID(sev)
		add(id, &sns.Topic{
			TopicName:      ptr(name(string(sev))),
			DisplayName:    ptr(a.stack + " " + string(sev)),
			KmsMasterKeyId: ptr(cloudformation.Ref(idAlertsKey)),
			Tags:           tagList,
		})
		topics = append(topics, cloudformation.Ref(id))
		topicArns = append(topicArns, cloudformation.Ref(id))
		addSubscriptions(add, sev, a.alerts.forSeverity(sev))
	}

	add("AlertTopicsPolicy", &sns.TopicPolicy{
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
				"Principal": map[string]any{"Service": a.publishers},
				"Action":    "sns:Publish",
				"Resource":  topicArns,
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": cloudformation.Ref("AWS::AccountId")}},
			},
			denyInsecureTransport("DenyInsecureTransport", topicArns...),
		),
	})
}

// addSubscriptions subscribes the endpoints of one tier.
func addSubscriptions(add func(string, cloudformation.Resource), sev Severity, subs Subscribers) {
	each := func(protocol string, endpoints []string) {
		for i, ep := range endpoints {
			id := topicID(sev) + subscriptionSuffix(protocol) + itoa(i+1)
			add(id, &sns.Subscription{
				TopicArn: cloudformation.Ref(topicID(sev)),
				Protocol: protocol,
				Endpoint: ptr(ep),
			})
		}
	}
	each("email", subs.Email)
	each("https", subs.HTTPS)
	each("sms", subs.SMS)
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

// forSeverity is the subscribers of one severity.
func (a Alerts) forSeverity(sev Severity) Subscribers {
	switch sev {
	case Critical:
		return a.Critical
	case Warning:
		return a.Warning
	default:
		return a.Info
	}
}
