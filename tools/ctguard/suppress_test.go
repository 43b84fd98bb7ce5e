package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/phasec/phasec/rules"
)

// suppressedTemplate declares suppressions of every scope; the logical IDs
// are those the cases below ask about.
const suppressedTemplate = `{
	"Metadata": {"phasec": {"suppressions": [
		{"rule": "PHS-ASG-007", "reason": "the shop runs on one instance type on purpose", "source": "spec"},
		{"rule": "PHS-S3-010", "reason": "log destinations cannot use Object Lock", "resources": ["LogBucket"], "source": "phasec"},
		{"rule": "PHS-S3-004", "reason": "names a resource the template does not have", "resources": ["Gone"]}
	]}},
	"Resources": {
		"Asg": {"Type": "AWS::AutoScaling::AutoScalingGroup"},
		"OtherAsg": {"Type": "AWS::AutoScaling::AutoScalingGroup"},
		"LogBucket": {"Type": "AWS::S3::Bucket", "Metadata": {
			"phasec": {"suppressions": [{"rule": "PHS-S3-002", "reason": "it is the log destination itself", "source": "phasec"}]},
			"cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-S2", "reason": "written for cdk-nag's S2 only"}]}}},
		"DataBucket": {"Type": "AWS::S3::Bucket"},
		"Role": {"Type": "AWS::IAM::Role", "Metadata": {
			"phasec": {"suppressions": [{"rule": "PHS-IAM-004", "reason": "covers one finding detail only", "appliesTo": ["Action::s3:*"]}]}}},
		"LogGroup": {"Type": "AWS::Logs::LogGroup", "Metadata": {
			"phasec": {"suppressions": [{"rule": "PHS-LOGS-001", "reason": "dev logs only serve release debugging"}]}}}
	}
}`

func TestSuppressionMatch(t *testing.T) {
	tests := []struct {
		name, control, resource string
		want                    string // the rule of the covering suppression, "" for none
	}{
		{"template-wide, every resource", "CT.AUTOSCALING.PR.6", "Asg", "PHS-ASG-007"},
		{"template-wide, another resource", "CT.AUTOSCALING.PR.6", "OtherAsg", "PHS-ASG-007"},
		{"template-wide, a control the rule does not mirror", "CT.AUTOSCALING.PR.11", "Asg", ""},
		{"template-wide listing the resource", "CT.S3.PR.9", "LogBucket", "PHS-S3-010"},
		{"template-wide listing another resource", "CT.S3.PR.9", "DataBucket", ""},
		{"on the resource", "CT.S3.PR.2", "LogBucket", "PHS-S3-002"},
		{"on another resource", "CT.S3.PR.2", "DataBucket", ""},
		{"on the resource, for a control of another rule", "CT.S3.PR.10", "LogBucket", ""},
		{"listing a resource the template lacks: not honoured", "CT.S3.PR.10", "Gone", ""},
		{"translated from cdk-nag: AwsSolutions-S2 only", "CT.S3.PR.1", "LogBucket", ""},
		{"limited by appliesTo: no control finding has the detail", "CT.IAM.PR.3", "Role", ""},
		{"the rule's only control", "CT.CLOUDWATCH.PR.2", "LogGroup", "PHS-LOGS-001"},
	}
	declared, _ := rules.Suppressions(decode(t, suppressedTemplate))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSuppressions(declared, controlMapping())
			got := ""
			if sup := s.match(tt.control, tt.resource); sup != nil {
				got = sup.Rule
				if sup.Reason == "" {
					t.Error("the suppression lost its reason")
				}
			}
			if got != tt.want {
				t.Errorf("match(%s, %s) = %q, want %q", tt.control, tt.resource, got, tt.want)
			}
		})
	}
}

// TestUnusedSuppressions: a suppression of a rule that mirrors a control,
// which covered no finding, is reported; one whose rule mirrors no control
// never is.
func TestUnusedSuppressions(t *testing.T) {
	declared, _ := rules.Suppressions(decode(t, `{
		"Resources": {"LogGroup": {"Type": "AWS::Logs::LogGroup", "Metadata": {"phasec": {"suppressions": [
			{"rule": "PHS-LOGS-001", "reason": "dev logs only serve release debugging"},
			{"rule": "PHS-LOGS-002", "reason": "the key is managed elsewhere for now"},
			{"rule": "PHS-LOGS-003", "reason": "retention is set by a separate process"}]}}}}}`))
	s := newSuppressions(declared, controlMapping())
	s.match("CT.CLOUDWATCH.PR.2", "LogGroup")
	var got []string
	for _, u := range s.unused() {
		got = append(got, u.Rule)
	}
	// PHS-LOGS-003 mirrors no control.
	if diff := cmp.Diff([]string{"PHS-LOGS-002"}, got); diff != "" {
		t.Errorf("unused (-want +got):\n%s", diff)
	}
}
