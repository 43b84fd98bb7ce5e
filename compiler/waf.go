package compiler

import (
	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/wafv2"
)

const (
	idWebACL            = "WebAcl"
	idWebACLAssociation = "WebAclAssociation"
	idWafLogGroup       = "WafLogGroup"
	idWafLogging        = "WafLogging"

	// wafWindowSeconds is the rate-based rule's evaluation window; the
	// spec's limit is per client IP address per window.
	wafWindowSeconds = 300
)

// wafManagedRuleGroups are the AWS managed rule groups every web ACL runs,
// in priority order after the rate limit: addresses with a bad reputation
// first (cheapest, 25 capacity units), then the core rule set against the
// OWASP top risks (700), then inputs known to exploit common software
// (200). Together with the rate rule they use about 930 of the 1,500 units a
// web ACL has before WAF charges more.
var wafManagedRuleGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
}

// wafLogGroupName is the WAF log group's name; WAF accepts only log groups
// whose names start with aws-waf-logs-.
func wafLogGroupName(b *stackBuilder) string { return "aws-waf-logs-" + b.env.Stack }

// compileWAF puts a regional AWS WAF web ACL in front of the load balancer:
// a per-client rate limit that blocks floods, then the AWS managed rule
// groups, with every request logged (credentials redacted) to a log group
// encrypted with the stack's logs key.
func compileWAF(b *stackBuilder) {
	rules := []wafv2.WebACL_Rule{{
		Name:     "RateLimitPerClientIp",
		Priority: 0,
		Action:   &wafv2.WebACL_RuleAction{Block: &wafv2.WebACL_BlockAction{}},
		Statement: &wafv2.WebACL_Statement{RateBasedStatement: &wafv2.WebACL_RateBasedStatement{
			Limit:               b.env.Security.WAF.RateLimit,
			AggregateKeyType:    "IP",
			EvaluationWindowSec: ptr(wafWindowSeconds),
		}},
		VisibilityConfig: wafVisibility(b.name("waf-rate-limit")),
	}}
	for i, group := range wafManagedRuleGroups {
		rules = append(rules, wafv2.WebACL_Rule{
			Name:           group,
			Priority:       i + 1,
			OverrideAction: &wafv2.WebACL_OverrideAction{None: map[string]any{}},
			Statement: &wafv2.WebACL_Statement{ManagedRuleGroupStatement: &wafv2.WebACL_ManagedRuleGroupStatement{
				VendorName: "AWS",
				Name:       group,
			}},
			VisibilityConfig: wafVisibility(b.name("waf-" + group)),
		})
	}
	b.add(idWebACL, &wafv2.WebACL{
		Name:             ptr(b.env.Stack),
		Description:      ptr("Protects the load balancer of " + b.env.Stack),
		Scope:            "REGIONAL",
		DefaultAction:    &wafv2.WebACL_DefaultAction{Allow: &wafv2.WebACL_AllowAction{}},
		Rules:            rules,
		VisibilityConfig: wafVisibility(b.name("waf")),
		Tags:             b.tags(),
	})
	b.add(idWebACLAssociation, &wafv2.WebACLAssociation{
		ResourceArn: cloudformation.Ref(idLoadBalancer),
		WebACLArn:   cloudformation.GetAtt(idWebACL, "Arn"),
	})

	b.add(idWafLogGroup, serviceLogGroup(b, wafLogGroupName(b)))
	b.add(idWafLogging, &wafv2.LoggingConfiguration{
		ResourceArn: cloudformation.GetAtt(idWebACL, "Arn"),
		// WAF wants the log group's ARN without the ":*" that
		// Fn::GetAtt's Arn ends with.
		LogDestinationConfigs: []string{cloudformation.Sub(
			"arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${" + idWafLogGroup + "}")},
		RedactedFields: []wafv2.LoggingConfiguration_FieldToMatch{
			{SingleHeader: &wafv2.LoggingConfiguration_SingleHeader{Name: "authorization"}},
			{SingleHeader: &wafv2.LoggingConfiguration_SingleHeader{Name: "cookie"}},
		},
	})
}

// wafVisibility publishes a rule's metrics and keeps sampled requests, so
// that a block can be explained from the console.
func wafVisibility(metric string) *wafv2.WebACL_VisibilityConfig {
	return &wafv2.WebACL_VisibilityConfig{
		CloudWatchMetricsEnabled: true,
		MetricName:               metric,
		SampledRequestsEnabled:   true,
	}
}
