package rules

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestControlTower: the Control Tower IDs among a rule's Controls, in their
// order, without the AwsSolutions and CIS ones; tools/ctguard relies on it.
func TestControlTower(t *testing.T) {
	for id, want := range map[string][]string{
		"PHS-EC2-004": {"CT.EC2.PR.14", "CT.EC2.PR.7", "CT.AUTOSCALING.PR.9"},
		"PHS-S3-002":  {"CT.S3.PR.2"},
		"PHS-IAM-002": nil, // AwsSolutions-IAM5 only
	} {
		r, ok := Lookup(id)
		if !ok {
			t.Fatalf("no rule %s", id)
		}
		if diff := cmp.Diff(want, r.ControlTower()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", id, diff)
		}
	}
}

// TestSuppressionsExported: Suppressions reads the same suppressions Check
// honours, scoped to their resource, with cdk-nag's recognisable by their
// Source, and sets the invalid ones apart.
func TestSuppressionsExported(t *testing.T) {
	body := template(t, `{
		"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}, "Metadata": {
			"phasec": {"suppressions": [{"rule": "PHS-S3-010", "reason": "log destinations cannot use Object Lock", "source": "phasec"}]},
			"cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-S1", "reason": "the bucket is itself the log destination"}]}}}}`,
		`"Metadata": {"phasec": {"suppressions": [
			{"rule": "PHS-ASG-007", "reason": "one instance type is enough for this shop", "source": "specs/x.cue:1:1"},
			{"rule": "PHS-S3-004", "reason": "names a resource that is not there", "resources": ["Nope"]}]}}`)
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	sups, invalid := Suppressions(doc)
	want := []Suppression{
		{Rule: "PHS-ASG-007", Reason: "one instance type is enough for this shop", Source: "specs/x.cue:1:1"},
		{Rule: "PHS-S3-010", Reason: "log destinations cannot use Object Lock", Source: "phasec", Resources: []string{"Bucket"}},
		{Rule: "PHS-S3-002", Reason: "the bucket is itself the log destination", Source: SourceCdkNag + " AwsSolutions-S1", Resources: []string{"Bucket"}},
	}
	if diff := cmp.Diff(want, sups); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
	if len(invalid) != 1 || invalid[0].Suppression.Rule != "PHS-S3-004" || invalid[0].Problem != "the template has no resource Nope" {
		t.Errorf("invalid = %+v, want PHS-S3-004's missing resource", invalid)
	}
}
