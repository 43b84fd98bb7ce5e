package main

import (
	"testing"
)

// The failures below are cfn-guard 3.1.1's structured reports of real
// Control Tower rules on phasec's templates, cut to what failureMessage
// reads.
const (
	monitoringFailure = `{"name": "ec2_launch_template_monitoring_enabled_check", "messages": {"custom_message": null}, "checks": [{"Rule": {"name": "check",
		"messages": {"custom_message": "\n        [CT.EC2.PR.10]: Require Amazon EC2 launch templates to have Amazon CloudWatch detailed monitoring activated\n        [FIX]: In 'LaunchTemplateData', provide a 'Monitoring' configuration with 'Enabled' set to 'true'.\n        "},
		"checks": [{"Clause": {"Binary": {"context": " Enabled EQUALS  true", "check": {"Resolved": {
			"from": {"path": "/AWS::EC2::LaunchTemplate/resourceProperties/LaunchTemplateData/Monitoring/Enabled", "value": false},
			"to": {"path": "", "value": true}, "comparison": ["Eq", false]}}}}}]}}]}`

	missingFailure = `{"name": "s3_bucket_logging_enabled_check", "checks": [{"Rule": {"name": "check",
		"messages": {"custom_message": "\n [CT.S3.PR.2]: Require an Amazon S3 bucket to have server access logging configured\n [FIX]: Set a logging configuration.\n"},
		"checks": [
			{"Clause": {"Unary": {"check": {"UnResolved": {"value": {"traversed_to": {"path": "/AWS::S3::Bucket/resourceProperties", "value": {}}, "remaining_query": "LoggingConfiguration"}, "comparison": ["Exists", false]}}}}},
			{"Clause": {"Unary": {"check": {"UnResolved": {"value": {"traversed_to": {"path": "/AWS::S3::Bucket/resourceProperties", "value": {}}, "remaining_query": "LoggingConfiguration"}, "comparison": ["IsMap", false]}}}}}]}}]}`

	listFailure = `{"name": "elbv2_deletion_protection_enabled_check", "checks": [{"Rule": {"name": "check",
		"messages": {"custom_message": "[CT.ELASTICLOADBALANCING.PR.5]: Require that application load balancer deletion protection is activated\n"},
		"checks": [
			{"Clause": {"Binary": {"check": {"Resolved": {"from": {"path": "/AWS::ElasticLoadBalancingV2::LoadBalancer/resourceProperties/LoadBalancerAttributes/0/Key", "value": "access_logs.s3.enabled"}, "to": {"path": "", "value": "deletion_protection.enabled"}}}}}},
			{"Clause": {"Binary": {"check": {"Resolved": {"from": {"path": "/AWS::ElasticLoadBalancingV2::LoadBalancer/resourceProperties/LoadBalancerAttributes/1/Key", "value": "access_logs.s3.bucket"}, "to": {"path": "", "value": "deletion_protection.enabled"}}}}}},
			{"Clause": {"Binary": {"check": {"InResolved": {"from": {"path": "/AWS::ElasticLoadBalancingV2::LoadBalancer/resourceProperties/LoadBalancerAttributes/1/Value", "value": "a-bucket-name-long-enough-to-be-cut-short-in-the-message-line"}, "to": [{"path": "", "value": [true, "true"]}]}}}}},
			{"Clause": {"Binary": {"check": {"Resolved": {"from": {"path": "/AWS::ElasticLoadBalancingV2::LoadBalancer/resourceProperties/LoadBalancerAttributes/2/Key", "value": "routing.http.drop_invalid_header_fields.enabled"}, "to": {"path": "", "value": "deletion_protection.enabled"}}}}}}]}}]}`

	untitledFailure = `{"name": "some_rule_check", "checks": [{"Clause": {"Unary": {"context": " Foo EXISTS ", "check": {"Other": {}}}}}]}`
)

func TestFailureMessage(t *testing.T) {
	tests := []struct {
		name, failure, resourceType, want string
	}{
		{
			"a value the rule rejects", monitoringFailure, "AWS::EC2::LaunchTemplate",
			"Require Amazon EC2 launch templates to have Amazon CloudWatch detailed monitoring activated: LaunchTemplateData.Monitoring.Enabled is false",
		},
		{
			"a missing property, named once", missingFailure, "AWS::S3::Bucket",
			"Require an Amazon S3 bucket to have server access logging configured: LoggingConfiguration is missing",
		},
		{
			"the first few of many, values cut short", listFailure, "AWS::ElasticLoadBalancingV2::LoadBalancer",
			`Require that application load balancer deletion protection is activated: LoadBalancerAttributes[0].Key is "access_logs.s3.enabled"; ` +
				`LoadBalancerAttributes[1].Key is "access_logs.s3.bucket"; LoadBalancerAttributes[1].Value is "a-bucket-name-long-enough-to-be-cut-short-in-the-message... (and 1 more)`,
		},
		{
			"no title: the rule's name and the clause's text", untitledFailure, "AWS::S3::Bucket",
			"some_rule_check: Foo EXISTS",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failureMessage(decode(t, tt.failure), tt.resourceType)
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPropertyPath(t *testing.T) {
	for in, want := range map[string]string{
		"/AWS::S3::Bucket/resourceProperties":                          "Properties",
		"/AWS::S3::Bucket/resourceProperties/LoggingConfiguration":     "LoggingConfiguration",
		"/AWS::S3::Bucket/resourceProperties/Rules/10/Status":          "Rules[10].Status",
		"/AWS::S3::Bucket/resourceProperties/A/0/1/B":                  "A[0][1].B",
		"/AWS::S3::Bucket/resourceProperties/BucketEncryption/0x1/Foo": "BucketEncryption.0x1.Foo",
	} {
		if got := propertyPath(in, "AWS::S3::Bucket"); got != want {
			t.Errorf("propertyPath(%q) = %q, want %q", in, got, want)
		}
	}
}
